"""The impact benchmark's correctness part, in its quick mode (smallest sizes, one round).

Each program of ``benchmarks/impact`` must draw its expected rule from dasklint (unless
the rule is not implemented yet), and where ``dasklint check --fix --unsafe-fixes``
changes it, the fixed program must print exactly the original's result. Nothing is
timed here; the structural evidence the programs print is checked instead.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT

pytestmark = pytest.mark.dask_runtime


def _load_runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "impact_run", ROOT / "benchmarks" / "impact" / "run.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


RUNNER = _load_runner()


@pytest.mark.parametrize("program", RUNNER.PROGRAMS, ids=lambda p: p.name)
def test_fixed_program_gives_identical_results(tmp_path: Path, program: object) -> None:
    item = RUNNER.prepare(program, tmp_path)  # asserts the expected rule is reported
    if item.rule_known:
        assert item.program.rule in item.codes
    if item.fixed is None:
        pytest.skip(f"{item.program.rule}: dasklint has no fix for this program yet")
    size = item.program.quick_size
    before = RUNNER.run_program(item.original, size)
    after = RUNNER.run_program(item.fixed, size)
    assert after["result"] == before["result"]
    if item.program.name == "four_tasks_processes":
        assert before["evidence"]["worker_processes"] == 1  # batched into one process
        assert before["evidence"]["in_main_process"] == 0
        # The tasks only sleep: the fix runs them on threads of this process (the probe
        # sees the graph, so no cluster was started).
        assert after["evidence"]["computations"] == 1
        assert after["evidence"]["in_main_process"] == 1
        assert 'scheduler="threads"' in item.fixed.read_text()
    if item.program.name == "cpu_bound_threads":
        assert before["evidence"]["in_main_process"] == 1
        # A small graph computed once: worker processes of the processes scheduler, not
        # a cluster (the probe sees the graph), and not this process.
        assert after["evidence"]["computations"] == 1
        assert after["evidence"]["in_main_process"] == 0
        assert after["evidence"]["worker_processes"] >= 1
    if item.program.name == "compute_in_loop":
        assert before["evidence"]["computations"] > 1
        assert after["evidence"]["computations"] == 1
