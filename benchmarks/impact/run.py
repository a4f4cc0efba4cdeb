"""Proof of impact: Dask programs, before and after dasklint's own fixes.

    python benchmarks/impact/run.py              # default sizes, 3 interleaved rounds
    python benchmarks/impact/run.py --quick      # smallest sizes, one round
    python benchmarks/impact/run.py --rounds 5 --only four_tasks_processes
    python benchmarks/impact/run.py --group real # only the programs shaped like public code
    python benchmarks/impact/run.py --rounds 5 --write-data   # also dasklint/data/impact.json

Two groups of programs, in a temporary directory each:

* one program per runtime claim (this folder): ``dasklint check`` must report the
  expected rule (asserted; a rule dasklint does not implement yet is printed as such
  instead; a rule that is off by default is selected with ``--extend-select``);
* programs shaped like public Dask code (``real/``: tutorials without a main guard,
  notebook exports, library functions with a small driver), linted as a new user would
  (default rules). They print a ``checksum: ...`` line and run as the scripts they are.

For each program:

1. ``dasklint check --fix --unsafe-fixes`` rewrites a copy: the fixed program is
   dasklint's output, never written by hand; where it changes nothing the row says
   "no fix yet" and only the original runs;
2. original and fixed run in fresh interpreters with the installed dask and distributed,
   interleaved round by round (the order alternates); the end-to-end wall time of each
   run is measured (interpreter start, imports and any cluster start-up included);
3. the results (last JSON line, or the ``checksum:`` line) must be identical: a row whose
   results differ, or whose fix crashes a program that ran, is WRONG; a program that
   crashes as a script shows whether its fix prevents the crash.

Before each pair of runs the runner waits (``--patience``, 10 minutes by default) until
the 1-minute load average is below ``--max-load`` (by default half the CPU count; the
programs' own runs raise it too, so it also spaces them out). A pair started on a busier
machine is still run and its results compared, but its row reports no speedup ("busy"),
and ``--write-data`` refuses such rows. ``--no-max-load`` turns the gate off.

The structural evidence comes from ``dasklint trace``: after the timed rounds, original
and fixed run once more each under ``dasklint trace --output-format json`` (never timed),
and the row shows what its report recorded: the schedulers, the distinct processes that
ran tasks (and whether the program's own process was one of them), the computations, the
tasks they ran and the deepest graph, for every collection (delayed, bag, array,
dataframe) on the local schedulers and on ``distributed``.

Rules and fixes are looked up when the benchmark runs, so a rule or fix added later is
measured without changing this file. ``--write-data`` stores the rows, with the machine,
the load average and the date, in ``dasklint/data/impact.json``: ``dasklint rule CODE``
and ``docs/rules/`` quote the rows of the claim programs (run
``python docs/generate_rules.py`` afterwards).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = ROOT / "dasklint" / "data" / "impact.json"
BIN = Path(sys.executable).parent
TIMEOUT = 600
CHECKSUM = "checksum:"
TRACE_SUMMARY = "dasklint trace: the program exited"


@dataclass(frozen=True)
class Program:
    name: str
    rule: str | None  # the rule a claim program is written for; None for a real program
    claim: str
    quick_size: str
    size: str
    goal: float | None = None  # the speed-up the issue asks for, where it names one
    also: tuple[str, ...] = ()  # other rules whose fixes this program measures
    real: bool = False  # shaped like public code: lives in real/, prints a checksum line
    crash_rule: str | None = None  # it crashes as a script; the rule that should prevent it
    expected: str | None = None  # for such a program: its checksum once guarded by hand

    @property
    def source(self) -> Path:
        return HERE / "real" / f"{self.name}.py" if self.real else HERE / f"{self.name}.py"


CLAIMS = (
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


def _real(name: str, claim: str, quick: str = "", size: str = "", **kw: Any) -> Program:
    return Program(name, None, claim, quick, size, real=True, **kw)


REAL = (
    _real(
        "tutorial_bag_wordcount",
        "tutorial: module-level bag computes, no main guard",
        crash_rule="DSK201",
        expected="8e68a4b8219ba98a",
    ),
    _real(
        "tutorial_config_processes",
        "tutorial: module-level config.set(scheduler='processes') block, then more code",
        crash_rule="DSK201",
        expected="24c391c88056011e",
    ),
    _real("notebook_export_dataframe", "notebook export: dataframe computes per cell and loop"),
    _real(
        "library_multiprocessing_map",
        "library: scheduler='multiprocessing', task function passed in",
        "8000",
        "40000",
    ),
    _real("monte_carlo_random", "Monte Carlo pi, global `random` state seeded", "2000", "20000"),
    _real("big_python_results", "5 tasks returning millions of Python objects", "20000", "400000"),
    _real("bag_in_loop", "a bag computed in every loop iteration", "2000", "20000"),
    _real("per_element_delayed", "map(delayed(f), items) and a halving while loop"),
    _real("dataframe_apply_rowwise", "row-wise dd.apply in a library function", "3000", "30000"),
    _real("ignored_workers_keyword", "4 tasks on processes with workers= (ignored)", "96", "480"),
    _real(
        "simulation_random_processes",
        "4 tasks on processes, seeded global `random` state",
        "20000",
        "400000",
    ),
    _real("factory_delayed", "dask.delayed(make(args)), make returns a function", "2000", "20000"),
    _real("blocks_delayed", "one delayed call per x.blocks[i, j]", "400", "2000"),
    _real("batch_generator", "compute per batch inside a generator", "20000", "200000"),
)

PROGRAMS = CLAIMS + REAL


def dasklint_exe() -> str:
    """The ``dasklint`` of this interpreter's environment."""
    return shutil.which("dasklint", path=str(BIN)) or "dasklint"


