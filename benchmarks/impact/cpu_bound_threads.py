"""Pure-Python text scoring on the default threaded scheduler.

``score`` is an interpreted loop: the four tasks take turns holding the GIL, so the
threaded scheduler runs them no faster than one after another. Size: words per task.

    python benchmarks/impact/cpu_bound_threads.py [words]
"""

from __future__ import annotations

import dask
from _probe import Probe, size_arg


def score(words: list[str]) -> int:
    total = 0
    for word in words:
        for ch in word:
            total = (total * 31 + ord(ch)) % 1_000_003
    return total


def main(words: int) -> list[int]:
    vocabulary = ["spam", "eggs", "ham", "bacon", "sausage"]
    chunks = [[vocabulary[(i + k) % 5] for i in range(words)] for k in range(4)]
    tasks = [dask.delayed(score)(chunk) for chunk in chunks]
    return list(dask.compute(*tasks))


if __name__ == "__main__":
    with Probe() as probe:
        scores = main(int(size_arg(300_000)))
    probe.report(scores)
