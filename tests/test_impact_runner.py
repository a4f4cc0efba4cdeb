"""The impact benchmark's runner, on tiny fake programs (no Dask, nothing timed).

The runner must call a fix whose results differ WRONG, show whether a fix prevents a
crash of the original, refuse to report a speedup measured on a busy machine, and take
its evidence columns from ``dasklint trace``'s report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from programs import load_script

RUNNER = load_script(ROOT / "benchmarks" / "impact" / "run.py", "impact_run_fakes")


def _program(folder: Path, result: Any = None, fail: bool = False) -> Path:
    """A stand-in program that prints the runner's JSON line, or raises."""
    folder.mkdir(parents=True)
    path = folder / "fake.py"
    if fail:
        path.write_text("raise RuntimeError('bootstrapping phase')\n")
    else:
        line = json.dumps({"result": result})
        path.write_text(f"print({line!r})\n")
    return path


def _prepared(tmp_path: Path, before: Path, after: Path | None) -> Any:
    program = RUNNER.Program("fake", None, "a fake pair", "", "")
    return RUNNER.Prepared(program, before, after, ["DSK101"], False, [])


def _quiet(monkeypatch: pytest.MonkeyPatch, load: float = 0.1) -> None:
    monkeypatch.setattr(RUNNER.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(RUNNER.time, "sleep", lambda seconds: None)


def test_different_results_after_the_fix_are_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quiet(monkeypatch)
    item = _prepared(
        tmp_path, _program(tmp_path / "before", "1f00"), _program(tmp_path / "after", "2e00")
    )
    RUNNER.run_rounds([item], 2, quick=False, max_load=1.0, patience=0)
    (row,) = RUNNER.rows([item])
    assert row["identical"] is False
    assert row["verdict"] == "WRONG"
    assert "| WRONG |" in RUNNER.table([row])
    assert "identical results: NOT MET: fake" in RUNNER.goals([item])


def test_same_results_on_a_quiet_machine_report_a_speedup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quiet(monkeypatch, load=0.25)
    item = _prepared(
        tmp_path, _program(tmp_path / "before", [1, 2]), _program(tmp_path / "after", [1, 2])
    )
    RUNNER.run_rounds([item], 1, quick=False, max_load=1.0, patience=0)
    (row,) = RUNNER.rows([item])
    assert row["identical"] is True
    assert row["verdict"] == "ok"
    assert row["speedup"] is not None
    assert row["load"] == [0.25, 0.25]
    assert "| 0.25-0.25 |" in RUNNER.table([row])


def test_a_fix_that_crashes_a_working_program_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quiet(monkeypatch)
    item = _prepared(
        tmp_path, _program(tmp_path / "before", 3), _program(tmp_path / "after", fail=True)
    )
    RUNNER.run_rounds([item], 1, quick=False, max_load=None)
    (row,) = RUNNER.rows([item])
    assert row["verdict"] == "WRONG"
    assert row["crash_after"] == "RuntimeError: bootstrapping phase"
    assert row["speedup"] is None


@pytest.mark.parametrize(
    ("after_fails", "verdict"), [(False, "crash fixed"), (True, "crash NOT fixed")]
)
def test_a_crash_of_the_original_shows_whether_the_fix_prevents_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after_fails: bool, verdict: str
) -> None:
    _quiet(monkeypatch)
    item = _prepared(
        tmp_path,
        _program(tmp_path / "before", fail=True),
        _program(tmp_path / "after", 3, fail=after_fails),
    )
    RUNNER.run_rounds([item], 1, quick=False, max_load=None)
    (row,) = RUNNER.rows([item])
    assert row["verdict"] == verdict
    assert row["identical"] is None
    assert row["crash_before"] == "RuntimeError: bootstrapping phase"
    assert f"crash of fake (should be prevented by no rule): {verdict}" in RUNNER.goals([item])


