"""Four independent downloads on the processes scheduler; one of them is slow.

The processes scheduler hands ready tasks to its pool in batches of ``chunksize`` (6 by
default) and a batch runs serially inside one worker process, so the four tasks run one
after another (dask/dask#10292). Size: the seconds a fast task waits (the slow one waits
four times as long).

    python benchmarks/impact/four_tasks_processes.py [unit_seconds]
"""

from __future__ import annotations

import json
import sys
import time

import dask


def fetch(index: int, seconds: float) -> dict[str, int]:
    """Wait for a remote service, then return a small summary of what came back."""
    time.sleep(seconds)
    return {"source": index, "rows": 100 * (index + 1)}


def main(unit: float) -> list[dict[str, int]]:
    tasks = [dask.delayed(fetch)(i, 4 * unit if i == 0 else unit) for i in range(4)]
    return list(dask.compute(*tasks, scheduler="processes", num_workers=4))


if __name__ == "__main__":
    summary = main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.5)
    print(json.dumps({"result": summary}))
