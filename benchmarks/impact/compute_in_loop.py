"""A checksum per column of a table, computed one column at a time.

Every ``compute()`` in the loop runs its own graph: the shared table is loaded (generated
and compressed) again for each column, and the columns never run side by side. Size:
megabytes of the table.

    python benchmarks/impact/compute_in_loop.py [megabytes]
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import zlib

import dask

COLUMNS = 6


def load_table(megabytes: float) -> bytes:
    raw = random.Random(42).randbytes(int(megabytes * 1_048_576))
    return zlib.decompress(zlib.compress(raw, 6))


def column_checksum(table: bytes, column: int) -> str:
    return hashlib.sha256(table[column::COLUMNS]).hexdigest()[:16]


def main(megabytes: float) -> list[str]:
    table = dask.delayed(load_table)(megabytes)
    checksums = []
    for column in range(COLUMNS):
        checksums.append(dask.delayed(column_checksum)(table, column).compute())
    return checksums


if __name__ == "__main__":
    result = main(float(sys.argv[1]) if len(sys.argv) > 1 else 16)
    print(json.dumps({"result": result}))