def test_the_load_gate_refuses_a_speedup_measured_on_a_busy_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quiet(monkeypatch, load=9.5)
    item = _prepared(tmp_path, _program(tmp_path / "before", 1), _program(tmp_path / "after", 1))
    RUNNER.run_rounds([item], 1, quick=False, max_load=1.0, patience=0)
    (row,) = RUNNER.rows([item])
    assert row["busy"] is True
    assert row["speedup"] is None
    assert row["identical"] is True  # results are still compared
    assert row["verdict"] == "busy: no speedup reported"
    assert "| 9.50-9.50 |" in RUNNER.table([row])
    goals = RUNNER.goals([item])
    assert "no speedup reported (machine busy): fake" in goals
    assert "none slower: NOT MEASURED" in goals


def test_the_load_gate_waits_for_a_quiet_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads = iter([4.0, 4.0, 3.0, 0.5])
    last = [0.5]

    def loadavg() -> tuple[float, float, float]:
        last[0] = next(loads, last[0])
        return (last[0], last[0], last[0])

    naps: list[float] = []
    monkeypatch.setattr(RUNNER.os, "getloadavg", loadavg)
    monkeypatch.setattr(RUNNER.time, "sleep", naps.append)
    assert RUNNER.wait_for_load(1.0, patience=600) == 0.5
    assert len(naps) == 3  # one nap per busy reading


def test_the_load_gate_is_on_by_default_and_data_needs_it() -> None:
    assert RUNNER.default_max_load() == pytest.approx(0.5 * (RUNNER.os.cpu_count() or 1))
    with pytest.raises(SystemExit) as exit_info:
        RUNNER.main(["--write-data", "--no-max-load"])
    assert exit_info.value.code == 2


def test_a_real_program_result_is_its_last_checksum_line() -> None:
    printed = 'checksum: old\nresult 3\nchecksum: 9ab1\n{"evidence": {}}\n'
    assert RUNNER._checksum(printed) == "9ab1"
    assert RUNNER._checksum("no result here\n") is None


def test_a_fix_that_prevents_a_crash_must_give_the_guarded_program_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quiet(monkeypatch)
    program = RUNNER.Program("fake", None, "a tutorial", "", "", expected="8e68")
    item = RUNNER.Prepared(
        program,
        _program(tmp_path / "before", fail=True),
        _program(tmp_path / "after", "77aa"),
        ["DSK201"],
        False,
        [],
    )
    RUNNER.run_rounds([item], 1, quick=False, max_load=None)
    (row,) = RUNNER.rows([item])
    assert row["identical"] is False
    assert row["verdict"] == "WRONG"


def _report(pid: int, *computations: tuple[str, dict[str, int], int, int]) -> dict[str, Any]:
    """A trace report holding computations of ``(scheduler, tasks per process, tasks,
    depth)``, as ``dasklint trace --output-format json`` writes them."""
    return {
        "program": {"pid": pid},
        "computations": [
            {
                "scheduler": scheduler,
                "shape": {
                    "tasks_per_process": {str(p): n for p, n in per_process.items()},
                    "tasks": tasks,
                    "depth": depth,
                },
            }
            for scheduler, per_process, tasks, depth in computations
        ],
    }


def test_the_evidence_columns_come_from_the_trace_report() -> None:
    serial = RUNNER.evidence(_report(100, ("processes", {201: 4}, 4, 1)))
    assert serial == {
        "schedulers": ["processes"],
        "worker_processes": 1,
        "in_main_process": 0,
        "computations": 1,
        "tasks": 4,
        "depth": 1,
    }
    assert RUNNER._evidence({"evidence": serial}) == "1 proc, processes; 1 comp, 4 tasks, depth 1"
    threads = RUNNER.evidence(_report(100, ("threads", {100: 4}, 4, 1)))
    assert RUNNER._evidence({"evidence": threads}) == (
        "1 proc (main), threads; 1 comp, 4 tasks, depth 1"
    )
    mixed = RUNNER.evidence(
        _report(100, ("threads", {100: 6}, 6, 2), ("processes", {100: 1, 301: 2, 302: 2}, 5, 3))
    )
    assert RUNNER._evidence({"evidence": mixed, "crash": "ValueError: x"}) == (
        "crashed; 3 proc (incl. main), processes+threads; 2 comp, 11 tasks, depth 3"
    )
    nothing = RUNNER.evidence(_report(100))
    assert RUNNER._evidence({"evidence": nothing}) == "no computation recorded"
    assert RUNNER._evidence(None) == "not traced"


