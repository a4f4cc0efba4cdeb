"""Static findings set against what the run measured.

A finding is related to the computations whose recorded call stack passes through the
finding's function (the innermost ``def`` around its line, or the module): those started
on the finding's own line if there are any, else those started on the first line after
it that starts one (a graph built in a loop, then computed). A finding inside a function
that ran as a task is also related to the computations that ran it.

Each finding of a traced rule is then **confirmed**, **refuted** or **not exercised**
(no related computation ran in the way the rule is about), with the numbers behind the
verdict. Computations that show what the rules are about without any related finding are
listed as *unreported*: evidence of what the rules miss.
"""

from __future__ import annotations

import ast
import bisect
import itertools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dasklint.diagnostics import Diagnostic
from dasklint.trace.records import Computation
from dasklint.trace.shape import Shape, measure

CONFIRMED, REFUTED, NOT_EXERCISED = "confirmed", "refuted", "not exercised"
BATCHING = ("DSK101", "DSK102")
GRANULARITY = ("DSK401", "DSK402")
GIL = ("DSK501",)
TRACED_RULES = (*BATCHING, *GRANULARITY, *GIL)
# A task shorter than this is "sub-millisecond" (the Dask docs' per-task overhead of the
# local schedulers is a fraction of a millisecond), and this many of them in one
# computation are worth a finding.
TINY_TASK = 0.001
MANY_TASKS = 1000
# Average CPUs busy with the tasks of a threaded computation: from this value up the GIL
# did not hold them back. Tasks whose CPU time is below CPU_BOUND of their wall time
# waited on something else than the GIL (threads waiting for the GIL still show a share
# of about 1/threads, less on a busy machine).
PARALLEL_CPU = 1.5
CPU_BOUND = 0.01


@dataclass(frozen=True)
class Measured:
    computation: Computation
    shape: Shape
    queued: int  # tasks that were ready but waited behind a sibling in the same process

    @property
    def idle_pool(self) -> int:
        """Processes of the pool that ran none of the tasks."""
        if self.computation.workers is None:
            return 0
        return max(0, min(self.computation.workers, self.shape.tasks) - self.shape.processes)


@dataclass
class Verdict:
    finding: Diagnostic
    path: str  # absolute, as the recorder wrote stacks
    verdict: str | None  # None: not a rule the trace judges
    summary: str
    numbers: dict[str, Any] = field(default_factory=dict)
    computations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Unreported:
    kind: str
    computation: str
    filename: str | None
    line: int | None
    summary: str
    numbers: dict[str, Any]


def queued_behind_siblings(computation: Computation) -> int:
    """Tasks that started only when an earlier task of the same worker process ended,
    although all their dependencies had finished before that (batched, not waiting).
    With ``chunksize=1`` every task is its own submission to the pool: a task that starts
    late waited for a free (or a still starting) process, not behind a sibling."""
    if computation.chunksize is not None and computation.chunksize <= 1:
        return 0
    ends = {run.key: run.end for run in computation.runs}
    by_process: dict[Any, list[Any]] = {}
    for run in computation.runs:
        by_process.setdefault(run.pid, []).append(run)
    queued = 0
    for runs in by_process.values():
        runs.sort(key=lambda r: r.start)
        for before, run in itertools.pairwise(runs):
            deps = computation.tasks.get(run.key, (0, "", []))[2]
            ready = max([computation.start, *(ends[d] for d in deps if d in ends)])
            if ready < before.end and run.start >= before.end - 1e-6:
                queued += 1
    return queued


def measured(computations: Iterable[Computation]) -> dict[str, Measured]:
    return {
        c.id: Measured(
            c, measure(c), queued_behind_siblings(c) if c.scheduler == "processes" else 0
        )
        for c in computations
    }


