"""Per-block statistics of a large array, one delayed call per block."""

import hashlib
import sys

import dask
import dask.array as da
import numpy as np


def block_stats(block):
    """Mean and the count of values above the block's mean, for one block."""
    mean = float(block.mean())
    return round(mean, 6), int((block > mean).sum())


def stats_per_block(x):
    rows, cols = x.numblocks
    tasks = [dask.delayed(block_stats)(x.blocks[i, j]) for i in range(rows) for j in range(cols)]
    return dask.compute(*tasks)


if __name__ == "__main__":
    side = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    data = np.random.default_rng(3).random((side, side))
    x = da.from_array(data, chunks=(side // 4, side // 4))
    stats = stats_per_block(x)
    print(f"{len(stats)} blocks; first: {stats[0]}")
    print("checksum:", hashlib.sha256(repr(stats).encode()).hexdigest()[:16])
