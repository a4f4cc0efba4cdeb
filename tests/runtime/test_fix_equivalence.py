"""The fixed examples compute what the originals compute, and run as the fixes promise.

The expected fixed files (``fixtures/examples/*.py.fixed`` and ``*.py.unsafe-fixed``) are
the exact output of ``dasklint check --fix`` / ``--fix --unsafe-fixes`` (the fixture
harness compares them byte for byte). Here each original and each fixed program runs with
the installed dask and distributed, in a fresh interpreter (the LocalCluster is started by
the fixed code itself, on the loopback interface, with the small sizes of the examples),
and the results are compared. The improvements are checked structurally (which worker
processes ran the tasks), never by timing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import preloaded
import pytest
from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.dask_runtime

EXAMPLES = FIXTURES / "examples"
TIMEOUT = 180
PREFIX = "RESULT "

DRIVER = """
import importlib, json, sys
module = importlib.import_module(sys.argv[1])
try:
    outcome = {"result": module.main(**json.loads(sys.argv[2]))}
except Exception as exc:
    outcome = {"error": type(exc).__name__, "message": str(exc)}
print("RESULT " + json.dumps(outcome), flush=True)
"""


def run_variant(tmp_path: Path, module: str, suffix: str, **kwargs: Any) -> dict[str, Any]:
    """Run ``main(**kwargs)`` of ``<module>.py`` + ``suffix`` ('' for the original)."""
    folder = tmp_path / (suffix.strip(".") or "original")
    folder.mkdir(exist_ok=True)
    source = EXAMPLES / f"{module}.py{suffix}"
    assert source.exists(), f"missing {source.name}"
    shutil.copyfile(source, folder / f"{module}.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")]))
    proc = preloaded.run(["-c", DRIVER, module, json.dumps(kwargs)], ROOT, env, TIMEOUT)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(PREFIX)]
    assert proc.returncode == 0 and lines, f"{source.name}: {proc.stdout}\n{proc.stderr}"
    outcome: dict[str, Any] = json.loads(lines[-1][len(PREFIX) :])
    return outcome


def _result(outcome: dict[str, Any]) -> Any:
    assert "error" not in outcome, outcome
    return outcome["result"]


def _four_tasks(report: dict[str, Any]) -> tuple[list[int], set[int]]:
    tasks = report["tasks"]
    return [t["task"] for t in tasks], {t["pid"] for t in tasks}


def test_four_tasks_safe_fix_runs_them_in_several_processes(tmp_path: Path) -> None:
    """DSK102 (and DSK101's safe step): `chunksize=1` for this small graph computed once:
    same tasks, same order, no longer all in one process."""
    original = _result(run_variant(tmp_path, "four_tasks_processes", ""))
    fixed = _result(run_variant(tmp_path, "four_tasks_processes", ".fixed"))
    order, pids = _four_tasks(original)
    fixed_order, fixed_pids = _four_tasks(fixed)
    assert order == fixed_order == [0, 1, 2, 3]
    assert len(pids) == 1, pids  # the original batches all four into one process
    assert len(fixed_pids) > 1, fixed_pids
    assert fixed["parent_pid"] not in fixed_pids  # still worker processes, not threads


def test_four_tasks_unsafe_fix_runs_them_side_by_side_in_threads(tmp_path: Path) -> None:
    """DSK101's unsafe step: the tasks only sleep (they release the GIL), so the threaded
    scheduler runs them at once, in this process, with no process to start; the
    original ran them one after another. Same tasks, same order."""
    original = _result(run_variant(tmp_path, "four_tasks_processes", ""))
    fixed = _result(run_variant(tmp_path, "four_tasks_processes", ".unsafe-fixed"))
    order, pids = _four_tasks(original)
    fixed_order, fixed_pids = _four_tasks(fixed)
    assert order == fixed_order == [0, 1, 2, 3]
    assert len(pids) == 1 and original["parent_pid"] not in pids  # one worker process
    assert fixed_pids == {fixed["parent_pid"]}
    tasks = fixed["tasks"]
    assert max(t["start"] for t in tasks) < min(t["end"] for t in tasks)  # all overlap
    serial = original["tasks"]
    assert max(t["start"] for t in serial) >= min(t["end"] for t in serial)  # one by one


@pytest.mark.parametrize("suffix", [".fixed", ".unsafe-fixed"])
def test_compute_in_loop_fixed_gives_the_same_totals(tmp_path: Path, suffix: str) -> None:
    original = _result(run_variant(tmp_path, "processes_compute_in_loop", ""))
    fixed = _result(run_variant(tmp_path, "processes_compute_in_loop", suffix))
    assert fixed["totals"] == original["totals"] == [3, 7, 11]
    assert fixed["parent_pid"] not in fixed["pids"]


@pytest.mark.parametrize("shape", ["independent", "diamond"])
def test_chunksize_minus_one_fixed_computes(tmp_path: Path, shape: str) -> None:
    """DSK103: the original crashes; the fixed program computes the right values. Each
    function computes once, so the unsafe fixes add nothing (DSK101's LocalCluster
    codemod is not offered: there is no ``.unsafe-fixed`` file)."""
    original = run_variant(tmp_path, "chunksize_minus_one", "", shape=shape)
    assert original.get("error") == "ZeroDivisionError", original
    assert not (EXAMPLES / "chunksize_minus_one.py.unsafe-fixed").exists()
    fixed = _result(run_variant(tmp_path, "chunksize_minus_one", ".fixed", shape=shape))
    expected: Any = [i * i for i in range(8)] if shape == "independent" else 3 * (9 + 1)
    assert fixed == expected


def test_scheduler_bypass_fixed_runs_on_the_cluster(tmp_path: Path) -> None:
    """DSK104's unsafe fix: the overriding computations now run on the cluster's workers."""
    original = _result(run_variant(tmp_path, "scheduler_bypasses_client", ""))
    fixed = _result(run_variant(tmp_path, "scheduler_bypasses_client", ".unsafe-fixed"))
    assert set(original["explicit_scheduler"]) == {original["parent_pid"]}
    for key in ("explicit_scheduler", "config_scheduler", "default"):
        assert len(fixed[key]) == len(original[key]) == 4
        assert set(fixed[key]) <= set(fixed["worker_pids"]), key


def test_gil_bound_fixed_runs_in_worker_processes(tmp_path: Path) -> None:
    """DSK501's unsafe fix: the same scores, now computed by single-threaded worker
    processes of the LocalCluster the fixed code starts, instead of threads of this one."""
    original = _result(run_variant(tmp_path, "gil_bound_threads", "", words=3000))
    fixed = _result(run_variant(tmp_path, "gil_bound_threads", ".unsafe-fixed", words=3000))
    scores = [r["score"] for r in original["threads"]]
    assert [r["score"] for r in fixed["threads"]] == scores
    assert [r["score"] for r in fixed["processes"]] == scores
    assert {r["pid"] for r in original["threads"]} == {original["parent_pid"]}
    worker_pids = {r["pid"] for r in fixed["threads"]}
    assert fixed["parent_pid"] not in worker_pids
    assert len(worker_pids) > 1, worker_pids


def test_accumulation_and_unused_argument_fixed_give_the_same_values(tmp_path: Path) -> None:
    """DSK603's fix (one `delayed(sum)` task) and DSK601's (the unread argument dropped):
    the same computed values, with graphs no longer as deep as the data."""
    n = 30
    original = _result(run_variant(tmp_path, "unused_dependency_chain", "", n=n))
    fixed = _result(run_variant(tmp_path, "unused_dependency_chain", ".unsafe-fixed", n=n))
    assert fixed["accumulated_value"] == original["accumulated_value"] == sum(range(n))
    assert fixed["chained_value"] == original["chained_value"] == n - 1
    assert original["accumulated_depth"] == n + 1
    assert fixed["accumulated_depth"] == 2  # the parts, then the one sum
    assert original["chained_depth"] == n
    assert fixed["chained_depth"] == 1  # the last task no longer waits for the others


def test_large_input_fixed_gives_the_same_sums(tmp_path: Path) -> None:
    """DSK309's fix (the array delayed once before the loop) on a LocalCluster."""
    size, windows = 40_000, 8
    original = _result(
        run_variant(tmp_path, "large_input_every_task", "", size=size, windows=windows)
    )
    fixed = _result(
        run_variant(tmp_path, "large_input_every_task", ".unsafe-fixed", size=size, windows=windows)
    )
    step = size // windows
    expected = [sum(range(w * step, (w + 1) * step)) for w in range(windows)]
    assert fixed["sums"] == original["sums"] == expected


def test_delayed_on_result_fixed_runs_as_tasks(tmp_path: Path) -> None:
    """DSK301: same values; the original ran `square` in the caller's thread while the
    graph was built, the fixed program runs it as tasks in the scheduler's pool."""
    original = _result(run_variant(tmp_path, "delayed_on_result", ""))
    fixed = _result(run_variant(tmp_path, "delayed_on_result", ".unsafe-fixed"))
    assert fixed["squares"] == original["squares"] == [0, 1, 4, 9]
    assert original["in_caller_thread"] is True
    assert fixed["in_caller_thread"] is False


def test_compute_in_loop_append_fixed_gives_the_same_totals(tmp_path: Path) -> None:
    """DSK303: the append pattern becomes one `dask.compute` after the loop."""
    original = _result(run_variant(tmp_path, "compute_in_loop", ""))
    fixed = _result(run_variant(tmp_path, "compute_in_loop", ".unsafe-fixed"))
    assert fixed["totals"] == original["totals"] == [45, 145, 245, 345]


def test_gil_bound_small_graph_fixed_runs_in_worker_processes(tmp_path: Path) -> None:
    """DSK501's fix for a small graph computed once: the same scores, now computed in
    worker processes of the processes scheduler (``chunksize=1``) instead of threads of
    this one."""
    original = _result(run_variant(tmp_path, "gil_bound_small_graph", "", words=300_000))
    fixed = _result(run_variant(tmp_path, "gil_bound_small_graph", ".unsafe-fixed", words=300_000))
    assert [t["score"] for t in fixed["tasks"]] == [t["score"] for t in original["tasks"]]
    assert {t["pid"] for t in original["tasks"]} == {original["parent_pid"]}
    worker_pids = {t["pid"] for t in fixed["tasks"]}
    assert fixed["parent_pid"] not in worker_pids
    assert len(worker_pids) > 1, worker_pids
