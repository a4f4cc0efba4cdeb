"""Tracing overhead: the impact programs plain and under ``dasklint trace``, interleaved.

    python benchmarks/trace_overhead.py                       # every impact program, 3 rounds
    python benchmarks/trace_overhead.py --group claims --rounds 5
    python benchmarks/trace_overhead.py --only four_tasks_processes --rounds 7
    python benchmarks/trace_overhead.py --quick --no-max-load # a smoke run on a busy machine

Each original program of ``benchmarks/impact`` (no fix applied) is copied to a temporary
directory and run in fresh interpreters, plain (``python program.py SIZE``) and under
``dasklint trace --output-format json -o report.json -- python program.py SIZE``, back to
back, the order alternating by round. Each run is timed end to end: for the traced run
that is trace's own start-up, the program with the instrumentation, the lint of the files
the program ran and the report. Two ratios per program, each the median over the rounds
of traced / plain within a pair: ``total`` (the traced run's whole wall time) and
``program`` (the program's wall time as trace measured it: the instrumentation's share).
The goal is ``total`` at most 1.10. The lowest and highest ``total`` of the pairs are
printed too: when they lie far apart, the machine's noise is larger than what is measured.
Results must be identical: trace never changes what a program computes.

Wall time on a busy machine grows with the CPU time every process asks for, so each run's
CPU time (its processes', user and system) is measured too, and ``trace's CPU`` is the
median over the pairs of traced minus plain CPU seconds: trace's own work (its start-up,
the lint of the files the program ran, the instrumentation, the report), which a spare
core hides and a busy machine adds to the wall time. The header says when dasklint's own
modules have no bytecode cache (``PYTHONDONTWRITEBYTECODE`` with a source checkout): each
traced run then compiles the linter it imports, which an installed dasklint does not.

The impact runner's load gate applies: before each pair the script waits (``--patience``)
until the 1-minute load average is below ``--max-load`` (default: half the CPUs), and
prints the load with every figure. A program with a pair started above the limit gets
no ratio ("busy"), and the script then exits 2 without a verdict; ``--no-max-load`` turns
the gate off (ratios are then printed as measured, marked "no load gate").
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
GOAL = 1.10


def _impact_runner() -> ModuleType:
    """``benchmarks/impact/run.py``: its programs, its way of running them, its load gate."""
    spec = importlib.util.spec_from_file_location("impact_run", HERE / "impact" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


IMPACT = _impact_runner()


@dataclass
class Measured:
    program: Any  # the impact runner's Program
    path: Path
    plain: list[dict[str, Any]] = field(default_factory=list)
    traced: list[dict[str, Any]] = field(default_factory=list)
    inside: list[float] = field(default_factory=list)  # the program's seconds under trace
    loads: list[float] = field(default_factory=list)
    busy: bool = False


def run_pairs(
    items: list[Measured], rounds: int, quick: bool, max_load: float | None, patience: float
) -> None:
    for index in range(rounds):
        for item in items:
            size = item.program.quick_size if quick else item.program.size
            order = ["plain", "traced"] if index % 2 == 0 else ["traced", "plain"]
            load = IMPACT.wait_for_load(max_load, patience)
            item.loads.append(load)
            if max_load is not None and load >= max_load:
                item.busy = True
            for variant in order:
                written = item.path.parent / "report.json"
                written.unlink(missing_ok=True)
                trace = written if variant == "traced" else None
                now = os.getloadavg()[0]
                IMPACT.LOADS.append(now)
                cpu = _children_cpu()
                outcome = IMPACT.run_program(item.path, size, item.program.real, trace=trace)
                outcome["cpu"] = _children_cpu() - cpu
                getattr(item, variant).append(outcome)
                if trace is not None and written.is_file():
                    item.inside.append(json.loads(written.read_text())["program"]["seconds"])
                ended = f" CRASH ({outcome['crash']})" if outcome.get("crash") else ""
                print(
                    f"  round {index + 1} {item.program.name} {variant}: "
                    f"{outcome['wall']:.2f} s{ended}, load {now:.2f}",
                    file=sys.stderr,
                    flush=True,
                )


def _children_cpu() -> float:
    """CPU seconds (user and system) of this process's ended child processes so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def extra_cpu(item: Measured) -> float:
    """Median over the pairs of traced minus plain CPU seconds."""
    return statistics.median(
        float(t["cpu"] - p["cpu"]) for t, p in zip(item.traced, item.plain, strict=True)
    )


def bytecode_note() -> str | None:
    """A sentence when dasklint's own modules have no bytecode cache to import from."""
    import dasklint.rules

    source = dasklint.rules.__file__
    if source and not os.path.exists(importlib.util.cache_from_source(source)):
        return (
            "dasklint's modules have no bytecode cache here"
            + (" (PYTHONDONTWRITEBYTECODE)" if sys.dont_write_bytecode else "")
            + ": every traced run compiles the linter it imports."
        )
    return None


def crashed(item: Measured) -> str | None:
    return IMPACT.crash(item.plain + item.traced)


def same_results(item: Measured) -> bool:
    return len({json.dumps(r["result"], sort_keys=True) for r in item.plain + item.traced}) == 1


