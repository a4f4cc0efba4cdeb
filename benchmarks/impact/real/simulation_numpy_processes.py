"""Random-walk simulation of a few portfolios, in worker processes.

The global NumPy generator is seeded once at the top so that runs can be compared.
"""

import hashlib
import sys

import dask
import numpy as np

np.random.seed(12345)


def simulate(portfolio, steps):
    """Final value of one portfolio after ``steps`` daily returns."""
    returns = np.random.normal(0.0005, 0.01, steps)
    return float(np.round(100.0 * np.prod(1.0 + returns), 6))


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    runs = [dask.delayed(simulate)(p, steps) for p in range(4)]
    finals = dask.compute(*runs, scheduler="processes")
    print("final values:", finals)
    print("checksum:", hashlib.sha256(repr(sorted(finals)).encode()).hexdigest()[:16])
