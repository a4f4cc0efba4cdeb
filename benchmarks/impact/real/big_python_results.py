"""Build per-shard index tables in parallel and merge them.

Each task returns a large nested list of plain Python objects (one small list per
record), which the driver merges.
"""

import hashlib
import sys

import dask


def build_index(shard, records):
    """One ``[record_id, bucket, shard]`` row per record of the shard."""
    start = shard * records
    return [[i, (i * 2654435761) % 1024, shard] for i in range(start, start + records)]


def merged_index(n_shards, records):
    shards = [dask.delayed(build_index)(s, records) for s in range(n_shards)]
    tables = dask.compute(*shards)
    return [row for table in tables for row in table]


if __name__ == "__main__":
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 400_000
    index = merged_index(5, records)
    buckets = sum(row[1] for row in index)
    print(f"{len(index)} rows, bucket sum {buckets}")
    print("checksum:", hashlib.sha256(repr((len(index), buckets)).encode()).hexdigest()[:16])
