"""Random-walk simulation of a few portfolios, in worker processes.

The generator is seeded once at the top so that runs can be compared.
"""

import hashlib
import random
import sys

import dask

random.seed(12345)


def simulate(portfolio, steps):
    """Final value of one portfolio after ``steps`` daily returns."""
    value = 100.0
    for _ in range(steps):
        value *= 1.0 + random.gauss(0.0005, 0.01)
    return round(value, 6)


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 400_000
    runs = [dask.delayed(simulate)(p, steps) for p in range(4)]
    finals = dask.compute(*runs, scheduler="processes")
    print("final values:", finals)
    print("checksum:", hashlib.sha256(repr(sorted(finals)).encode()).hexdigest()[:16])
