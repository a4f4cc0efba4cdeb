"""Futures: what the DSK701-DSK706 messages and fixes claim, checked with the installed
distributed.

Each check runs a short script in a fresh interpreter against an in-process cluster
(``processes=False``, loopback only, one worker) and reads one ``RESULT`` line of JSON.
Where a rule has a fix, the script imports the fixture and its expected fixed file (the
exact output the fixture harness compares byte for byte) as two modules and calls the
same functions of both, so the fix that is checked textually is also checked to behave
as its documentation says.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from dasklint.config.settings import Settings
from dasklint.engine.lint.linter import lint_source

pytestmark = pytest.mark.dask_runtime

TIMEOUT = 180
CLIENT = 'Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0")'


def _run(tmp_path: Path, script: str, modules: dict[str, Path] | None = None) -> Any:
    """Run ``script`` with ``modules`` (name -> file) importable; its ``RESULT`` JSON."""
    for name, source in (modules or {}).items():
        assert source.exists(), f"missing {source}"
        shutil.copyfile(source, tmp_path / f"{name}.py")
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(script).replace("CLIENT", CLIENT))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    env["PYTHONHASHSEED"] = "0"  # the order in which ``gather`` checks futures
    completed = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        cwd=tmp_path,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    assert completed.returncode == 0 and lines, completed.stderr[-3000:]
    return json.loads(lines[-1][len("RESULT ") :])


def _codes(source: str) -> list[str]:
    settings = Settings(root=Path("/nonexistent")).for_file(Path("/nonexistent/example.py"))
    result = lint_source(textwrap.dedent(source).encode(), "example.py", settings)
    assert result.error is None
    return [d.code for d in result.diagnostics]


DISCARDED = """
import json
import os
import time

from dask.distributed import Client, fire_and_forget


def write(path):
    with open(path, "w") as f:
        f.write("done")


def pending(client):
    return client.run_on_scheduler(
        lambda dask_scheduler: [str(k) for k in dask_scheduler.tasks if str(k).startswith("write-")]
    )


if __name__ == "__main__":
    with CLIENT as client:
        blocker = client.submit(time.sleep, 1.0)  # holds the only worker thread
        client.submit(write, "dropped.txt")
        deadline = time.monotonic() + 10
        while pending(client) and time.monotonic() < deadline:
            time.sleep(0.05)
        released = pending(client) == []
        blocker.result()
        time.sleep(0.5)
        dropped_ran = os.path.exists("dropped.txt")

        blocker = client.submit(time.sleep, 1.01)
        fire_and_forget(client.submit(write, "forgotten.txt"))
        blocker.result()
        deadline = time.monotonic() + 10
        while not os.path.exists("forgotten.txt") and time.monotonic() < deadline:
            time.sleep(0.05)
        forgotten_ran = os.path.exists("forgotten.txt")
    print("RESULT " + json.dumps([released, dropped_ran, forgotten_ran]))
"""


def test_discarded_future_is_released_and_its_task_never_runs(tmp_path: Path) -> None:
    """DSK704: the scheduler forgets a task whose future was dropped, and a task still
    queued never runs; the same call under ``fire_and_forget`` runs."""
    assert _codes(DISCARDED.replace("CLIENT", CLIENT)).count("DSK704") == 1
    released, dropped_ran, forgotten_ran = _run(tmp_path, DISCARDED)
    assert released, "the discarded task's key stayed on the scheduler"
    assert not dropped_ran, "the discarded task ran"
    assert forgotten_ran, "fire_and_forget did not run the task"


IMPURE = """
import json

from dask.distributed import Client

import fixed
import original

if __name__ == "__main__":
    with CLIENT as client:
        out = {}
        for name, module in (("original", original), ("fixed", fixed)):
            first = module.local_function(client)
            second = module.local_function(client)
            mapped = module.mapped(client, [1, 1, 1])
            out[name] = {
                "submit_keys": len({first.key, second.key}),
                "submit_values": len({first.result(), second.result()}),
                "map_keys": len({f.key for f in mapped}),
                "map_values": len(set(client.gather(mapped))),
            }
    print("RESULT " + json.dumps(out))
"""


def test_impure_function_submitted_twice_shares_one_key_and_value(tmp_path: Path) -> None:
    """DSK705: ``submit``/``map`` default to ``pure=True``, so equal calls of a function
    that draws random numbers share one key and one value; the fix (``pure=False``)
    gives every call its own key and value."""
    fixture = FIXTURES / "DSK705" / "impure.py"
    modules = {"original": fixture, "fixed": fixture.with_name("impure.py.fixed")}
    out = _run(tmp_path, IMPURE, modules)
    assert out["original"] == {"submit_keys": 1, "submit_values": 1, "map_keys": 1, "map_values": 1}
    assert out["fixed"] == {"submit_keys": 2, "submit_values": 2, "map_keys": 3, "map_values": 3}


GATHER = """
import json

