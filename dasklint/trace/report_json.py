"""The trace report as JSON: the program's run, each computation with its shape and task
runs, the findings with their verdicts, and what the run showed that no finding reported.

Times are seconds from the program's start. The HTML report and ``--compare`` are
rendered from this document, so it holds everything they show.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Any

from dasklint import __version__
from dasklint.trace.evidence import Unreported, Verdict
from dasklint.trace.records import Recorded, creation_sites
from dasklint.trace.runner import Finished
from dasklint.trace.shape import Measured

FORMAT_VERSION = 1
# Task runs kept per report; a larger run keeps its numbers but only this many marks.
MAX_RUNS = 100_000


def _computation(m: Measured, origin: float, budget: int) -> dict[str, Any]:
    c, s = m.computation, m.shape
    counts: dict[int, int] = {}
    runs = []
    for run in c.runs[:budget]:
        function, group, _ = c.tasks.get(run.key, (-1, run.key, []))
        counts[function] = counts.get(function, 0) + 1
        runs.append(
            [
                run.key,
                function,
                group,
                run.pid,
                run.thread,
                round(run.start - origin, 6),
                round(run.end - origin, 6),
                None if run.cpu is None else round(run.cpu, 6),
            ]
        )
    shape = asdict(s)
    shape["tasks_per_process"] = {str(k): v for k, v in s.tasks_per_process.items()}
    shape.update(
        overhead_per_task=s.overhead_per_task,
        overhead_share=s.overhead_share,
        queued_behind_sibling=m.queued,
        idle_pool_processes=m.idle_pool,
    )
    return {
        "id": c.id,
        "scheduler": c.scheduler,
        "pid": c.pid,
        "workers": c.workers,
        "chunksize": c.chunksize,
        "graph_size": c.graph_size,
        "argument_bytes": c.argument_bytes,
        "arguments": [
            {"bytes": size, "tasks": tasks, "type": kind} for size, tasks, kind in c.arguments
        ],
        "failed": c.failed,
        "start": round(c.start - origin, 6),
        "end": None if c.end is None else round(c.end - origin, 6),
        "stack": [{"file": f, "line": line} for f, line in c.stack],
        "created": [
            {"file": f, "line": line, "tasks": tasks} for f, line, tasks in creation_sites(c)
        ],
        "shape": shape,
        "functions": [
            {"name": f.name, "file": f.filename, "line": f.line, "runs": counts.get(i, 0)}
            for i, f in enumerate(c.functions)
        ],
        "runs": runs,
        "runs_dropped": max(0, len(c.runs) - budget),
    }


def _verdict(v: Verdict) -> dict[str, Any]:
    f = v.finding
    return {
        "code": f.code,
        "name": f.name,
        "message": f.message,
        "file": v.path,
        "filename": f.filename,
        "line": f.location.row,
        "column": f.location.column,
        "verdict": v.verdict,
        "summary": v.summary,
        "numbers": v.numbers,
        "computations": v.computations,
    }


def build(
    *,
    argv: list[str],
    cwd: str,
    origin: float,
    finished: Finished,
    root_pid: int,
    recorded: Recorded,
    computations: dict[str, Measured],
    verdicts: list[Verdict],
    unreported: list[Unreported],
    lint_errors: list[str],
) -> dict[str, Any]:
    budget = MAX_RUNS
    rendered = []
    for m in computations.values():
        rendered.append(_computation(m, origin, budget))
        budget = max(0, budget - len(m.computation.runs))
    return {
        "dasklint_trace": FORMAT_VERSION,
        "dasklint_version": __version__,
        "program": {
            "argv": argv,
            "cwd": cwd,
            "pid": root_pid,
            "exit_status": finished.exit_status,
            "signal": finished.signal,
            "seconds": round(finished.seconds, 6),
            "instrumented": root_pid in recorded.processes,
            "traceback": recorded.crashes.get(root_pid),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        },
        "processes": len(recorded.processes),
        "files": sorted(recorded.files),
        "computations": rendered,
        "findings": [_verdict(v) for v in verdicts],
        "unreported": [asdict(u) for u in unreported],
        "lint_errors": lint_errors,
    }
