"""How long linting one file takes, as a function of its size: the cost model the Dask
cluster runner (``dasklint/engine/run/dask_runner.py``) uses to batch files into tasks.

    .venv/bin/python benchmarks/lint_throughput.py            # every 2nd file of dask + distributed
    .venv/bin/python benchmarks/lint_throughput.py --step 1   # every file (minutes)

The corpus is the installed sources of dask and distributed (the files that pass the byte
pre-filter; the others are skipped without parsing and cost nothing). Each file is linted
once, in this process, with the default rules and the project index of the whole corpus,
as a local run would. It prints a least-squares fit ``seconds = per_file + bytes / rate``,
the corpus totals, and the 10th, 50th and 90th percentiles of the measured rate.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import dask
import distributed

from dasklint.config.settings import Settings
from dasklint.engine.lint.linter import lint_source
from dasklint.prefilter import may_use_dask
from dasklint.semantic.project import build_index


def corpus() -> list[Path]:
    roots = [Path(dask.__file__).parent, Path(distributed.__file__).parent]
    return sorted(p for root in roots for p in root.rglob("*.py") if may_use_dask(p.read_bytes()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", type=int, default=2, help="lint every STEP-th file")
    args = parser.parse_args()
    files = corpus()
    index = build_index(files)
    settings = Settings(root=Path.cwd())
    samples: list[tuple[int, float]] = []
    for path in files[:: args.step]:
        source = path.read_bytes()
        file_settings = settings.for_file(path)
        start = time.perf_counter()
        lint_source(source, str(path), file_settings, index)
        samples.append((len(source), time.perf_counter() - start))
    sizes = [float(size) for size, _ in samples]
    times = [seconds for _, seconds in samples]
    slope, intercept = statistics.linear_regression(sizes, times)
    total_bytes, total_seconds = sum(sizes), sum(times)
    rates = sorted(size / seconds for size, seconds in samples if seconds > 0)
    print(
        f"files: {len(samples)} of {len(files)}, {total_bytes / 1e6:.2f} MB, {total_seconds:.1f} s"
    )
    print(f"overall: {total_bytes / total_seconds / 1e3:.0f} KB/s")
    print(f"fit: {intercept * 1e3:.1f} ms per file + {slope * 1e9:.0f} ms per MB", end="")
    print(f" ({1 / slope / 1e3:.0f} KB/s)" if slope > 0 else "")
    quantiles = statistics.quantiles(rates, n=10)
    print(
        "rate per file, p10/p50/p90: "
        + " / ".join(f"{q / 1e3:.0f} KB/s" for q in (quantiles[0], quantiles[4], quantiles[8]))
    )


if __name__ == "__main__":
    main()
