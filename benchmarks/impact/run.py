"""Proof of impact: real Dask programs, before and after dasklint's own fixes.

    python benchmarks/impact/run.py              # default sizes, 3 interleaved rounds
    python benchmarks/impact/run.py --quick      # smallest sizes, one round
    python benchmarks/impact/run.py --rounds 5 --only four_tasks_processes
    python benchmarks/impact/run.py --rounds 5 --write-data   # also dasklint/data/impact.json

For each program of this folder (one per runtime claim), in a temporary directory:

1. ``dasklint check`` on the program must report the expected rule (asserted; a rule
   dasklint does not implement yet is printed as such instead; a rule that is off by
   default is selected with ``--extend-select``);
2. ``dasklint check --fix --unsafe-fixes`` rewrites a copy: the fixed program is
   dasklint's output, never written by hand; where it changes nothing the row says
   "no fix yet" and only the original runs;
3. original and fixed run in fresh interpreters with the installed dask and distributed,
   interleaved round by round (the order alternates); the end-to-end wall time of each
   run is measured (interpreter start, imports and any cluster start-up included);
4. the results (last JSON line of each program) must be identical.

The structural evidence comes from the programs themselves (``_probe.py``): distinct
worker processes that ran tasks, dask computations, tasks in their graphs, deepest graph.

Rules and fixes are looked up when the benchmark runs, so a rule or fix added later is
measured without changing this file. ``--write-data`` stores the rows, with the machine,
the load average and the date, in ``dasklint/data/impact.json``: ``dasklint rule CODE``
and ``docs/rules/`` quote them (run ``python docs/generate_rules.py`` afterwards).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from dasklint.ruledocs import impact_table

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = ROOT / "dasklint" / "data" / "impact.json"
BIN = Path(sys.executable).parent
TIMEOUT = 600


@dataclass(frozen=True)
class Program:
    name: str
    rule: str
    claim: str
    quick_size: str
    size: str
    goal: float | None = None  # the speed-up the issue asks for, where it names one
    also: tuple[str, ...] = ()  # other rules whose fixes this program measures


PROGRAMS = (
    Program(
        "four_tasks_processes",
        "DSK102",
        "4 tasks, processes: run serially",
        "0.05",
        "0.5",
        goal=1.5,
        also=("DSK101",),
    ),
    Program(
        "cpu_bound_threads", "DSK501", "pure-Python tasks on threads", "20000", "3000000", goal=1.5
    ),
    Program("ten_thousand_trivial", "DSK401", "10,000 trivial tasks", "", ""),
    Program("accumulation_chain", "DSK603", "accumulation chain", "20", "400", goal=1.0),
    Program("compute_in_loop", "DSK303", "compute in a loop", "1", "16", goal=1.0),
    Program("large_input_every_task", "DSK309", "large input in every task", "4", "40"),
    Program("nested_compute", "DSK310", "nested compute in tasks", "2", "8"),
    Program("unused_dependency", "DSK601", "unused dependency serialises", "4", "20"),
)


def dasklint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("dasklint", path=str(BIN)) or "dasklint"
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)


def rule_info(code: str) -> dict[str, Any] | None:
    """``dasklint rule CODE`` as data; None when dasklint does not have the rule."""
    proc = dasklint("rule", code, "--output-format", "json", cwd=HERE)
    if proc.returncode != 0:
        return None
    info: dict[str, Any] = json.loads(proc.stdout)
    return info


def selection(code: str, info: dict[str, Any] | None) -> list[str]:
    """Options that enable ``code`` when it is off by default."""
    return [] if info is None or info["default_enabled"] else ["--extend-select", code]


def reported_codes(path: Path, select: list[str]) -> list[str]:
    proc = dasklint(
        "check",
        "--isolated",
        "--no-cache",
        "--exit-zero",
        *select,
        "--output-format",
        "json",
        path.name,
        cwd=path.parent,
    )
    assert proc.returncode == 0, proc.stderr
    return sorted({d["code"] for d in json.loads(proc.stdout or "[]")})


@dataclass
class Prepared:
    program: Program
    original: Path
    fixed: Path | None  # None: dasklint changed nothing
    codes: list[str]
    rule_known: bool
    codes_after: list[str]  # what dasklint still reports on the fixed program
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def prepare(program: Program, work: Path) -> Prepared:
    """Copy the program twice, lint it, and let dasklint fix the second copy."""
    copies = {}
    for variant in ("original", "fixed"):
        folder = work / program.name / variant
        folder.mkdir(parents=True)
        shutil.copy2(HERE / f"{program.name}.py", folder)
        shutil.copy2(HERE / "_probe.py", folder)
        copies[variant] = folder / f"{program.name}.py"
    info = rule_info(program.rule)
    select = selection(program.rule, info)
    codes = reported_codes(copies["original"], select)
    known = info is not None
    if known:
        assert program.rule in codes, f"{program.name}: expected {program.rule}, got {codes}"
    proc = dasklint(
        "check",
        "--isolated",
        "--no-cache",
        "--exit-zero",
        *select,
        "--fix",
        "--unsafe-fixes",
        copies["fixed"].name,
        cwd=copies["fixed"].parent,
    )
    assert proc.returncode == 0, proc.stderr
    changed = copies["fixed"].read_text() != copies["original"].read_text()
    left = reported_codes(copies["fixed"], select) if changed else codes
    return Prepared(
        program, copies["original"], copies["fixed"] if changed else None, codes, known, left
    )


def run_program(path: Path, size: str) -> dict[str, Any]:
    """Run one program in a fresh interpreter; its last stdout line is JSON."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASK_", "IMPACT_"))}
    env["PYTHONWARNINGS"] = "ignore"
    args = [sys.executable, path.name, *([size] if size else [])]
    start = time.perf_counter()
    proc = subprocess.run(
        args, cwd=path.parent, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    wall = time.perf_counter() - start
    lines = proc.stdout.strip().splitlines()
    assert proc.returncode == 0 and lines, f"{path}: {proc.stdout}\n{proc.stderr[-3000:]}"
    outcome: dict[str, Any] = json.loads(lines[-1])
    outcome["wall"] = wall
    return outcome


LOADS: list[float] = []  # the 1-minute load average before each run


def wait_for_load(limit: float | None, patience: float = 600.0) -> None:
    """On a shared machine, wait (at most ``patience`` seconds) until the 1-minute load
    average is below ``limit`` before a pair of runs; CPU contention inflates the times."""
    deadline = time.monotonic() + patience
    while limit is not None and os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        time.sleep(10)


def run_rounds(
    prepared: list[Prepared], rounds: int, quick: bool, max_load: float | None = None
) -> None:
    for index in range(rounds):
        for item in prepared:
            size = item.program.quick_size if quick else item.program.size
            variants = [("before", item.original)]
            if item.fixed is not None:
                variants.append(("after", item.fixed))
            if index % 2:
                variants.reverse()
            wait_for_load(max_load)
            for label, path in variants:
                LOADS.append(os.getloadavg()[0])
                outcome = run_program(path, size)
                item.runs.setdefault(label, []).append(outcome)
                print(
                    f"  round {index + 1} {item.program.name} {label}: {outcome['wall']:.2f} s",
                    file=sys.stderr,
                    flush=True,
                )


def identical(item: Prepared) -> bool | None:
    if item.fixed is None:
        return None
    results = [
        json.dumps(r["result"], sort_keys=True)
        for label in ("before", "after")
        for r in item.runs[label]
    ]
    return len(set(results)) == 1


def _timing(runs: list[dict[str, Any]]) -> dict[str, float]:
    walls = [r["wall"] for r in runs]
    return {
        "median": round(statistics.median(walls), 3),
        "min": round(min(walls), 3),
        "max": round(max(walls), 3),
    }


def _evidence(runs: list[dict[str, Any]]) -> str:
    ev = runs[-1]["evidence"]
    graph = (
        f"{ev['computations']} comp, {ev['tasks']} tasks, depth {ev['depth']}"
        if ev["computations"]
        else "graph not seen (distributed)"
    )
    return f"{ev['worker_processes']} proc; {graph}"


def speedup(item: Prepared) -> float | None:
    """Median over rounds of before / after, each pair run back to back: the load of a
    shared machine drifts between rounds more than within a pair."""
    if item.fixed is None:
        return None
    pairs = zip(item.runs["before"], item.runs["after"], strict=True)
    ratio: float = statistics.median(b["wall"] / a["wall"] for b, a in pairs)
    return ratio


def rows(prepared: list[Prepared], quick: bool = False) -> list[dict[str, Any]]:
    """One row per program, in the format of ``dasklint/data/impact.json``."""
    result = []
    for item in prepared:
        p = item.program
        ratio = speedup(item)
        result.append(
            {
                "rule": p.rule,
                "also": list(p.also),
                "program": p.name,
                "claim": p.claim,
                "size": p.quick_size if quick else p.size,
                "rule_implemented": item.rule_known,
                "reported": p.rule in item.codes,
                "fixed": item.fixed is not None,
                "before": _timing(item.runs["before"]),
                "after": None if item.fixed is None else _timing(item.runs["after"]),
                "speedup": None if ratio is None else round(ratio, 3),
                "identical": identical(item),
                "evidence_before": _evidence(item.runs["before"]),
                "evidence_after": None if item.fixed is None else _evidence(item.runs["after"]),
                "reported_before": item.codes,
                "reported_after": item.codes_after,
            }
        )
    return result


def table(data: list[dict[str, Any]]) -> str:
    return "\n".join(impact_table(data))


def goals(prepared: list[Prepared]) -> list[str]:
    lines = []
    for item in prepared:
        goal = item.program.goal
        if goal is None:
            continue
        ratio = speedup(item)
        wanted = f">= {goal}x" if goal > 1 else "measurably faster"
        if ratio is None:
            lines.append(f"{item.program.rule} {item.program.name}: {wanted}: NOT MET (no fix yet)")
        else:
            met = ratio >= goal if goal > 1 else ratio > 1.05
            verdict = "met" if met else "NOT MET"
            lines.append(
                f"{item.program.rule} {item.program.name}: {wanted}: {verdict} ({ratio:.2f}x)"
            )
    slower = [i.program.name for i in prepared if (speedup(i) or 1.0) < 0.95]
    lines.append(f"none slower: {'NOT MET: ' + ', '.join(slower) if slower else 'met'}")
    return lines


def cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown CPU"
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor() or "unknown CPU"


def machine(rounds: int, argv: list[str]) -> dict[str, Any]:
    """The facts a reader needs to weigh the numbers (times on a loaded machine inflate)."""
    low, high = (min(LOADS), max(LOADS)) if LOADS else (0.0, 0.0)
    return {
        "date": datetime.date.today().isoformat(),
        "machine": (
            f"{os.cpu_count()} CPUs ({cpu_model()}), {platform.system()}; 1-minute load "
            f"average {low:.1f}-{high:.1f} during the runs"
        ),
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "load_average": [round(low, 2), round(high, 2)],
        "python": platform.python_version(),
        "dask": version("dask"),
        "distributed": version("distributed"),
        "rounds": rounds,
        "command": " ".join(["python benchmarks/impact/run.py", *argv]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smallest sizes, one round")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--only", action="append", help="program name (repeatable)")
    parser.add_argument(
        "--size",
        action="append",
        default=[],
        metavar="PROGRAM=SIZE",
        help="run a program at another size (repeatable)",
    )
    parser.add_argument(
        "--max-load",
        type=float,
        default=None,
        help="before each pair of runs, wait (up to 10 minutes) for a lower load average",
    )
    parser.add_argument(
        "--write-data",
        action="store_true",
        help=f"store the rows in {DATA.relative_to(ROOT)} (the rules' docs quote them)",
    )
    args = parser.parse_args(argv)
    if args.write_data and (args.quick or args.only or args.size):
        parser.error("--write-data needs the default sizes and every program")
    rounds = args.rounds or (1 if args.quick else 3)
    sizes = dict(item.split("=", 1) for item in args.size)
    unknown = set(sizes) - {p.name for p in PROGRAMS}
    if unknown:
        parser.error(f"unknown program: {', '.join(sorted(unknown))}")
    chosen = [
        replace(p, size=sizes.get(p.name, p.size), quick_size=sizes.get(p.name, p.quick_size))
        for p in PROGRAMS
        if not args.only or p.name in args.only
    ]
    with tempfile.TemporaryDirectory(prefix="dasklint-impact-") as tmp:
        prepared = [prepare(p, Path(tmp)) for p in chosen]
        for item in prepared:
            status = (
                "reported"
                if item.program.rule in item.codes
                else "not implemented yet"
                if not item.rule_known
                else "NOT reported"
            )
            fix = "fixed by dasklint" if item.fixed else "no fix yet"
            print(
                f"{item.program.name}: {item.program.rule} {status} "
                f"(all: {', '.join(item.codes) or 'none'}); {fix}"
                + (
                    f"; after the fix: {', '.join(item.codes_after) or 'none'}"
                    if item.fixed
                    else ""
                )
            )
        run_rounds(prepared, rounds, args.quick, args.max_load)
    data = rows(prepared, args.quick)
    facts = machine(rounds, sys.argv[1:] if argv is None else argv)
    print()
    print(
        f"{facts['date']}: {facts['machine']}; Python {facts['python']}, dask {facts['dask']}, "
        f"distributed {facts['distributed']}; {rounds} rounds"
    )
    print()
    print(table(data))
    print()
    for line in goals(prepared):
        print(line)
    bad = [i.program.name for i in prepared if identical(i) is False]
    if bad:
        print(f"results differ after the fix: {', '.join(bad)}")
    if args.write_data:
        DATA.parent.mkdir(exist_ok=True)
        DATA.write_text(json.dumps({**facts, "rows": data}, indent=2) + "\n")
        print(f"wrote {DATA.relative_to(ROOT)}; now run: python docs/generate_rules.py")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
