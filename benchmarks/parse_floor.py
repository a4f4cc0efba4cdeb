"""How close dasklint gets to the cost of just parsing: dasklint vs the libcst parse floor.

Corpus: the installed sources of dask and distributed (install them in this environment:
``pip install dask distributed``). Both sides run in worker processes at the same
parallelism, interleaved, for several rounds; the script prints medians, spreads and the
ratio dasklint / floor measured in this same run.

    python benchmarks/parse_floor.py [--rounds 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def corpus(workdir: Path) -> list[Path]:
    """Copy the installed sources out of site-packages (which linters exclude by default)."""
    for package in ("dask", "distributed"):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            sys.exit(f"{package} is not installed in this environment")
        root = Path(next(iter(spec.submodule_search_locations)))
        shutil.copytree(root, workdir / package, ignore=shutil.ignore_patterns("__pycache__"))
    return sorted(workdir.rglob("*.py"))


def _parse(path: Path) -> int:
    import libcst

    libcst.parse_module(path.read_bytes())
    return 1


def parse_floor(files: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    ordered = sorted(files, key=lambda p: p.stat().st_size, reverse=True)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        sum(pool.map(_parse, ordered, chunksize=4))
    return time.perf_counter() - start


def dasklint_run(workdir: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dasklint", "check", "--isolated", "--exit-zero", "-s", "."],
        check=True,
        cwd=workdir,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="dasklint-bench-"))
    files = corpus(workdir)
    size = sum(p.stat().st_size for p in files) / 1e6
    print(f"corpus: {len(files)} files, {size:.1f} MB; {args.jobs} worker processes")
    floors, runs = [], []
    for _ in range(args.rounds):
        floors.append(parse_floor(files, args.jobs))
        runs.append(dasklint_run(workdir))
    for name, values in (("libcst parse floor", floors), ("dasklint check", runs)):
        spread = max(values) - min(values)
        print(f"{name:<20} median {statistics.median(values):6.2f} s  spread {spread:5.2f} s")
    print(f"ratio dasklint / floor: {statistics.median(runs) / statistics.median(floors):.2f}x")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
