"""Estimate pi by Monte Carlo with dask.delayed.

Each task throws darts at the unit square and counts those inside the quarter circle.
The generator is seeded once, at the top, so that a run can be repeated.
"""

import hashlib
import random
import sys

import dask

random.seed(42)


def throw_darts(n):
    """Darts inside the quarter circle, out of ``n``; one 32-bit draw per dart."""
    inside = 0
    for _ in range(n):
        bits = random.getrandbits(32)
        x, y = bits >> 16, bits & 0xFFFF
        if x * x + y * y < 1 << 32:
            inside += 1
    return inside


def estimate_pi(n_tasks, darts_per_task):
    counts = dask.compute(*[dask.delayed(throw_darts)(darts_per_task) for _ in range(n_tasks)])
    return counts, 4 * sum(counts) / (n_tasks * darts_per_task)


if __name__ == "__main__":
    darts = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    counts, pi = estimate_pi(100, darts)
    print(f"pi ~ {pi:.5f} from {len(counts)} tasks ({len(set(counts))} distinct counts)")
    print("checksum:", hashlib.sha256(repr(sum(counts)).encode()).hexdigest()[:16])