def dasklint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [dasklint_exe(), *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT
    )


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
    loads: list[float] = field(default_factory=list)  # 1-minute load before each pair
    busy: bool = False  # a pair started while the load was at or above the limit
    traced: dict[str, dict[str, Any]] = field(default_factory=dict)  # the untimed traced runs


def prepare(program: Program, work: Path) -> Prepared:
    """Copy the program twice, lint it, and let dasklint fix the second copy."""
    copies = {}
    for variant in ("original", "fixed"):
        folder = work / program.name / variant
        folder.mkdir(parents=True)
        shutil.copy2(program.source, folder)
        copies[variant] = folder / f"{program.name}.py"
    info = None if program.rule is None else rule_info(program.rule)
    select = [] if program.rule is None else selection(program.rule, info)
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


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _checksum(stdout: str) -> str | None:
    """The value of the last ``checksum: ...`` line a real program printed."""
    found = [line for line in stdout.splitlines() if line.startswith(CHECKSUM)]
    return found[-1][len(CHECKSUM) :].strip() if found else None


def _program_stderr(stderr: str) -> str:
    """The program's own standard error: without the summary ``dasklint trace`` adds."""
    cut = stderr.rfind(TRACE_SUMMARY)
    return stderr if cut < 0 else stderr[:cut]


def _communicate(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float
) -> tuple[int, str, str] | None:
    """Run a command to its end; None when it timed out. A command that times out (or
    is interrupted) is killed with every process it started (its own session): a traced
    program's interpreter and a program's worker processes are not left behind."""
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except BaseException as exc:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        if isinstance(exc, subprocess.TimeoutExpired):
            return None
        raise
    return proc.returncode, stdout, stderr


def evidence(report: dict[str, Any]) -> dict[str, Any]:
    """What a ``dasklint trace`` JSON report recorded about the program's computations:
    the schedulers, the distinct processes that ran tasks (and whether the program's own
    process was one of them), the computations, the tasks they ran and the deepest graph."""
    computations = report["computations"]
    pids = {int(pid) for c in computations for pid in c["shape"]["tasks_per_process"]}
    return {
        "schedulers": sorted({c["scheduler"] for c in computations}),
        "worker_processes": len(pids),
        "in_main_process": int(report["program"]["pid"] in pids),
        "computations": len(computations),
        "tasks": sum(c["shape"]["tasks"] for c in computations),
        "depth": max((c["shape"]["depth"] for c in computations), default=0),
    }