@cache
def _function_spans(path: str) -> tuple[tuple[int, int], ...]:
    """``(first, last)`` lines of every function of a file, by first line."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return ()
    spans = [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    first = [
        min([n.lineno for n in node.decorator_list] + [node.lineno])
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    return tuple(sorted((f, end) for f, (_, end) in zip(first, spans, strict=True)))


def scope(path: str, line: int) -> tuple[int, int] | None:
    """The innermost function around ``line`` (None: module level)."""
    inner = None
    for first, last in _function_spans(path):
        if first <= line <= last and (inner is None or first >= inner[0]):
            inner = (first, last)
    return inner


def _defined_at(path: str, first_line: int) -> tuple[int, int] | None:
    """The function whose definition starts on ``first_line`` (a task's ``co_firstlineno``)."""
    spans = _function_spans(path)
    i = bisect.bisect_left(spans, (first_line, 0))
    if i < len(spans) and spans[i][0] == first_line:
        return spans[i]
    return None


def related(path: str, row: int, computations: Iterable[Computation]) -> list[Computation]:
    where = scope(path, row)
    frames: list[tuple[int, Computation]] = []
    found: list[Computation] = []
    for computation in computations:
        for filename, line in computation.stack:
            if filename == path and scope(path, line) == where:
                frames.append((line, computation))
                break
        for function in computation.functions:
            if function.filename == path and function.line is not None:
                span = _defined_at(path, function.line)
                if span is not None and span[0] <= row <= span[1] and computation not in found:
                    found.append(computation)
    here = [c for line, c in frames if line == row]
    if not here:
        after = [line for line, _ in frames if line > row]
        here = [c for line, c in frames if after and line == min(after)]
    return [*here, *(c for c in found if c not in here)]


def seconds(value: float) -> str:
    """A duration as people read it: "1.25 s", "3.4 ms", "80 µs"."""
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.001:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1e6:.0f} µs"


def _batching(items: list[Measured]) -> tuple[str, str, dict[str, Any]]:
    pool = [m for m in items if m.computation.scheduler == "processes" and m.shape.tasks]
    if not pool:
        ran = sorted({m.computation.scheduler for m in items}) or ["nothing"]
        return (
            NOT_EXERCISED,
            f"no related computation ran on the processes scheduler ({', '.join(ran)})",
            {},
        )
    worst = max(pool, key=lambda m: (m.queued, m.idle_pool))
    c, s = worst.computation, worst.shape
    numbers = {
        "tasks": s.tasks,
        "worker_processes": s.processes,
        "pool_processes": c.workers,
        "chunksize": c.chunksize,
        "tasks_per_process": sorted(s.tasks_per_process.values(), reverse=True),
        "queued_behind_sibling": worst.queued,
        "idle_pool_processes": worst.idle_pool,
        "span": s.span,
        "total_work": s.total_work,
        "critical_path": s.critical_path,
    }
    text = (
        f"{s.tasks} tasks ran in {s.processes} of {c.workers} pool processes "
        f"(batches of {c.chunksize}): {worst.queued} ready tasks waited behind another task "
        f"in the same process while {worst.idle_pool} processes ran none; "
        f"{seconds(s.span)} for {seconds(s.total_work)} of work "
        f"(critical path {seconds(s.critical_path)})"
    )
    verdict = CONFIRMED if worst.queued and worst.idle_pool else REFUTED
    return verdict, text, numbers


def _granularity(items: list[Measured]) -> tuple[str, str, dict[str, Any]]:
    ran = [m for m in items if m.shape.tasks]
    if not ran:
        return NOT_EXERCISED, "no related computation ran tasks", {}
    largest = max(ran, key=lambda m: m.shape.tasks)
    s = largest.shape
    numbers = {
        "tasks": s.tasks,
        "scheduler": largest.computation.scheduler,
        "median_task": s.median_task,
        "overhead_per_task": s.overhead_per_task,
        "overhead_share": s.overhead_share,
        "span": s.span,
        "total_work": s.total_work,
    }
    text = (
        f"{s.tasks} tasks on {largest.computation.scheduler}: median task "
        f"{seconds(s.median_task)} against {seconds(s.overhead_per_task)} of scheduling "
        f"per task; {s.overhead_share:.0%} of the threads' time was not spent in tasks"
    )
    return (CONFIRMED if s.median_task < s.overhead_per_task else REFUTED), text, numbers