def test_rows_show_the_traced_runs_evidence(tmp_path: Path) -> None:
    item = _prepared(tmp_path, tmp_path / "before.py", tmp_path / "after.py")
    item.runs = {"before": [{"result": 1, "wall": 2.0}], "after": [{"result": 1, "wall": 1.0}]}
    item.loads = [0.2]
    for label, pid in (("before", 201), ("after", 100)):
        report = _report(100, ("processes" if pid != 100 else "threads", {pid: 4}, 4, 1))
        item.traced[label] = {"result": 1, "evidence": RUNNER.evidence(report)}
    (row,) = RUNNER.rows([item])
    assert row["evidence_before"] == "1 proc, processes; 1 comp, 4 tasks, depth 1"
    assert row["evidence_after"] == "1 proc (main), threads; 1 comp, 4 tasks, depth 1"


def test_a_traced_run_reads_the_report_and_the_program_own_error(tmp_path: Path) -> None:
    """Under ``dasklint trace`` (a program without Dask: nothing to record), the result is
    the program's and a crash is the program's last line of error output, not the
    summary trace adds after it."""
    ran = RUNNER.run_program(_program(tmp_path / "ok", 7), "", trace=tmp_path / "ok.json")
    assert ran["result"] == 7 and "crash" not in ran
    assert ran["evidence"]["computations"] == 0
    assert json.loads((tmp_path / "ok.json").read_text())["program"]["exit_status"] == 0
    failed = RUNNER.run_program(
        _program(tmp_path / "bad", fail=True), "", trace=tmp_path / "bad.json"
    )
    assert failed["result"] is None
    assert failed["crash"] == "RuntimeError: bootstrapping phase"
    assert failed["evidence"]["computations"] == 0


def _alive(pid: int) -> bool:
    """Whether a process runs (a killed child nobody reaped yet is a zombie: not running)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_run_that_times_out_is_killed_with_the_processes_it_started(tmp_path: Path) -> None:
    folder = tmp_path / "slow"
    folder.mkdir()
    started = tmp_path / "started"
    # The program starts a child (its output elsewhere) that notes its pid, waits for
    # that note, then hangs.
    (folder / "child.py").write_text(
        f"import os, time\nPath = {str(started)!r}\n"
        "with open(Path + '.tmp', 'w') as f:\n    f.write(str(os.getpid()))\n"
        "os.rename(Path + '.tmp', Path)\ntime.sleep(60)\n"
    )
    (folder / "slow.py").write_text(
        "import os, subprocess, sys, time\n"
        "quiet = {'stdout': subprocess.DEVNULL, 'stderr': subprocess.DEVNULL}\n"
        "subprocess.Popen([sys.executable, 'child.py'], **quiet)\n"
        f"while not os.path.exists({str(started)!r}):\n    time.sleep(0.02)\n"
        "time.sleep(60)\n"
    )
    ran = RUNNER.run_program(folder / "slow.py", "", timeout=3)
    assert ran["crash"] == "timed out after 3 s"
    child = int(started.read_text())  # the child ran before the time-out
    try:
        deadline = RUNNER.time.monotonic() + 2
        while _alive(child) and RUNNER.time.monotonic() < deadline:
            RUNNER.time.sleep(0.05)
        assert not _alive(child)
    finally:
        if _alive(child):
            RUNNER.os.kill(child, 9)
