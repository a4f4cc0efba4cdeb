"""dasklint's benchmark: one command, its own environment, interleaved rounds.

    python benchmarks/run.py            # full run (dask + distributed, and the mixed tree)
    python benchmarks/run.py --quick    # smoke run: a slice of dask + distributed, 1 round

It creates ``benchmarks/.venv`` (git-ignored) with dask, distributed and pandas from PyPI,
the competitors (ruff, flake8, Fixit) and dasklint itself (editable), copies the corpus
out of that environment's site-packages into a temporary directory (linters exclude
site-packages) and measures, in the same run and interleaved round by round:

* dasklint cold (``--no-cache``) on 1 process and on all cores, warm (cache, nothing
  changed), warm after touching one file, warm after editing one file;
* the floors: reading the files and testing for "dask", ``ast.parse`` of every file,
  ``libcst.parse_module`` of every file on 1 process and on all cores;
* ruff (``--select E,F``), flake8 and Fixit where they installed;
* startup + one small file against ``python -c "import libcst; libcst.parse_module(...)"``;
* the language server (``lsp_latency.py``): from a ``didChange`` of a 1,000-line file (and
  of a 100-line one) to its diagnostics, p50 and p95 over 200 edits, after the rounds;
* peak RSS of the largest process of each command (workers included).

It prints the median and the spread (min-max) of each, and ratios against the floors.
Wall-clock numbers on a shared machine are noisy: compare ratios from the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV = HERE / ".venv"
# Outside the repository: linters respect its .gitignore.
WORK = Path(tempfile.gettempdir()) / "dasklint-bench"
PACKAGES = ("dask[array,dataframe,bag,delayed]", "distributed", "pandas", "psutil")
COMPETITORS = ("ruff", "flake8", "fixit")
SKIP_DIRS = {"__pycache__", "tests", "test", "testing", "idlelib", "site-packages"}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_tool(name: str) -> Path:
    return venv_python().parent / name


def ensure_venv() -> None:
    marker = VENV / ".dasklint-bench"
    wanted = json.dumps([*PACKAGES, *COMPETITORS, "dasklint[lsp]"])
    if marker.is_file() and marker.read_text() == wanted:
        return
    if not venv_python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(venv_python()), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, *PACKAGES, "-e", f"{REPO}[lsp]"], check=True)
    for tool in COMPETITORS:  # optional: a competitor that does not install is skipped
        if subprocess.run([*pip, tool]).returncode != 0:
            print(f"note: {tool} did not install; it is left out", file=sys.stderr)
    marker.write_text(wanted)


def _copy_tree(src: Path, dst: Path, skip_tests: bool) -> None:
    for directory, dirs, names in os.walk(src):
        dirs[:] = sorted(
            d for d in dirs if not (skip_tests and d in SKIP_DIRS) and d != "__pycache__"
        )
        rel = Path(directory).relative_to(src)
        for name in names:
            if name.endswith(".py"):
                (dst / rel).mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(directory, name), dst / rel / name)


def build_corpus(quick: bool) -> dict[str, Path]:
    """``dd``: dask + distributed as installed; ``mixed``: dd + pandas + the stdlib
    (tests left out of the last two). Quick mode: a slice of dd only."""
    code = "import dask, distributed, pandas; print(dask.__path__[0]); "
    code += "print(distributed.__path__[0]); print(pandas.__path__[0])"
    out = subprocess.run([str(venv_python()), "-c", code], capture_output=True, text=True)
    dask_dir, dist_dir, pandas_dir = (Path(p) for p in out.stdout.split())
    shutil.rmtree(WORK, ignore_errors=True)
    dd = WORK / "dd"
    if quick:
        _copy_tree(dask_dir / "bag", dd / "dask" / "bag", False)
        _copy_tree(dist_dir / "protocol", dd / "distributed" / "protocol", False)
        for pkg in ("dask", "distributed"):
            (dd / pkg / "__init__.py").write_text("")
        return {"dd": dd}
    _copy_tree(dask_dir, dd / "dask", False)
    _copy_tree(dist_dir, dd / "distributed", False)
    mixed = WORK / "mixed"
    shutil.copytree(dd, mixed / "dd")
    _copy_tree(pandas_dir, mixed / "pandas", True)
    _copy_tree(Path(sysconfig.get_paths()["stdlib"]), mixed / "stdlib", True)
    return {"dd": dd, "mixed": mixed}


# --- run inside the benchmark environment ---------------------------------------------


def _files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"), key=lambda p: p.stat().st_size, reverse=True)


def _floor_one(args: tuple[str, str]) -> int:
    kind, path = args
    data = Path(path).read_bytes()
    try:
        if kind == "libcst":
            import libcst

            libcst.parse_module(data)
        elif kind == "ast":
            import ast

            ast.parse(data)
        else:
            return int(b"dask" in data or b"distributed" in data)
    except Exception:
        return 0
    return 1


def floor_main(kind: str, jobs: int, root: Path) -> None:
    files = [(kind, str(p)) for p in _files(root)]
    if jobs <= 1:
        for item in files:
            _floor_one(item)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_floor_one, files, chunksize=4))


def dasklint_main(jobs: int, argv: list[str]) -> None:
    """``dasklint`` on ``jobs`` processes (1: in this process only)."""
    from dasklint.cli.main import cli
    from dasklint.engine.run import runner

    if jobs <= 1:
        runner.PARALLEL_THRESHOLD = 10**9
    cli(argv, prog_name="dasklint")


def measure_main(argv: list[str]) -> None:
    """Run a command; print its wall time and the peak RSS (KiB) of its largest process."""
    import resource

    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"wall": wall, "rss_kib": peak}))


# --- the driver -----------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def timed(argv: list[str], cwd: Path) -> tuple[float, int]:
    out = subprocess.run(
        [str(venv_python()), __file__, "--measure", "--", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    return float(data["wall"]), int(data["rss_kib"])


def main() -> None:
    internal = sys.argv[1] if len(sys.argv) > 1 else ""
    if internal == "--floor":
        floor_main(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
        return
    if internal == "--dasklint":
        dasklint_main(int(sys.argv[2]), sys.argv[3:])
        return
    if internal == "--measure":
        measure_main(sys.argv[3:] if sys.argv[2:3] == ["--"] else sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--no-fixit", action="store_true", help="leave Fixit out (slow)")
    parser.add_argument("--no-mixed", action="store_true", help="leave the mixed tree out")
    parser.add_argument("--no-lsp", action="store_true", help="leave the language server out")
    parser.add_argument("--floor", nargs=3, metavar=("KIND", "JOBS", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--dasklint", type=int, metavar="JOBS", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor_main(args.floor[0], int(args.floor[1]), Path(args.floor[2]))
        return
    if args.dasklint is not None:
        dasklint_main(args.dasklint, args.rest)
        return
    if args.measure:
        measure_main(args.rest)
        return

    ensure_venv()
    corpora = build_corpus(args.quick)
    rounds = args.rounds or (1 if args.quick else 3)
    cores = os.cpu_count() or 1
    py, me = str(venv_python()), __file__
    # dasklint is installed editable, and its sources may change while the benchmark runs
    # (each change would also turn warm runs into cold ones: the cache is keyed on them).
    # Measure a copy taken now, compiled once as installing a wheel does, so that start-up
    # is not measured with every module compiled from source (PYTHONDONTWRITEBYTECODE).
    snapshot = WORK / "src"
    shutil.copytree(
        REPO / "dasklint", snapshot / "dasklint", ignore=shutil.ignore_patterns("__pycache__")
    )
    subprocess.run([py, "-m", "compileall", "-q", str(snapshot)], check=False)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(snapshot), os.environ.get("PYTHONPATH")])
    )
    python = sys.version.split()[0]
    print(f"machine: {cores} cores ({_cpu_model()}), Python {python}, {sys.platform}")
    print(f"started {time.strftime('%Y-%m-%d %H:%M')}, load average {_load()}")
    for name, root in corpora.items():
        files = list(root.rglob("*.py"))
        size = sum(p.stat().st_size for p in files)
        print(f"corpus {name}: {len(files)} files, {size / 1e6:.1f} MB")
    print(f"rounds: {rounds} (interleaved); times are medians, spread is min-max\n")

    small = WORK / "small.py"
    small.write_text(
        "import dask\n\n\n@dask.delayed\ndef inc(x):\n    return x + 1\n\n\n"
        "total = dask.compute(*[inc(i) for i in range(10)], scheduler='processes')\n"
    )
    cache = WORK / "cache"
    commands: dict[str, list[str]] = {}
    order: list[tuple[str, Path]] = []
    for cname, root in corpora.items():
        dl = [py, me, "--dasklint"]
        target = [str(root), "--output-format", "concise", "-q", "-e"]
        tag = f"[{cname}] "
        if cname == "mixed" and args.no_mixed:
            continue
        entries: dict[str, list[str]] = {
            "read + pre-filter floor": [py, me, "--floor", "read", "1", str(root)],
            "ast.parse floor, 1 proc": [py, me, "--floor", "ast", "1", str(root)],
            f"libcst parse floor, {cores} proc": [
                py,
                me,
                "--floor",
                "libcst",
                str(cores),
                str(root),
            ],
            f"dasklint cold, {cores} proc": [*dl, str(cores), "check", "--no-cache", *target],
            "dasklint warm": [*dl, str(cores), "check", "--cache-dir", str(cache), *target],
            "dasklint warm, 1 file touched": [
                *dl,
                str(cores),
                "check",
                "--cache-dir",
                str(cache),
                *target,
            ],
            "dasklint warm, 1 file edited": [
                *dl,
                str(cores),
                "check",
                "--cache-dir",
                str(cache),
                *target,
            ],
        }
        if cname == "dd":
            entries["libcst parse floor, 1 proc"] = [py, me, "--floor", "libcst", "1", str(root)]
            entries["dasklint cold, 1 proc"] = [*dl, "1", "check", "--no-cache", *target]
        if venv_tool("ruff").exists():
            entries["ruff --select E,F"] = [
                str(venv_tool("ruff")),
                "check",
                "--no-cache",
                "--select",
                "E,F",
                "-q",
                str(root),
            ]
        if venv_tool("flake8").exists():
            entries[f"flake8 -j {cores}"] = [
                str(venv_tool("flake8")),
                "-j",
                str(cores),
                "-q",
                str(root),
            ]
        if venv_tool("fixit").exists() and not args.no_fixit and cname == "dd":
            entries["Fixit (fixit lint)"] = [str(venv_tool("fixit")), "lint", str(root)]
        for key, argv in entries.items():
            commands[tag + key] = argv
            order.append((tag + key, root))
    commands["startup: dasklint check small.py"] = [
        py,
        "-m",
        "dasklint",
        "check",
        "--no-cache",
        "-e",
        "-q",
        str(small),
    ]
    commands["startup: python -c 'import libcst; parse'"] = [
        py, "-c", f"import libcst; libcst.parse_module(open({str(small)!r}, 'rb').read())",
    ]  # fmt: skip
    order += [(k, WORK) for k in commands if k.startswith("startup")]

    # Fill the caches once (untimed): warm means "as after a previous run".
    for root in corpora.values():
        fill = [py, me, "--dasklint", str(cores), "check", "--cache-dir", str(cache), str(root)]
        subprocess.run([*fill, "-q", "-e"], check=False, stdout=subprocess.DEVNULL, cwd=root)

    walls: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, int] = {}
    startup_repeat = 3 if args.quick else 10
    for round_no in range(rounds):
        shift = round_no % len(order)
        for key, root in order[shift:] + order[:shift]:
            if key.endswith("touched") or key.endswith("edited"):
                victim = sorted(root.rglob("*.py"))[len(list(root.rglob("*.py"))) // 2]
                if key.endswith("edited"):
                    with victim.open("a") as out:
                        out.write(f"\n# edited in round {round_no}\n")
                else:
                    os.utime(victim)
            for _ in range(startup_repeat if key.startswith("startup") else 1):
                wall, peak = timed(commands[key], root)
                walls[key].append(wall)
                rss[key] = max(rss.get(key, 0), peak)
            print(f"  {key}: {wall:.2f} s", file=sys.stderr)

    print(f"finished {time.strftime('%Y-%m-%d %H:%M')}, load average {_load()}")

    def med(key: str) -> float:
        return statistics.median(walls[key])

    print("| what | median s | spread s | peak RSS MB | ratio |")
    print("|---|---:|---:|---:|---|")
    for key in commands:
        if key not in walls or not walls[key]:
            continue
        tag = key.split("] ")[0] + "] " if key.startswith("[") else ""
        ratio = ""
        for floor in (f"libcst parse floor, {cores} proc", "libcst parse floor, 1 proc"):
            same_par = ("1 proc" in key) == ("1 proc" in floor)
            if tag + floor in walls and walls[tag + floor] and same_par and "dasklint cold" in key:
                ratio = f"{med(key) / med(tag + floor):.2f}x libcst floor ({floor.split(', ')[1]})"
        if key.startswith("startup: dasklint"):
            base = next(k for k in commands if k.startswith("startup: python"))
            ratio = f"{med(key) / med(base):.2f}x libcst import+parse"
        if "warm" in key or (key.endswith("floor, 1 proc") and "ast" in key):
            base = tag + f"libcst parse floor, {cores} proc"
            if walls.get(base):
                ratio = f"{med(key) / med(base):.2f}x libcst floor ({cores} proc)"
        for rival in ("ruff", "flake8", "Fixit"):
            if key.startswith(tag + rival) and tag + f"dasklint cold, {cores} proc" in walls:
                ratio = f"{med(key) / med(tag + f'dasklint cold, {cores} proc'):.2f}x dasklint cold"
        spread = f"{min(walls[key]):.2f}-{max(walls[key]):.2f}"
        print(f"| {key} | {med(key):.3f} | {spread} | {rss.get(key, 0) / 1024:.0f} | {ratio} |")
    if not args.no_lsp:
        print(lsp_rows(py, edits=50 if args.quick else 200))


def lsp_rows(python: str, edits: int) -> str:
    """The language server's latency (``lsp_latency.py``, debounce 0), as table rows."""
    sys.path.insert(0, str(HERE))
    import lsp_latency

    lines = []
    with tempfile.TemporaryDirectory(prefix="dasklint-lsp-") as tmp:
        for size in (1000, 100):
            run = lsp_latency.measure(python, size, edits, 10, 0, 0.05, Path(tmp))
            p50 = lsp_latency.percentile(run.latencies_ms, 50) / 1000
            p95 = lsp_latency.percentile(run.latencies_ms, 95) / 1000
            goal = f"goal p95 < {lsp_latency.GOAL_P95_MS / 1000:.1f} s" if size == 1000 else ""
            lines.append(
                f"| LSP didChange -> diagnostics, {size} lines, {edits} edits: p50 | "
                f"{p50:.3f} | p95 {p95:.3f} |  | {goal} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
