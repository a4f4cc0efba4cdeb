"""The bundled examples, run with the installed Dask, behave as the rule messages say.

dasklint never imports the code it lints; these tests run the programs in
``fixtures/examples`` on purpose, each in a fresh interpreter, and check structural facts
(which process ran a task, which exception was raised), never durations. Each test also
lints the same example, tying the runtime fact to the rule that claims it.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections import Counter
from typing import Any

import preloaded
import pytest
from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.dask_runtime

EXAMPLES = FIXTURES / "examples"
TIMEOUT = 120
RESULT_PREFIX = "RESULT "

# Imports an example by module name (so worker processes can import it too), calls its
# ``main(**kwargs)`` and prints the outcome as one JSON line. When asked, it also reports
# which of the process ids in ``result[key]`` are still alive once ``main`` has returned.
DRIVER = """
import importlib, json, os, sys
module = importlib.import_module(sys.argv[1])
kwargs = json.loads(sys.argv[2])
try:
    outcome = {"result": module.main(**kwargs)}
except Exception as exc:
    outcome = {"error": type(exc).__name__, "message": str(exc)}
if len(sys.argv) > 3 and "result" in outcome:
    alive = []
    for pid in outcome["result"][sys.argv[3]]:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        alive.append(pid)
    outcome["alive"] = alive
print("RESULT " + json.dumps(outcome), flush=True)
"""


def run_example(module: str, alive_key: str | None = None, **kwargs: Any) -> dict[str, Any]:
    """Run ``fixtures/examples/<module>.py``'s ``main(**kwargs)`` in a subprocess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(EXAMPLES), env.get("PYTHONPATH")]))
    # Dask settings from the environment would change what the examples demonstrate.
    for name in [n for n in env if n.startswith("DASK_")]:
        del env[name]
    args = ["-c", DRIVER, module, json.dumps(kwargs)]
    if alive_key is not None:
        args.append(alive_key)
    proc = preloaded.run(args, ROOT, env, TIMEOUT)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    assert proc.returncode == 0 and lines, (
        f"{module} exited with {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    )
    outcome: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX) :])
    return outcome


def result_of(module: str, **kwargs: Any) -> Any:
    """What ``main(**kwargs)`` of an example returned; it must not raise."""
    outcome = run_example(module, **kwargs)
    assert "error" not in outcome, outcome
    return outcome["result"]


def lint_codes(module: str) -> Counter[str]:
    """The rule codes ``dasklint check`` reports on an example, with their counts."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dasklint",
            "check",
            "--isolated",
            str(EXAMPLES / f"{module}.py"),
            "--output-format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return Counter(d["code"] for d in json.loads(proc.stdout))


def test_four_tasks_run_serially_in_one_worker_process() -> None:
    """DSK101/DSK102: up to 6 ready tasks are batched into one process, one after another."""
    assert lint_codes("four_tasks_processes") == Counter({"DSK101": 2, "DSK102": 1})

    report = result_of("four_tasks_processes")
    tasks = report["tasks"]
    assert sorted(t["task"] for t in tasks) == [0, 1, 2, 3]
    pids = {t["pid"] for t in tasks}
    assert len(pids) == 1, f"expected one worker process, got {pids}"
    assert report["parent_pid"] not in pids
    # One after another: no two tasks were running at the same time.
    spans = sorted((t["start"], t["end"]) for t in tasks)
    for (_, end), (next_start, _) in itertools.pairwise(spans):
        assert next_start >= end, spans


def test_chunksize_one_spreads_the_four_tasks_over_processes() -> None:
    """DSK102's fix: with ``chunksize=1`` the same tasks reach more than one process."""
    report = result_of("four_tasks_processes", chunksize=1)
    pids = {t["pid"] for t in report["tasks"]}
    assert len(pids) > 1, f"expected several worker processes, got {pids}"
    assert report["parent_pid"] not in pids


@pytest.mark.parametrize("shape", ["independent", "diamond"])
def test_chunksize_minus_one_raises_zero_division_error(shape: str) -> None:
    """DSK103: ``chunksize=-1`` divides by zero once tasks run and none is ready."""
    outcome = run_example("chunksize_minus_one", shape=shape)
    assert outcome.get("error") == "ZeroDivisionError", outcome


def test_chunksize_minus_one_needs_two_batches_to_fail() -> None:
    """The failure condition: a single task is one batch, so nothing ever waits."""
    # DSK401 (info): the diamond's four tasks each add two numbers.
    assert lint_codes("chunksize_minus_one") == Counter({"DSK101": 2, "DSK103": 2, "DSK401": 1})
    assert result_of("chunksize_minus_one", num_tasks=1) == [0]


def test_bag_and_delayed_together_raise_value_error() -> None:
    """DSK107: differing default schedulers and no ``scheduler=`` raise ValueError."""
    assert lint_codes("mixed_bag_delayed") == Counter({"DSK107": 1})

    outcome = run_example("mixed_bag_delayed")
    assert outcome.get("error") == "ValueError", outcome
    assert "differing default schedulers" in outcome["message"]

    assert result_of("mixed_bag_delayed", fixed=True) == [10, 30]


def test_each_processes_compute_uses_a_new_pool() -> None:
    """DSK108: every call starts new worker processes and shuts them down before returning."""
    assert lint_codes("processes_compute_in_loop") == Counter({"DSK101": 1, "DSK108": 1})

    outcome = run_example("processes_compute_in_loop", alive_key="pids")
    assert "error" not in outcome, outcome
    report = outcome["result"]
    assert report["totals"] == [3, 7, 11]
    pids = report["pids"]
    assert len(set(pids)) == len(pids), f"a worker process was reused across calls: {pids}"
    assert report["parent_pid"] not in pids
    assert outcome["alive"] == [], "worker processes outlived their compute() call"


def test_explicit_scheduler_bypasses_the_client() -> None:
    """DSK104: ``scheduler=`` and ``dask.config.set`` beat the Client; plain compute uses it."""
    assert lint_codes("scheduler_bypasses_client") == Counter({"DSK104": 2})

    report = result_of("scheduler_bypasses_client")
    parent, workers = report["parent_pid"], set(report["worker_pids"])
    assert len(workers) == 2 and parent not in workers
    assert set(report["explicit_scheduler"]) == {parent}
    assert set(report["config_scheduler"]) == {parent}
    assert set(report["default"]) <= workers


def test_local_cluster_runs_the_four_tasks_on_several_workers() -> None:
    """The fix DSK101 recommends: no findings, and the tasks are not batched."""
    assert lint_codes("ok_local_cluster") == Counter()

    report = result_of("ok_local_cluster")
    workers = set(report["worker_pids"])
    pids = {t["pid"] for t in report["tasks"]}
    assert sorted(t["task"] for t in report["tasks"]) == [0, 1, 2, 3]
    assert report["parent_pid"] not in workers
    assert pids <= workers
    assert len(pids) > 1, f"expected the tasks on several workers, got {pids}"
