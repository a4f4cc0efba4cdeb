"""What DSK101's LocalCluster codemod trades: a pool per computation against one cluster.

The processes scheduler starts a new pool of worker processes for every computation
(``dask/multiprocessing.py``, ``get``: ``concurrent.futures.ProcessPoolExecutor`` made
and shut down per call); a LocalCluster starts its worker processes (and a scheduler and
nannies) once and keeps them for every computation of its ``with`` block. The programs
below compute twice and print which processes ran the tasks: checked here by structure,
never by timing. The codemod is offered only where its cluster serves several
computations (``dasklint.rules._local_cluster.cluster_serves_several``).

The start-up figures quoted in ``CLUSTER_START`` (``dasklint/rules/_local_cluster.py``)
come from these programs, run one at a time in fresh interpreters::

    python tests/runtime/test_cluster_startup.py   # prints the medians and the load
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.dask_runtime

HEAD = """
import json
import os
import time

start = time.perf_counter()
import dask
{imports}


def pid(i):
    return os.getpid()


if __name__ == "__main__":
    ready = time.perf_counter()
    runs = []
"""
POOL = (
    HEAD
    + """
    for _ in range({computations}):
        jobs = [dask.delayed(pid)(i) for i in range(4)]
        runs.append(dask.compute(*jobs, scheduler="processes", num_workers=4, chunksize=1))
    workers = []
    done = time.perf_counter()
    print(json.dumps({{"parent": os.getpid(), "runs": runs, "workers": workers,
                      "import": ready - start, "compute": done - ready}}))
"""
)
CLUSTER = (
    HEAD
    + """
    with LocalCluster(n_workers=4, threads_per_worker=1, dashboard_address=":0") as cluster:
        with Client(cluster) as client:
            for _ in range({computations}):
                jobs = [dask.delayed(pid)(i) for i in range(4)]
                runs.append(dask.compute(*jobs))
            workers = list(client.run(os.getpid).values())
    done = time.perf_counter()
    print(json.dumps({{"parent": os.getpid(), "runs": runs, "workers": workers,
                      "import": ready - start, "compute": done - ready}}))
"""
)
IMPORTS = {"pool": "", "cluster": "from dask.distributed import Client, LocalCluster"}
PROGRAMS = {"pool": POOL, "cluster": CLUSTER}


def run(folder: Path, kind: str, computations: int) -> dict[str, object]:
    """Run the ``kind`` program in a fresh interpreter; its printed report."""
    source = PROGRAMS[kind].format(imports=IMPORTS[kind], computations=computations)
    script = folder / f"{kind}.py"
    script.write_text(source, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=180, env=env
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return report


def _pids(report: dict[str, object]) -> list[set[int]]:
    runs = report["runs"]
    assert isinstance(runs, list)
    return [set(r) for r in runs]


def test_the_processes_scheduler_starts_a_pool_per_computation(tmp_path: Path) -> None:
    """Two computations, two pools: no worker process of the first ran a task of the
    second, and none is this process."""
    report = run(tmp_path, "pool", 2)
    first, second = _pids(report)
    assert report["parent"] not in first | second
    assert first and second and not first & second, (first, second)


def test_a_local_cluster_keeps_its_workers_between_computations(tmp_path: Path) -> None:
    """Two computations, one cluster: every task of both ran in one of the four worker
    processes the cluster started once."""
    report = run(tmp_path, "cluster", 2)
    first, second = _pids(report)
    workers = report["workers"]
    assert isinstance(workers, list) and len(set(workers)) == 4
    assert report["parent"] not in workers
    assert first | second <= set(workers), (first, second, workers)


def measure(repeats: int = 5) -> None:
    """Median wall time of each program for one and five computations, interleaved."""
    print("load average before:", os.getloadavg())
    times: dict[tuple[str, int], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeats):
            for computations in (1, 5):
                for kind in PROGRAMS:
                    started = time.perf_counter()
                    report = run(Path(folder), kind, computations)
                    wall = time.perf_counter() - started
                    compute = report["compute"]
                    assert isinstance(compute, float)
                    times.setdefault((kind, computations), []).append(compute)
                    times.setdefault((f"{kind} (whole process)", computations), []).append(wall)
    for (kind, computations), values in sorted(times.items()):
        print(f"{kind}, {computations} computation(s): {statistics.median(values):.2f} s")
    print("load average after:", os.getloadavg())


if __name__ == "__main__":
    measure()