def run_program(
    path: Path,
    size: str,
    real: bool = False,
    timeout: float = TIMEOUT,
    trace: Path | None = None,
) -> dict[str, Any]:
    """Run one program in a fresh interpreter: its result and wall time.

    A claim program prints a JSON line last (``{"result": ...}``); a real program's
    result is its checksum line. A run that exits non-zero, prints no result or times out
    is a crash: ``result`` is None and ``crash`` says how it ended. With ``trace``, the
    program runs under ``dasklint trace``, which writes its JSON report there, and
    ``evidence`` holds what the report recorded (also after a crash).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    env["PYTHONWARNINGS"] = "ignore"
    args = [sys.executable, path.name, *([size] if size else [])]
    if trace is not None:
        args = [dasklint_exe(), "trace", "--output-format", "json", "-o", str(trace), "--", *args]
    start = time.perf_counter()
    done = _communicate(args, path.parent, env, timeout)
    wall = time.perf_counter() - start
    if done is None:
        return {"result": None, "crash": f"timed out after {timeout:.0f} s", "wall": wall}
    code, stdout, stderr = done
    outcome: dict[str, Any] = {"result": None, "wall": wall}
    if trace is not None:
        if not trace.is_file():
            outcome["crash"] = f"dasklint trace wrote no report: {_last_line(stderr)}"
            return outcome
        outcome["evidence"] = evidence(json.loads(trace.read_text(encoding="utf-8")))
        stderr = _program_stderr(stderr)
    if code != 0:
        outcome["crash"] = _last_line(stderr) or f"exit status {code}"
    elif real:
        outcome["result"] = _checksum(stdout)
        if outcome["result"] is None:
            outcome["crash"] = "no checksum line"
    else:
        try:
            outcome["result"] = json.loads(_last_line(stdout))["result"]
        except (json.JSONDecodeError, TypeError, KeyError):
            outcome["crash"] = f"no result line: {_last_line(stdout)[:200]!r}"
    return outcome


LOADS: list[float] = []  # the 1-minute load average before each run


def default_max_load() -> float:
    """Half the CPUs: above it, a program that wants every core shares them with other
    work, and its time says more about the machine than about the fix."""
    return 0.5 * (os.cpu_count() or 1)


def wait_for_load(limit: float | None, patience: float = 600.0) -> float:
    """On a shared machine, wait (at most ``patience`` seconds) until the 1-minute load
    average is below ``limit``; return the load the pair then starts at."""
    deadline = time.monotonic() + patience
    while limit is not None and os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        time.sleep(min(10.0, max(0.0, deadline - time.monotonic())))
    return os.getloadavg()[0]


def run_rounds(
    prepared: list[Prepared],
    rounds: int,
    quick: bool,
    max_load: float | None = None,
    patience: float = 600.0,
) -> None:
    for index in range(rounds):
        for item in prepared:
            size = item.program.quick_size if quick else item.program.size
            variants = [("before", item.original)]
            if item.fixed is not None:
                variants.append(("after", item.fixed))
            if index % 2:
                variants.reverse()
            load = wait_for_load(max_load, patience)
            item.loads.append(load)
            if max_load is not None and load >= max_load:
                item.busy = True
            for label, path in variants:
                LOADS.append(os.getloadavg()[0])
                outcome = run_program(path, size, item.program.real)
                item.runs.setdefault(label, []).append(outcome)
                ended = f"CRASH ({outcome['crash']})" if outcome.get("crash") else "ok"
                print(
                    f"  round {index + 1} {item.program.name} {label}: {outcome['wall']:.2f} s"
                    f" {ended}, load {load:.2f}",
                    file=sys.stderr,
                    flush=True,
                )


def run_traced(prepared: list[Prepared], quick: bool) -> None:
    """Run original and fixed once more each under ``dasklint trace`` (not timed: the
    evidence columns come from these runs' reports)."""
    for item in prepared:
        size = item.program.quick_size if quick else item.program.size
        variants = [("before", item.original)]
        if item.fixed is not None:
            variants.append(("after", item.fixed))
        for label, path in variants:
            report = path.parent / f"{path.stem}.trace.json"
            outcome = run_program(path, size, item.program.real, trace=report)
            item.traced[label] = outcome
            ended = f"CRASH ({outcome['crash']})" if outcome.get("crash") else "ok"
            print(
                f"  traced {item.program.name} {label}: {ended}; {_evidence(outcome)}",
                file=sys.stderr,
                flush=True,
            )


def crash(runs: list[dict[str, Any]]) -> str | None:
    """How the first crashing run ended; None when every run gave a result."""
    return next((r["crash"] for r in runs if r.get("crash")), None)


def identical(item: Prepared) -> bool | None:
    """Whether the fixed program gives the original's results: None when there is no
    fix, or the original crashed and nothing is known to compare with; False when the
    fix crashes a program that ran, or when any two results differ. The results of a
    fix that prevents a crash are compared with the checksum of the program guarded by
    hand, where it is known."""
    if item.fixed is None:
        return None
    if crash(item.runs["before"]):
        expected = item.program.expected
        if expected is None or crash(item.runs["after"]):
            return None
        return all(r["result"] == expected for r in item.runs["after"])
    if crash(item.runs["after"]):
        return False
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


def _evidence(traced: dict[str, Any] | None) -> str:
    """A traced run's evidence in a few words: processes that ran tasks (``main``: the
    program's own process), schedulers, computations, tasks run, deepest graph."""
    if traced is None:
        return "not traced"
    crashed = "crashed; " if traced.get("crash") else ""
    ev = traced.get("evidence")
    if ev is None:
        return "crashed"
    if not ev["computations"]:
        return f"{crashed}no computation recorded"
    processes = ev["worker_processes"]
    main = " (main)" if processes == 1 else " (incl. main)"
    where = f"{processes} proc{main if ev['in_main_process'] else ''}"
    return (
        f"{crashed}{where}, {'+'.join(ev['schedulers'])}; {ev['computations']} comp, "
        f"{ev['tasks']} tasks, depth {ev['depth']}"
    )


def speedup(item: Prepared) -> float | None:
    """Median over rounds of before / after, each pair run back to back: the load of a
    shared machine drifts between rounds more than within a pair. None without a fix,
    after a crash, or when a pair ran on a busy machine (not reported)."""
    if item.fixed is None or item.busy or crash(item.runs["before"] + item.runs["after"]):
        return None
    pairs = zip(item.runs["before"], item.runs["after"], strict=True)
    ratio: float = statistics.median(b["wall"] / a["wall"] for b, a in pairs)
    return ratio


def verdict(item: Prepared) -> str:
    """What the row says about the fix, in a word or three."""
    before, after = crash(item.runs["before"]), crash(item.runs.get("after", []))
    if before:
        if item.fixed is None:
            return "crashes, no fix"
        if after:
            return "crash NOT fixed"
        return "WRONG" if identical(item) is False else "crash fixed"
    if item.fixed is None:
        return "no fix yet"
    if identical(item) is False:
        return "WRONG"
    if item.busy:
        return "busy: no speedup reported"
    return "ok"


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
                "real": p.real,
                "claim": p.claim,
                "size": p.quick_size if quick else p.size,
                "rule_implemented": item.rule_known,
                "reported": p.rule is None or p.rule in item.codes,
                "fixed": item.fixed is not None,
                "before": _timing(item.runs["before"]),
                "after": None if item.fixed is None else _timing(item.runs["after"]),
                "speedup": None if ratio is None else round(ratio, 3),
                "identical": identical(item),
                "verdict": verdict(item),
                "crash_before": crash(item.runs["before"]),
                "crash_after": None if item.fixed is None else crash(item.runs["after"]),
                "crash_rule": p.crash_rule,
                "load": [round(min(item.loads), 2), round(max(item.loads), 2)],
                "busy": item.busy,
                "evidence_before": _evidence(item.traced.get("before")),
                "evidence_after": None
                if item.fixed is None
                else _evidence(item.traced.get("after")),
                "reported_before": item.codes,
                "reported_after": item.codes_after,
            }
        )
    return result


