"""A large buffer passed as a plain argument to every task on a LocalCluster.

Each call embeds the buffer in the graph, so it is serialised and shipped once per task
(and the client warns about a large graph). Size: megabytes of the buffer.

    python benchmarks/impact/large_input_every_task.py [megabytes]
"""

from __future__ import annotations

import json
import random
import sys
import zlib

import dask
from dask.distributed import Client, LocalCluster

WINDOWS = 20


def window_crc(samples: bytes, window: int) -> int:
    step = len(samples) // WINDOWS
    return zlib.crc32(samples[window * step : (window + 1) * step])


def main(megabytes: float) -> list[int]:
    samples = random.Random(7).randbytes(int(megabytes * 1_048_576))
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        tasks = [dask.delayed(window_crc)(samples, w) for w in range(WINDOWS)]
        return list(dask.compute(*tasks))


if __name__ == "__main__":
    crcs = main(float(sys.argv[1]) if len(sys.argv) > 1 else 40)
    print(json.dumps({"result": crcs}))
