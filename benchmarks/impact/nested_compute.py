"""Tasks that call ``dask.compute`` themselves, on the default threaded scheduler.

Each outer task computes its own inner graph: every worker thread starts another thread
pool, and the inner graphs are scheduled one outer task at a time. Size: inner tasks per
outer task.

    python benchmarks/impact/nested_compute.py [inner_tasks]
"""

from __future__ import annotations

import json
import random
import sys
import zlib

import dask


def block_size(seed: int) -> int:
    block = random.Random(seed).randbytes(400_000)
    return len(zlib.compress(block + block[::-1], 6))


def region_size(seeds: list[int]) -> int:
    return sum(dask.compute(*[dask.delayed(block_size)(s) for s in seeds]))


def main(inner: int) -> list[int]:
    regions = [list(range(r * inner, (r + 1) * inner)) for r in range(8)]
    return list(dask.compute(*[dask.delayed(region_size)(seeds) for seeds in regions]))


if __name__ == "__main__":
    sizes = main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
    print(json.dumps({"result": sizes}))