from dask.distributed import Client, wait

import fixed
import original


def fail(kind):
    raise {"value": ValueError, "key": KeyError}[kind](kind)


def raised(function):
    try:
        function()
    except Exception as exc:
        return type(exc).__name__
    return None


if __name__ == "__main__":
    with CLIENT as client:
        out = {}
        for name, module in (("original", original), ("fixed", fixed)):
            values = [module.mapped(client, [1, 2, 3]), module.submitted(client)]
            values.append(module.scattered(client))
            out[name] = {"values": values, "types": [type(v).__name__ for v in values]}
        value = client.submit(fail, "value", key="fail-value")
        key = client.submit(fail, "key", key="fail-key")
        wait([value, key])
        out["errors"] = {
            "loop": [
                raised(lambda: [f.result() for f in [value, key]]),
                raised(lambda: [f.result() for f in [key, value]]),
            ],
            "gather": [
                raised(lambda: client.gather([value, key])),
                raised(lambda: client.gather([key, value])),
            ],
        }
    print("RESULT " + json.dumps(out))
"""


def test_gather_fix_returns_the_same_results(tmp_path: Path) -> None:
    """DSK702: ``client.gather(futures)`` returns the list the ``.result()`` comprehension
    builds. With several failed futures the raised exception can differ (the reason the
    fix is unsafe): the comprehension raises the first failure in list order, ``gather``
    the same one whatever the order."""
    fixture = FIXTURES / "DSK702" / "fixes.py"
    modules = {"original": fixture, "fixed": fixture.with_name("fixes.py.unsafe-fixed")}
    out = _run(tmp_path, GATHER, modules)
    assert out["original"]["values"] == [[2, 3, 4], 10, [1, 2, 3]]
    assert out["fixed"] == out["original"]
    assert out["fixed"]["types"] == ["list", "int", "list"]
    assert out["errors"]["loop"] == ["ValueError", "KeyError"]
    first, second = out["errors"]["gather"]
    assert first == second and first in ("ValueError", "KeyError")


MAP = """
import json

from dask.distributed import Client

import fixed
import original

if __name__ == "__main__":
    with CLIENT as client:
        out = {}
        for name, module in (("original", original), ("fixed", fixed)):
            listed = module.listed(client)
            appended = module.appended(client)
            out[name] = {
                "types": [type(listed).__name__, type(appended).__name__],
                "values": [client.gather(listed), client.gather(appended)],
            }
    print("RESULT " + json.dumps(out))
"""


def test_map_fix_returns_the_same_futures_values(tmp_path: Path) -> None:
    """DSK701: the ``client.map`` rewrite returns a list of futures with the same values
    in the same order as the ``submit`` loop."""
    fixture = FIXTURES / "DSK701" / "fixes.py"
    modules = {"original": fixture, "fixed": fixture.with_name("fixes.py.unsafe-fixed")}
    out = _run(tmp_path, MAP, modules)
    assert out["original"]["values"] == [list(range(2, 12)), list(range(1, 101))]
    assert out["fixed"] == out["original"]
    assert out["fixed"]["types"] == ["list", "list"]


DEADLOCK = """
import json

from dask.distributed import Client, TimeoutError

import fixed
import original

if __name__ == "__main__":
    with CLIENT as client:
        out = {}
        # The fixed task first: the original one keeps the only thread once it hangs.
        # The fixed one finishes in milliseconds on the warm worker; the original never
        # does, which 2 s show as well as longer would.
        for name, module, timeout in (("fixed", fixed, 60), ("original", original, 2)):
            future = client.submit(module.gathers, 5)
            try:
                out[name] = future.result(timeout=timeout)
            except TimeoutError:
                out[name] = "timeout"
            future.cancel()
    print("RESULT " + json.dumps(out))
"""


def test_task_waiting_without_secede_deadlocks_one_thread(tmp_path: Path) -> None:
    """DSK706: on a worker with one thread, a task that gathers the tasks it submitted
    through ``get_client()`` never finishes; the fixed task (``worker_client``) does."""
    fixture = FIXTURES / "DSK706" / "waits.py"
    modules = {"original": fixture, "fixed": fixture.with_name("waits.py.unsafe-fixed")}
    out = _run(tmp_path, DEADLOCK, modules)
    assert out == {"original": "timeout", "fixed": 15}
