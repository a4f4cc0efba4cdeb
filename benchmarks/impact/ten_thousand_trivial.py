"""One delayed task per item: ten thousand tasks that each add one.

Each task costs scheduler overhead far larger than its work. The size is the claim itself
(10,000): dasklint reports DSK401 only where the number of tasks is known statically.

    python benchmarks/impact/ten_thousand_trivial.py
"""

from __future__ import annotations

import json

import dask


def clean(reading: int) -> int:
    return reading * 2 + 1


def main() -> int:
    readings = range(10_000)
    cleaned = [dask.delayed(clean)(r) for r in readings]
    return sum(dask.compute(*cleaned))


if __name__ == "__main__":
    total = main()
    print(json.dumps({"result": total}))
