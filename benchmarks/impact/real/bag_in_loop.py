"""Daily log summaries with dask.bag, one day at a time."""

import hashlib
import json
import sys

import dask.bag as db


def make_logs(day, n):
    """Synthetic JSON log lines for one day."""
    return [
        json.dumps({"day": day, "status": 200 if (i * 7 + day) % 11 else 500, "ms": (i * 13) % 997})
        for i in range(n)
    ]


def parse(line):
    return json.loads(line)


def daily_summaries(logs_by_day):
    summaries = {}
    for day, lines in logs_by_day.items():
        records = db.from_sequence(lines, npartitions=4).map(parse)
        errors = records.filter(lambda r: r["status"] == 500)
        summaries[day] = (errors.count().compute(), records.pluck("ms").sum().compute())
    return summaries


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    logs = {day: make_logs(day, n) for day in range(1, 4)}
    result = daily_summaries(logs)
    for day, (errors, total_ms) in result.items():
        print(f"day {day}: {errors} errors, {total_ms} ms in total")
    print("checksum:", hashlib.sha256(repr(sorted(result.items())).encode()).hexdigest()[:16])
