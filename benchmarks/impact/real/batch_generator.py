"""Feed a training loop with mini-batches from a dask array, one batch at a time."""

import hashlib
import sys

import dask.array as da
import numpy as np


def batches(n, batch_size):
    """Yield in-memory (features, labels) batches; only one is loaded at a time."""
    x = da.random.default_rng(5).random((n, 8), chunks=(10_000, 8))
    y = x @ np.arange(1.0, 9.0)
    for start in range(0, n, batch_size):
        stop = start + batch_size
        xb = x[start:stop].compute()
        yb = y[start:stop].compute()
        yield xb, yb


def train(n, batch_size, lr=0.01):
    """Linear regression by mini-batch gradient descent, in NumPy."""
    w = np.zeros(8)
    for xb, yb in batches(n, batch_size):
        grad = xb.T @ (xb @ w - yb) / len(yb)
        w -= lr * grad
    return w


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    w = train(n, batch_size=10_000)
    print("weights:", np.round(w, 4))
    print("checksum:", hashlib.sha256(repr(np.round(w, 6).tolist()).encode()).hexdigest()[:16])
