"""The runtime claims of DSK202, DSK203, DSK308, DSK313 and DSK315, checked with real Dask.

Programs that start clusters run in a fresh interpreter (in-process clusters with
``processes=False`` on the loopback interface, one worker, no dashboard port), so a
cluster left running on purpose never outlives its test. Each program is also linted,
tying the runtime fact to the rule that claims it. Nothing here measures time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
import pytest

from dasklint.config.settings import Selection, Settings
from dasklint.engine.lint.linter import lint_source

pytestmark = pytest.mark.dask_runtime

TIMEOUT = 120
PREFIX = "RESULT "
CLUSTER = 'processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0"'


def _codes(source: str, *select: str) -> list[str]:
    layers = (Selection(extend_select=select),) if select else ()
    settings = Settings(root=Path("/nonexistent"), layers=layers)
    result = lint_source(
        source.encode(), "program.py", settings.for_file(Path("/nonexistent/program.py"))
    )
    assert result.error is None
    return [d.code for d in result.diagnostics]


def _run(tmp_path: Path, source: str) -> dict[str, Any]:
    """Run ``source`` in a fresh interpreter; it prints ``RESULT <json>`` once."""
    script = tmp_path / "program.py"
    script.write_text(source)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    completed = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=tmp_path,
        env=env,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith(PREFIX)]
    assert completed.returncode == 0 and lines, completed.stderr[-3000:]
    result: dict[str, Any] = json.loads(lines[-1][len(PREFIX) :])
    return result


def _program(body: str) -> str:
    return textwrap.dedent(body).replace("CLUSTER", CLUSTER).strip() + "\n"


# ----------------------------------------------------------------------------- DSK202
UNCLOSED_CLIENT = """
import gc, json, weakref
from dask.distributed import Client

def total(values):
    client = Client(CLUSTER)
    refs.append((weakref.ref(client), weakref.ref(client.cluster)))
    return client.submit(sum, values).result()

if __name__ == "__main__":
    refs = []
    value = total([1, 2, 3])
    gc.collect()
    client_ref, cluster_ref = refs[0]
    client, cluster = client_ref(), cluster_ref()
    out = {
        "value": value,
        "client_alive": client is not None and client.status == "running",
        "cluster_alive": cluster is not None and cluster.status.name == "running",
    }
    # The scheduler still answers a new connection.
    with Client(cluster.scheduler_address, timeout=30) as probe:
        out["workers"] = len(probe.scheduler_info()["workers"])
    client.close()
    print("RESULT " + json.dumps(out))
"""


def test_unclosed_client_outlives_its_function_and_garbage_collection(tmp_path: Path) -> None:
    """DSK202: nothing closes a Client for you, not even garbage collection."""
    source = _program(UNCLOSED_CLIENT)
    assert "DSK202" in _codes(source, "DSK202")
    result = _run(tmp_path, source)
    assert result == {"value": 6, "client_alive": True, "cluster_alive": True, "workers": 1}


UNCLOSED_CLUSTER = """
import gc, json, weakref
from dask.distributed import LocalCluster

def start():
    cluster = LocalCluster(CLUSTER)
    refs.append(weakref.ref(cluster))
    print(cluster.scheduler_address)

if __name__ == "__main__":
    refs = []
    start()
    gc.collect()
    cluster = refs[0]()
    out = {"alive": cluster is not None and cluster.status.name == "running"}
    cluster.close()
    print("RESULT " + json.dumps(out))
"""


def test_unclosed_cluster_outlives_its_function(tmp_path: Path) -> None:
    source = _program(UNCLOSED_CLUSTER)
    assert "DSK202" in _codes(source, "DSK202")
    assert _run(tmp_path, source) == {"alive": True}


CLIENT_OF_A_CLUSTER = """
import json
from dask.distributed import Client, LocalCluster

if __name__ == "__main__":
    out = {}
    cluster = LocalCluster(CLUSTER)
    client = Client(cluster)
    client.close()
    out["after_client_close"] = cluster.status.name
    with Client(LocalCluster(CLUSTER)) as inline:
        inner = inline.cluster
    out["inline_after_with"] = inner.status.name
    out["client_after_with"] = inline.status
    inner.close()
    other = LocalCluster(CLUSTER)
    Client(other).shutdown()
    out["after_shutdown"] = other.status.name
    with Client(CLUSTER) as own:
        started = own.cluster
    out["own_cluster_after_with"] = started.status.name
    cluster.close()
    print("RESULT " + json.dumps(out))
"""


def test_closing_a_client_closes_only_the_cluster_it_started(tmp_path: Path) -> None:
    """DSK202: ``client.close()`` leaves a cluster passed to ``Client(...)`` running;
    ``client.shutdown()`` closes it; a ``Client()`` closes the cluster it started."""
    result = _run(tmp_path, _program(CLIENT_OF_A_CLUSTER))
    assert result == {
        "after_client_close": "running",
        "inline_after_with": "running",
        "client_after_with": "closed",
        "after_shutdown": "closed",
        "own_cluster_after_with": "closed",
    }
    inline = _program(
        """
        from dask.distributed import Client, LocalCluster

        def run():
            with Client(LocalCluster(CLUSTER)) as client:
                return client.submit(sum, [1]).result()
        """
    )
    assert "DSK202" in _codes(inline, "DSK202")


# ----------------------------------------------------------------------------- DSK203
PER_CALL = """
import json
from dask.distributed import Client, LocalCluster

