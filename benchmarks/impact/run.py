"""Proof of impact: real Dask programs, before and after dasklint's own fixes.

    python benchmarks/impact/run.py              # default sizes, 3 interleaved rounds
    python benchmarks/impact/run.py --quick      # smallest sizes, one round
    python benchmarks/impact/run.py --rounds 5 --only four_tasks_processes

For each program of this folder (one per runtime claim), in a temporary directory:

1. ``dasklint check`` on the program must report the expected rule (asserted; a rule
   dasklint does not implement yet is printed as such instead);
2. ``dasklint check --fix --unsafe-fixes`` rewrites a copy: the fixed program is
   dasklint's output, never written by hand; where it changes nothing the row says
   "no fix yet" and only the original runs;
3. original and fixed run in fresh interpreters with the installed dask and distributed,
   interleaved round by round (the order alternates); the end-to-end wall time of each
   run is measured (interpreter start, imports and any cluster start-up included);
4. the results (last JSON line of each program) must be identical.

The structural evidence comes from the programs themselves (``_probe.py``): distinct
worker processes that ran tasks, dask computations, tasks in their graphs, deepest graph.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
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


PROGRAMS = (
    Program(
        "four_tasks_processes",
        "DSK102",
        "4 tasks, processes: run serially",
        "0.05",
        "0.5",
        goal=1.5,
    ),
    Program(
        "cpu_bound_threads", "DSK501", "pure-Python tasks on threads", "20000", "300000", goal=1.5
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


def rule_exists(code: str) -> bool:
    return dasklint("rule", code, cwd=HERE).returncode == 0


def reported_codes(path: Path) -> list[str]:
    proc = dasklint(
        "check",
        "--isolated",
        "--no-cache",
        "--exit-zero",
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
    codes = reported_codes(copies["original"])
    known = rule_exists(program.rule)
    if known:
        assert program.rule in codes, f"{program.name}: expected {program.rule}, got {codes}"
    proc = dasklint(
        "check",
        "--isolated",
        "--no-cache",
        "--exit-zero",
        "--fix",
        "--unsafe-fixes",
        copies["fixed"].name,
        cwd=copies["fixed"].parent,
    )
    assert proc.returncode == 0, proc.stderr
    changed = copies["fixed"].read_text() != copies["original"].read_text()
    return Prepared(program, copies["original"], copies["fixed"] if changed else None, codes, known)


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


def run_rounds(prepared: list[Prepared], rounds: int, quick: bool) -> None:
    for index in range(rounds):
        for item in prepared:
            size = item.program.quick_size if quick else item.program.size
            variants = [("before", item.original)]
            if item.fixed is not None:
                variants.append(("after", item.fixed))
            if index % 2:
                variants.reverse()
            for label, path in variants:
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


def _timing(runs: list[dict[str, Any]]) -> str:
    walls = [r["wall"] for r in runs]
    return f"{statistics.median(walls):.2f} s ({min(walls):.2f}-{max(walls):.2f})"


def _evidence(runs: list[dict[str, Any]]) -> str:
    ev = runs[-1]["evidence"]
    graph = (
        f"{ev['computations']} comp, {ev['tasks']} tasks, depth {ev['depth']}"
        if ev["computations"]
        else "graph not seen (distributed)"
    )
    return f"{ev['worker_processes']} proc; {graph}"


def speedup(item: Prepared) -> float | None:
    if item.fixed is None:
        return None
    before = statistics.median(r["wall"] for r in item.runs["before"])
    after = statistics.median(r["wall"] for r in item.runs["after"])
    return before / after


def table(prepared: list[Prepared], quick: bool = False) -> str:
    head = (
        "| rule | program (size) | before: median (min-max) | after | speedup "
        "| identical | evidence before | evidence after |"
    )
    rows = [head, "|" + "---|" * 8]
    for item in prepared:
        p = item.program
        rule = p.rule if item.rule_known else f"{p.rule} (rule not implemented)"
        if item.rule_known and p.rule not in item.codes:
            rule += " (NOT reported)"
        size = (p.quick_size if quick else p.size) or "fixed"
        before = _timing(item.runs["before"])
        if item.fixed is None:
            after = ratio = same = ev_after = "no fix yet"
        else:
            after = _timing(item.runs["after"])
            ratio = f"{speedup(item):.2f}x"
            same = "yes" if identical(item) else "NO"
            ev_after = _evidence(item.runs["after"])
        rows.append(
            f"| {rule} | {p.name} ({size}) | {before} | {after} | {ratio} | {same} "
            f"| {_evidence(item.runs['before'])} | {ev_after} |"
        )
    return "\n".join(rows)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smallest sizes, one round")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--only", action="append", help="program name (repeatable)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 3)
    chosen = [p for p in PROGRAMS if not args.only or p.name in args.only]
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
            )
        run_rounds(prepared, rounds, args.quick)
    print()
    print(table(prepared, args.quick))
    print()
    for line in goals(prepared):
        print(line)
    bad = [i.program.name for i in prepared if identical(i) is False]
    if bad:
        print(f"results differ after the fix: {', '.join(bad)}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
