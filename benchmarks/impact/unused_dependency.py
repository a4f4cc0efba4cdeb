"""A fan-out serialised by an argument the task never reads.

``download(url, *after)`` ignores ``after``, but passing the previous download makes each
task wait for the one before: the graph is a chain instead of a fan-out. Size: number of
downloads (each waits 0.1 s for the network).

    python benchmarks/impact/unused_dependency.py [downloads]
"""

from __future__ import annotations

import json
import sys
import time

import dask


def download(url: str, *after: object) -> int:
    time.sleep(0.1)
    return len(url)


def main(downloads: int) -> int:
    previous = dask.delayed(download)("https://example.org/0")
    sizes = [previous]
    for i in range(1, downloads):
        previous = dask.delayed(download)(f"https://example.org/{i}", previous)
        sizes.append(previous)
    return sum(dask.compute(*sizes))


if __name__ == "__main__":
    total = main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
    print(json.dumps({"result": total}))