def _gil(items: list[Measured]) -> tuple[str, str, dict[str, Any]]:
    threaded = [
        m for m in items if m.computation.scheduler == "threads" and m.shape.cpu is not None
    ]
    if not threaded:
        ran = sorted({m.computation.scheduler for m in items}) or ["nothing"]
        return NOT_EXERCISED, f"no related computation ran on threads ({', '.join(ran)})", {}
    m = max(threaded, key=lambda m: m.shape.total_work)
    s = m.shape
    cpu = s.cpu or 0.0
    overlap = s.total_work / s.span if s.span > 0 else 0.0
    concurrency = cpu / s.span if s.span > 0 else 0.0
    numbers = {
        "tasks": s.tasks,
        "threads": s.threads,
        "cpu": cpu,
        "wall": s.total_work,
        "span": s.span,
        "tasks_running_at_once": overlap,
        "cpus_busy": concurrency,
        "cpu_per_wall": cpu / s.total_work if s.total_work > 0 else 0.0,
        "machine_cpus": os.cpu_count(),
    }
    text = (
        f"{s.tasks} tasks on {s.threads} threads: {overlap:.1f} tasks ran at once on average "
        f"but only {concurrency:.2f} CPUs were busy ({seconds(cpu)} of CPU in "
        f"{seconds(s.total_work)} of task wall time)"
    )
    if s.threads < 2 or overlap < 1.2:
        return NOT_EXERCISED, f"{s.tasks} tasks never ran side by side on threads", numbers
    if concurrency >= PARALLEL_CPU:
        return REFUTED, text.replace("but only", "and"), numbers
    if s.total_work > 0 and cpu / s.total_work < CPU_BOUND:
        return REFUTED, text + ": the tasks mostly waited, not on the GIL", numbers
    return CONFIRMED, text, numbers


JUDGES: dict[str, Callable[[list[Measured]], tuple[str, str, dict[str, Any]]]] = {
    **dict.fromkeys(BATCHING, _batching),
    **dict.fromkeys(GRANULARITY, _granularity),
    **dict.fromkeys(GIL, _gil),
}


def judge(
    findings: Iterable[tuple[str, Diagnostic]], computations: dict[str, Measured]
) -> list[Verdict]:
    """A verdict for each ``(absolute path, finding)``."""
    verdicts = []
    everything = [m.computation for m in computations.values()]
    for path, finding in findings:
        about = related(path, finding.location.row, everything)
        ids = [c.id for c in about]
        judge_rule = JUDGES.get(finding.code)
        if judge_rule is None:
            verdicts.append(Verdict(finding, path, None, "not judged by the trace", {}, ids))
            continue
        if not about:
            verdicts.append(
                Verdict(
                    finding, path, NOT_EXERCISED, "no computation started from here ran", {}, ids
                )
            )
            continue
        verdict, text, numbers = judge_rule([computations[i] for i in ids])
        verdicts.append(Verdict(finding, path, verdict, text, numbers, ids))
    return verdicts


def unreported(computations: dict[str, Measured], verdicts: list[Verdict]) -> list[Unreported]:
    """What the run shows that no related finding reported."""
    covered: dict[str, set[str]] = {}
    for verdict in verdicts:
        for computation in verdict.computations:
            covered.setdefault(computation, set()).add(verdict.finding.code)
    found = []
    for m in computations.values():
        c, s = m.computation, m.shape
        codes = covered.get(c.id, set())
        site = c.stack[0] if c.stack else (None, None)
        if s.tasks >= MANY_TASKS and s.median_task < TINY_TASK and not codes & set(GRANULARITY):
            top = _top_function(c)
            found.append(
                Unreported(
                    "fine-grained",
                    c.id,
                    top[1] or site[0],
                    top[2] or site[1],
                    f"{s.tasks} tasks with a median of {seconds(s.median_task)} "
                    f"(mostly `{top[0]}`, computed at "
                    f"{os.path.basename(site[0] or '?')}:{site[1]}); no DSK401/DSK402 finding",
                    {"tasks": s.tasks, "median_task": s.median_task, "function": top[0]},
                )
            )
        if m.queued and m.idle_pool and not codes & set(BATCHING):
            found.append(
                Unreported(
                    "batched-serial",
                    c.id,
                    site[0],
                    site[1],
                    f"{m.queued} ready tasks waited behind a sibling in one worker process while "
                    f"{m.idle_pool} pool processes ran none; no DSK101/DSK102 finding",
                    {"queued_behind_sibling": m.queued, "idle_pool_processes": m.idle_pool},
                )
            )
    return found


def _top_function(computation: Computation) -> tuple[str, str | None, int | None]:
    counts: dict[int, int] = {}
    for run in computation.runs:
        task = computation.tasks.get(run.key)
        if task is not None:
            counts[task[0]] = counts.get(task[0], 0) + 1
    if not counts:
        return ("?", None, None)
    function = computation.functions[max(counts, key=lambda i: counts[i])]
    return (function.name, function.filename, function.line)