def _time(run: dict[str, float] | None) -> str:
    return "-" if run is None else f"{run['median']:.2f} s ({run['min']:.2f}-{run['max']:.2f})"


def table(data: list[dict[str, Any]]) -> str:
    """Every row with its load and verdict (the rules' docs use ``impact_table``)."""
    lines = [
        "| program (size) | rule | reported before -> after | before: median (min-max) "
        "| after | speedup | results | load | evidence before | evidence after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in data:
        rule = row["rule"] or "real"
        if row["rule"] and not row["rule_implemented"]:
            rule += " (not implemented)"
        elif not row["reported"]:
            rule += " (NOT reported)"
        codes = f"{', '.join(row['reported_before']) or 'none'}"
        if row["fixed"]:
            codes += f" -> {', '.join(row['reported_after']) or 'none'}"
        speed = "-" if row["speedup"] is None else f"{row['speedup']:.2f}x"
        low, high = row["load"]
        results = row["verdict"]
        if row["identical"] is True:
            results = "identical" if results == "ok" else f"identical; {results}"
        lines.append(
            f"| {row['program']} ({row['size'] or 'fixed'}) | {rule} | {codes} "
            f"| {_time(row['before'])} | {_time(row['after'])} | {speed} | {results} "
            f"| {low:.2f}-{high:.2f} | {row['evidence_before']} | {row['evidence_after'] or '-'} |"
        )
    return "\n".join(lines)


def goals(prepared: list[Prepared]) -> list[str]:
    lines = []
    for item in prepared:
        goal = item.program.goal
        if goal is None:
            continue
        ratio = speedup(item)
        wanted = f">= {goal}x" if goal > 1 else "measurably faster"
        name = f"{item.program.rule} {item.program.name}: {wanted}"
        if item.fixed is None:
            lines.append(f"{name}: NOT MET (no fix yet)")
        elif ratio is None:
            lines.append(f"{name}: NOT MEASURED ({verdict(item)})")
        else:
            met = ratio >= goal if goal > 1 else ratio > 1.05
            lines.append(f"{name}: {'met' if met else 'NOT MET'} ({ratio:.2f}x)")
    measured = [i for i in prepared if speedup(i) is not None]
    slower = [i.program.name for i in measured if (speedup(i) or 1.0) < 0.95]
    if slower:
        lines.append(f"none slower: NOT MET: {', '.join(slower)}")
    else:
        lines.append(f"none slower: {'met' if measured else 'NOT MEASURED'}")
    wrong = [i.program.name for i in prepared if verdict(i) == "WRONG"]
    lines.append(f"identical results: {'NOT MET: ' + ', '.join(wrong) if wrong else 'met'}")
    crashes = [i for i in prepared if crash(i.runs["before"])]
    for item in crashes:
        rule = item.program.crash_rule
        said = (
            "no rule" if rule is None else f"{rule}, {'' if rule in item.codes else 'NOT '}reported"
        )
        lines.append(
            f"crash of {item.program.name} (should be prevented by {said}): {verdict(item)}"
        )
    busy = [i.program.name for i in prepared if i.busy]
    if busy:
        lines.append(f"no speedup reported (machine busy): {', '.join(busy)}")
    return lines


def cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown CPU"
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor() or "unknown CPU"


def machine(rounds: int, argv: list[str], max_load: float | None = None) -> dict[str, Any]:
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
        "max_load": max_load,
        "python": platform.python_version(),
        "dask": version("dask"),
        "distributed": version("distributed"),
        "rounds": rounds,
        "command": " ".join(["python benchmarks/impact/run.py", *argv]),
    }


