"""The impact benchmark's correctness part, in its quick mode (smallest sizes, one round).

Each claim program of ``benchmarks/impact`` must draw its expected rule from dasklint
(unless the rule is not implemented yet), and where ``dasklint check --fix
--unsafe-fixes`` changes it, the fixed program must print exactly the original's result.
Each program of ``benchmarks/impact/real`` must run as the script it is and print its
checksum, or crash as declared. Nothing is timed here; the claim programs run under
``dasklint trace``, as the runner's evidence runs do, and the structural evidence of its
reports is checked instead.

The runner's ``dasklint check``, ``--fix`` and ``rule`` commands run in this process (the
same command line, through click's test runner): a fresh interpreter for each, four per
program, was a third of the module's time, and nothing here depends on it. The programs
themselves, and ``dasklint trace`` around them, still run as their own processes.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_support import run
from conftest import ROOT
from programs import load_script

pytestmark = pytest.mark.dask_runtime


RUNNER = load_script(ROOT / "benchmarks" / "impact" / "run.py", "impact_run")


@pytest.fixture(autouse=True)
def dasklint_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """``RUNNER.dasklint`` as the command it runs, in this process and its directory."""

    def dasklint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(cwd)
            result = run(*args)
        return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)

    monkeypatch.setattr(RUNNER, "dasklint", dasklint)


@pytest.mark.parametrize("program", RUNNER.CLAIMS, ids=lambda p: p.name)
def test_fixed_program_gives_identical_results(tmp_path: Path, program: object) -> None:
    item = RUNNER.prepare(program, tmp_path)  # asserts the expected rule is reported
    if item.rule_known:
        assert item.program.rule in item.codes
    if item.fixed is None:
        pytest.skip(f"{item.program.rule}: dasklint has no fix for this program yet")
    size = item.program.quick_size
    before = RUNNER.run_program(item.original, size, trace=tmp_path / "before.json")
    after = RUNNER.run_program(item.fixed, size, trace=tmp_path / "after.json")
    assert before.get("crash") is None and after.get("crash") is None, (before, after)
    assert after["result"] == before["result"]
    was, now = before["evidence"], after["evidence"]
    assert was["computations"] >= 1 and was["tasks"] >= 1
    if item.program.name == "four_tasks_processes":
        assert was["schedulers"] == ["processes"]
        assert was["worker_processes"] == 1  # batched into one worker process
        assert was["in_main_process"] == 0
        # The tasks only sleep: the fix runs them on threads of the program's process.
        assert now["schedulers"] == ["threads"]
        assert (now["computations"], now["tasks"]) == (1, 4)
        assert (now["worker_processes"], now["in_main_process"]) == (1, 1)
    if item.program.name == "cpu_bound_threads":
        assert was["schedulers"] == ["threads"] and was["in_main_process"] == 1
        # A small graph computed once: worker processes of the processes scheduler, not
        # a cluster, and not the program's process.
        assert now["schedulers"] == ["processes"]
        assert now["computations"] == 1
        assert now["in_main_process"] == 0
        assert now["worker_processes"] >= 1
    if item.program.name == "compute_in_loop":
        assert was["computations"] > 1
        assert now["computations"] == 1
    if item.program.name == "large_input_every_task":
        # Traced through the LocalCluster's scheduler: tasks ran in its worker processes.
        assert was["schedulers"] == now["schedulers"] == ["distributed"]
        assert was["in_main_process"] == 0 and was["worker_processes"] >= 1


@pytest.mark.parametrize("program", RUNNER.REAL, ids=lambda p: p.name)
def test_real_program_runs_as_a_script(tmp_path: Path, program: object) -> None:
    """The original gives a checksum as a script, the same one twice where it is seeded;
    a tutorial without a main guard crashes as a script (spawned workers re-import it),
    which is what its ``crash_rule`` must prevent."""
    item = RUNNER.prepare(program, tmp_path)
    size = item.program.quick_size
    first = RUNNER.run_program(item.original, size, real=True, timeout=300)
    if item.program.crash_rule is not None:
        assert first["result"] is None
        assert "BrokenProcessPool" in first["crash"]
        return
    assert first.get("crash") is None
    assert len(first["result"]) == 16  # the program's checksum, not another line
    if item.program.name in {"monte_carlo_random", "simulation_random_processes"}:
        again = RUNNER.run_program(item.original, size, real=True, timeout=300)
        assert again["result"] == first["result"]
