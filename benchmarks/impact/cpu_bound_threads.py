"""Pure-Python text scoring on the default threaded scheduler.

``score`` is an interpreted loop: the four tasks take turns holding the GIL, so the
threaded scheduler runs them no faster than one after another. Size: words per task
(the default, 3,000,000, is about a second of work per task on a 2-core AMD EPYC).
Each task gets two integers and builds its own text: a large Python list passed to
``dask.delayed`` would be walked item by item while the graph is built, which costs
more than the tasks themselves and is not what this program measures.

    python benchmarks/impact/cpu_bound_threads.py [words]
"""

from __future__ import annotations

import json
import sys

import dask


def score(part: int, words: int) -> int:
    """Hash a generated document of ``words`` words, in interpreted Python only."""
    vocabulary = ("spam", "eggs", "ham", "bacon", "sausage")
    total = 0
    for i in range(words):
        for ch in vocabulary[(i + part) % 5]:
            total = (total * 31 + ord(ch)) % 1_000_003
    return total


def main(words: int) -> list[int]:
    tasks = [dask.delayed(score)(part, words) for part in range(4)]
    return list(dask.compute(*tasks))


if __name__ == "__main__":
    scores = main(int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000)
    print(json.dumps({"result": scores}))