def _status(item: Prepared) -> str:
    p = item.program
    if p.rule is None:
        head = f"{p.name}: reported {', '.join(item.codes) or 'nothing'}"
    else:
        status = (
            "reported"
            if p.rule in item.codes
            else "not implemented yet"
            if not item.rule_known
            else "NOT reported"
        )
        head = f"{p.name}: {p.rule} {status} (all: {', '.join(item.codes) or 'none'})"
    if item.fixed is None:
        return f"{head}; no fix yet"
    return f"{head}; fixed by dasklint; after the fix: {', '.join(item.codes_after) or 'none'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smallest sizes, one round")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--only", action="append", help="program name (repeatable)")
    parser.add_argument(
        "--group", choices=("claims", "real"), help="only the claim programs or the real ones"
    )
    parser.add_argument(
        "--size",
        action="append",
        default=[],
        metavar="PROGRAM=SIZE",
        help="run a program at another size (repeatable)",
    )
    gate = parser.add_mutually_exclusive_group()
    gate.add_argument(
        "--max-load",
        type=float,
        default=default_max_load(),
        help="before each pair of runs, wait for a 1-minute load average below this "
        "(default: half the CPUs, %(default)s); a pair started above it reports no speedup",
    )
    gate.add_argument(
        "--no-max-load",
        dest="max_load",
        action="store_const",
        const=None,
        help="run without waiting for a quiet machine (speedups are then reported as measured)",
    )
    parser.add_argument(
        "--patience",
        type=float,
        default=600.0,
        help="seconds to wait for the load before each pair (default %(default)s)",
    )
    parser.add_argument(
        "--write-data",
        action="store_true",
        help=f"store the rows in {DATA.relative_to(ROOT)} (the rules' docs quote them)",
    )
    args = parser.parse_args(argv)
    if args.write_data and (args.quick or args.only or args.size or args.group):
        parser.error("--write-data needs the default sizes and every program")
    if args.write_data and args.max_load is None:
        parser.error("--write-data needs the load gate (--max-load)")
    rounds = args.rounds or (1 if args.quick else 3)
    sizes = dict(item.split("=", 1) for item in args.size)
    unknown = (set(sizes) | set(args.only or ())) - {p.name for p in PROGRAMS}
    if unknown:
        parser.error(f"unknown program: {', '.join(sorted(unknown))}")
    group = {"claims": CLAIMS, "real": REAL}.get(args.group, PROGRAMS)
    chosen = [
        replace(p, size=sizes.get(p.name, p.size), quick_size=sizes.get(p.name, p.quick_size))
        for p in group
        if not args.only or p.name in args.only
    ]
    with tempfile.TemporaryDirectory(prefix="dasklint-impact-") as tmp:
        prepared = [prepare(p, Path(tmp)) for p in chosen]
        for item in prepared:
            print(_status(item))
        run_rounds(prepared, rounds, args.quick, args.max_load, args.patience)
        run_traced(prepared, args.quick)
    data = rows(prepared, args.quick)
    facts = machine(rounds, sys.argv[1:] if argv is None else argv, args.max_load)
    gate_text = "no load gate" if args.max_load is None else f"--max-load {args.max_load:g}"
    print()
    print(
        f"{facts['date']}: {facts['machine']} ({gate_text}); Python {facts['python']}, "
        f"dask {facts['dask']}, distributed {facts['distributed']}; {rounds} rounds"
    )
    print()
    print(table(data))
    print()
    for line in goals(prepared):
        print(line)
    wrong = [i.program.name for i in prepared if verdict(i) == "WRONG"]
    if wrong:
        print(f"WRONG results after the fix: {', '.join(wrong)}")
    busy = [i.program.name for i in prepared if i.busy]
    if args.write_data and busy:
        print(f"not written: measured while the machine was busy: {', '.join(busy)}")
        return 2
    if args.write_data:
        DATA.parent.mkdir(exist_ok=True)
        DATA.write_text(json.dumps({**facts, "rows": data}, indent=2) + "\n")
        print(f"wrote {DATA.relative_to(ROOT)}; now run: python docs/generate_rules.py")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