def process(value):
    with LocalCluster(CLUSTER) as cluster, Client(cluster) as client:
        kept = client.scatter({"kept": value}, broadcast=True)
        tasks = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.tasks))
        del kept
        return cluster.scheduler_address, tasks

if __name__ == "__main__":
    seen = [process(v) for v in range(2)]
    out = {
        "addresses": len({address for address, _ in seen}),
        "tasks_at_start": [tasks for _, tasks in seen],
    }
    print("RESULT " + json.dumps(out))
"""


def test_cluster_per_call_starts_a_new_empty_cluster_each_time(tmp_path: Path) -> None:
    """DSK203: every call starts another scheduler, and nothing scattered to the
    previous one is on it (only this call's own data)."""
    source = _program(PER_CALL)
    assert "DSK203" in _codes(source)
    result = _run(tmp_path, source)
    assert result == {"addresses": 2, "tasks_at_start": [["kept"], ["kept"]]}


# ----------------------------------------------------------------------------- DSK308
def test_delayed_on_a_collection_receives_all_of_it() -> None:
    """DSK308: the delayed function gets one pandas object with every partition."""
    ddf = dd.from_pandas(pd.DataFrame({"x": range(100)}), npartitions=4)
    seen: list[tuple[str, int]] = []

    def train(frame: object) -> int:
        assert isinstance(frame, pd.DataFrame)
        seen.append((type(frame).__name__, len(frame)))
        return len(frame)

    assert dask.delayed(train)(ddf).compute(scheduler="sync") == 100
    assert seen == [("DataFrame", 100)]
    whole = dask.delayed(ddf).compute(scheduler="sync")
    assert isinstance(whole, pd.DataFrame) and len(whole) == 100
    source = _program(
        """
        import dask
        import dask.dataframe as dd

        def train(frame):
            return len(frame)

        ddf = dd.from_dict({"x": range(100)}, npartitions=4)
        model = dask.delayed(train)(ddf)
        """
    )
    assert "DSK308" in _codes(source)


# ----------------------------------------------------------------------------- DSK313
def test_pure_true_merges_calls_of_a_random_function() -> None:
    """DSK313: with ``pure=True`` two calls share one key and one value; the fix
    (``pure=False``) gives each call its own key and value."""
    import random

    a = dask.delayed(random.random, pure=True)()
    b = dask.delayed(random.random, pure=True)()
    assert a.key == b.key
    first, second = dask.compute(a, b, scheduler="sync")
    assert first == second

    c = dask.delayed(random.random, pure=False)()
    d = dask.delayed(random.random, pure=False)()
    assert c.key != d.key
    third, fourth = dask.compute(c, d, scheduler="sync")
    assert third != fourth  # equal with probability 2**-53

    @dask.delayed(pure=True)
    def roll() -> float:
        return random.random()

    assert roll().key == roll().key
    source = "import random\nimport dask\na = dask.delayed(random.random, pure=True)()\n"
    assert "DSK313" in _codes(source)


def test_which_spellings_share_keys() -> None:
    """Why the rule skips inline ``dask.delayed(f)(..., pure=True)`` (each wrapper has a
    random token) but reports calls of a bound wrapper; and why the fix writes
    ``pure=False`` rather than dropping the keyword (``delayed_pure`` makes calls without
    ``pure=`` pure again)."""
    import random

    inline = [dask.delayed(random.random)(pure=True) for _ in range(2)]
    assert inline[0].key != inline[1].key
    bound = dask.delayed(random.random)
    assert bound(pure=True).key == bound(pure=True).key
    with dask.config.set(delayed_pure=True):
        dropped = [dask.delayed(random.random)() for _ in range(2)]
        fixed = [dask.delayed(random.random, pure=False)() for _ in range(2)]
    assert dropped[0].key == dropped[1].key
    assert fixed[0].key != fixed[1].key


# ----------------------------------------------------------------------------- DSK315
def test_a_giant_task_runs_its_elements_one_after_another() -> None:
    """DSK315: one task looping over four elements runs them on one thread; four tasks
    run at once (a barrier of four is only passed when all four run concurrently)."""
    idents: list[int] = []

    def work(item: int) -> int:
        idents.append(threading.get_ident())
        return item * 2

    @dask.delayed
    def process_all(items: list[int]) -> list[int]:
        return [work(i) for i in items]

    assert process_all([1, 2, 3, 4]).compute(scheduler="threads", num_workers=4) == [2, 4, 6, 8]
    assert len(set(idents)) == 1

    barrier = threading.Barrier(4, timeout=60)

    def together(item: int) -> int:
        barrier.wait()  # raises BrokenBarrierError unless four tasks run at once
        return item * 2

    parts = [dask.delayed(together)(i) for i in [1, 2, 3, 4]]
    assert list(dask.compute(*parts, scheduler="threads", num_workers=4)) == [2, 4, 6, 8]
    source = _program(
        """
        import dask

        def work(path):
            with open(path) as f:
                return f.read()

        @dask.delayed
        def process_all(paths):
            return [len(work(p)) for p in paths]

        sizes = process_all(["a", "b"])
        """
    )
    assert "DSK315" not in _codes(source)
    assert "DSK315" in _codes(source, "DSK315")
