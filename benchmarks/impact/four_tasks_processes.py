"""Four independent downloads on the processes scheduler; one of them is slow.

The processes scheduler hands ready tasks to its pool in batches of ``chunksize`` (6 by
default) and a batch runs serially inside one worker process, so the four tasks run one
after another (dask/dask#10292). Size: the seconds a fast task waits (the slow one waits
four times as long).

    python benchmarks/impact/four_tasks_processes.py [unit_seconds]
"""

from __future__ import annotations

import time

import dask
from _probe import Probe, size_arg


def fetch(index: int, seconds: float) -> dict[str, int]:
    """Wait for a remote service, then return a small summary of what came back."""
    time.sleep(seconds)
    return {"source": index, "rows": 100 * (index + 1)}


def main(unit: float) -> list[dict[str, int]]:
    tasks = [dask.delayed(fetch)(i, 4 * unit if i == 0 else unit) for i in range(4)]
    return list(dask.compute(*tasks, scheduler="processes", num_workers=4))


if __name__ == "__main__":
    with Probe() as probe:
        summary = main(size_arg(0.5))
    probe.report(summary)
