"""Totals folded with ``total = total + part``: a chain as deep as the number of parts.

Each part sums a small batch of simulated readings; the accumulator makes every addition
wait for the previous one, so the graph is a linear chain. Size: number of parts.

    python benchmarks/impact/accumulation_chain.py [parts]
"""

from __future__ import annotations

import json
import operator
import random
import sys

import dask


def part_total(seed: int) -> int:
    rng = random.Random(seed)
    return sum(rng.randrange(1000) for _ in range(2_000))


def main(parts: int) -> int:
    pieces = [dask.delayed(part_total)(i) for i in range(parts)]
    total = dask.delayed(0)
    for piece in pieces:
        total = dask.delayed(operator.add)(total, piece)
    return int(total.compute())


if __name__ == "__main__":
    grand_total = main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
    print(json.dumps({"result": grand_total}))