def ratios(item: Measured) -> tuple[float, float] | None:
    """Median traced / plain over the pairs: whole traced run, and the program inside it.
    None after a crash or when a pair started on a busy machine."""
    if item.busy or crashed(item) or len(item.inside) != len(item.plain):
        return None
    plain = [r["wall"] for r in item.plain]
    total = statistics.median(t["wall"] / p for t, p in zip(item.traced, plain, strict=True))
    inside = statistics.median(i / p for i, p in zip(item.inside, plain, strict=True))
    return total, inside


def pair_ratios(item: Measured) -> list[float]:
    """Traced / plain wall time of each pair: how far apart they lie shows how much of a
    median ratio is the machine's noise."""
    return [t["wall"] / p["wall"] for t, p in zip(item.traced, item.plain, strict=False)]


def _median(runs: list[dict[str, Any]]) -> str:
    return f"{statistics.median(r['wall'] for r in runs):.2f} s"


def report(items: list[Measured], gate: bool, quick: bool = False) -> tuple[list[str], int]:
    """The table and the verdict lines; the exit status (2: busy, 1: a result changed or
    a run crashed under trace only, or the goal is not met; 0: met)."""
    lines = [
        "| program (size) | plain: median | traced: median | total ratio | program ratio "
        "| trace's CPU | load (min-max) | results | pairs' total ratios (min-max) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    status = 0
    measured: list[float] = []
    for item in items:
        low, high = min(item.loads), max(item.loads)
        found = ratios(item)
        results = "identical" if same_results(item) else "DIFFERENT"
        if crashed(item):
            plain_crash = IMPACT.crash(item.plain)
            results = "crashes plain and traced" if plain_crash else "CRASHES under trace only"
        if results in ("DIFFERENT", "CRASHES under trace only"):
            status = 1
        if found is None:
            total_text = inside_text = "busy: not reported" if item.busy else "-"
        else:
            total_text, inside_text = f"{found[0]:.3f}x", f"{found[1]:.3f}x"
            measured.append(found[0])
        pairs = pair_ratios(item)
        spread = f"{min(pairs):.2f}-{max(pairs):.2f}" if found is not None and pairs else "-"
        size = item.program.quick_size if quick else item.program.size
        lines.append(
            f"| {item.program.name} ({size or 'fixed'}) | {_median(item.plain)} "
            f"| {_median(item.traced)} | {total_text} | {inside_text} "
            f"| {extra_cpu(item):+.2f} s | {low:.2f}-{high:.2f} | {results} | {spread} |"
        )
    lines.append("")
    busy = [i.program.name for i in items if i.busy]
    if busy:
        lines.append(f"not reported: the machine was busy during {', '.join(busy)}")
        return lines, 2
    if measured:
        overall = statistics.median(measured)
        worst = max(measured)
        met = worst <= GOAL
        lines.append(
            f"tracing overhead (total wall time): median {overall:.3f}x, worst {worst:.3f}x "
            f"over {len(measured)} programs; goal <= {GOAL:.2f}x: {'met' if met else 'NOT MET'}"
            + ("" if gate else " (no load gate)")
        )
        status = status or (0 if met else 1)
    return lines, status


def check_first(path: Path) -> None:
    """``dasklint check`` on ``path`` in its folder, filling the cache trace reads."""
    subprocess.run(
        [IMPACT.dasklint_exe(), "check", path.name],
        cwd=path.parent,
        stdout=subprocess.DEVNULL,
        check=False,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smallest sizes, one round")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--only", action="append", help="program name (repeatable)")
    parser.add_argument("--group", choices=("claims", "real"), help="one group of programs")
    gate = parser.add_mutually_exclusive_group()
    gate.add_argument(
        "--max-load",
        type=float,
        default=IMPACT.default_max_load(),
        help="wait for a 1-minute load average below this before each pair (default "
        "%(default)s); a program with a pair started above it gets no ratio",
    )
    gate.add_argument("--no-max-load", dest="max_load", action="store_const", const=None)
    parser.add_argument("--patience", type=float, default=600.0)
    parser.add_argument(
        "--after-check",
        action="store_true",
        help="run `dasklint check` on each program first, as a user does before tracing: "
        "trace then reads the findings from its cache instead of linting",
    )
    args = parser.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 3)
    group = {"claims": IMPACT.CLAIMS, "real": IMPACT.REAL}.get(args.group, IMPACT.PROGRAMS)
    unknown = set(args.only or ()) - {p.name for p in IMPACT.PROGRAMS}
    if unknown:
        parser.error(f"unknown program: {', '.join(sorted(unknown))}")
    chosen = [p for p in group if not args.only or p.name in args.only]
    with tempfile.TemporaryDirectory(prefix="dasklint-trace-overhead-") as tmp:
        items = []
        for program in chosen:
            folder = Path(tmp, program.name)
            folder.mkdir()
            shutil.copy2(program.source, folder)
            items.append(Measured(program, folder / program.source.name))
            if args.after_check:
                check_first(folder / program.source.name)
        run_pairs(items, rounds, args.quick, args.max_load, args.patience)
    facts = IMPACT.machine(rounds, sys.argv[1:] if argv is None else argv, args.max_load)
    gate_text = "no load gate" if args.max_load is None else f"--max-load {args.max_load:g}"
    print(
        f"{facts['date']}: {facts['machine']} ({gate_text}); Python {facts['python']}, "
        f"dask {facts['dask']}; {rounds} rounds"
    )
    note = bytecode_note()
    if note:
        print(note)
    if args.after_check:
        print("after `dasklint check`: trace reads the findings from its cache")
    print()
    lines, status = report(items, args.max_load is not None, args.quick)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
