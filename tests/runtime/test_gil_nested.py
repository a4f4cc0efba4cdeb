"""What DSK501's global-random finding and DSK310's submitted-argument finding claim, run
with the installed NumPy and Dask. Structure only (who waits for whom, what type a task
receives), never durations."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import pytest

pytestmark = pytest.mark.dask_runtime


def _waits_for_global_generator(draw: Callable[[], object]) -> bool:
    """Does ``draw`` in another thread wait while this thread holds the lock of NumPy's
    global generator (the one ``np.random.normal`` and friends use)?"""
    lock = np.random.mtrand._rand._bit_generator.lock
    done = threading.Event()

    def run() -> None:
        draw()
        done.set()

    with lock:
        worker = threading.Thread(target=run)
        worker.start()
        finished_while_held = done.wait(timeout=0.5)
    worker.join(timeout=60)
    assert done.is_set()
    return not finished_while_held


def test_global_numpy_draws_share_one_lock() -> None:
    """DSK501: module-level ``np.random`` draws all take the global generator's lock, so
    threads drawing from it take turns; generators of their own do not wait for it."""
    assert _waits_for_global_generator(lambda: np.random.normal(size=1000))
    assert _waits_for_global_generator(lambda: np.random.choice(10, size=1000))
    assert _waits_for_global_generator(lambda: np.random.rand(1000))
    assert not _waits_for_global_generator(lambda: np.random.default_rng(1).normal(size=1000))
    assert not _waits_for_global_generator(lambda: np.random.RandomState(1).normal(size=1000))


def _type_name(value: object) -> str:
    return f"{type(value).__module__}.{type(value).__name__}"


def test_submit_hands_collections_to_the_task_unmaterialised() -> None:
    """DSK310: ``client.submit``/``client.map`` give the task the Dask collection itself, so
    computing (or loading) it there runs a second graph inside the task; ``delayed``
    computes collection arguments before its task starts."""
    import dask
    import dask.array as da
    from dask.distributed import Client, LocalCluster

    x = da.ones(10, chunks=5)
    assert dask.delayed(_type_name)(x).compute(scheduler="sync") == "numpy.ndarray"
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        assert client.submit(_type_name, x).result() == "dask.array.core.Array"
        assert client.gather(client.map(_type_name, [x])) == ["dask.array.core.Array"]
