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
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dasklint.diagnostics import Diagnostic
from dasklint.trace.judges import (
    BATCHING,
    GRANULARITY,
    JUDGES,
    MANY_TASKS,
    NOT_EXERCISED,
    TINY_TASK,
    seconds,
)
from dasklint.trace.records import Computation, creation_sites
from dasklint.trace.shape import Measured


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
    filename: str | None  # where: the line that created most of the tasks, when known
    line: int | None
    summary: str
    numbers: dict[str, Any]
    # The lines that created the computation's tasks: ``{"file", "line", "tasks"}``.
    created: list[dict[str, Any]] = field(default_factory=list)


@cache
def _tree(path: str) -> ast.Module | None:
    try:
        return ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return None


@cache
def _function_spans(path: str) -> tuple[tuple[int, int], ...]:
    """``(first, last)`` lines of every function of a file, by first line."""
    tree = _tree(path)
    if tree is None:
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


def _is_compute(statement: ast.stmt) -> bool:
    """``name = <lazy>.compute()``: the statements a DSK304 finding is about."""
    return (
        isinstance(statement, ast.Assign)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Attribute)
        and statement.value.func.attr == "compute"
    )


@cache
def consecutive_computes(path: str, row: int) -> tuple[int, ...]:
    """The first lines of the ``.compute()`` statement starting on ``row`` and of the
    ones that follow it in the same block (a DSK304 finding names the first)."""
    tree = _tree(path)
    for node in ast.walk(tree) if tree is not None else ():
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if not isinstance(block, list):
                continue
            for i, statement in enumerate(block):
                if isinstance(statement, ast.stmt) and statement.lineno == row:
                    rows = [row]
                    for after in block[i + 1 :]:
                        if not _is_compute(after):
                            break
                        rows.append(after.lineno)
                    return tuple(rows)
    return (row,)


def related(
    path: str, rows: Sequence[int], computations: Iterable[Computation]
) -> list[Computation]:
    """The computations a finding on ``rows`` (its line, or the lines of the statements it
    is about) is related to."""
    row = rows[0]
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
    here = [c for line, c in frames if line in rows]
    if not here:
        after = [line for line, _ in frames if line > row]
        here = [c for line, c in frames if after and line == min(after)]
    return [*here, *(c for c in found if c not in here)]


def judge(
    findings: Iterable[tuple[str, Diagnostic]], computations: dict[str, Measured]
) -> list[Verdict]:
    """A verdict for each ``(absolute path, finding)``."""
    verdicts = []
    everything = [m.computation for m in computations.values()]
    for path, finding in findings:
        rows: tuple[int, ...] = (finding.location.row,)
        if finding.code == "DSK304":
            rows = consecutive_computes(path, finding.location.row)
        about = related(path, rows, everything)
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
            made = creation_sites(c)
            where = (made[0][0], made[0][1]) if made else (top[1] or site[0], top[2] or site[1])
            origin = f"created at {_short(made[0][0], made[0][1])}, " if made else ""
            found.append(
                Unreported(
                    "fine-grained",
                    c.id,
                    where[0],
                    where[1],
                    f"{s.tasks} tasks with a median of {seconds(s.median_task)} "
                    f"(mostly `{top[0]}`, {origin}computed at {_short(site[0], site[1])}); "
                    "no DSK401/DSK402 finding",
                    {"tasks": s.tasks, "median_task": s.median_task, "function": top[0]},
                    [{"file": f, "line": line, "tasks": n} for f, line, n in made],
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


def _short(filename: str | None, line: int | None) -> str:
    return f"{os.path.basename(filename or '?')}:{line}"


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
