"""parallel.py: helpers to run a function over many inputs with dask.

The caller passes the function; ``parallel_map`` knows nothing about what it does.
"""

import hashlib
import sys

import dask


def parallel_map(func, items, num_workers=None):
    """Apply ``func`` to every item in parallel and return the results in order."""
    tasks = [dask.delayed(func)(item) for item in items]
    return list(dask.compute(*tasks, scheduler="multiprocessing", num_workers=num_workers))


def longest_collatz(bounds):
    """The start below ``hi`` (from ``lo``) with the longest Collatz sequence."""
    lo, hi = bounds
    best, best_start = 0, lo
    for start in range(lo, hi):
        n, steps = start, 0
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
        if steps > best:
            best, best_start = steps, start
    return best_start, best


if __name__ == "__main__":
    width = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    chunks = [(1 + i * width, 1 + (i + 1) * width) for i in range(4)]
    results = parallel_map(longest_collatz, chunks)
    for (lo, hi), (start, steps) in zip(chunks, results):
        print(f"{lo}-{hi}: {start} takes {steps} steps")
    print("checksum:", hashlib.sha256(repr(results).encode()).hexdigest()[:16])
