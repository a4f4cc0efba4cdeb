"""A computation's measured shape: its graph's depth and width, the critical path against
the total work, and how its tasks were spread over processes and threads."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dasklint.trace.records import Computation, Run


@dataclass(frozen=True)
class Shape:
    tasks: int  # task runs recorded
    depth: int  # tasks on the longest chain of dependencies
    width: int  # most tasks on one level (tasks whose longest chain below them is equal)
    levels: list[int]  # tasks per level, from the leaves up
    total_work: float  # seconds of task execution, summed
    critical_path: float  # seconds of the longest chain, weighted by measured durations
    span: float  # seconds from the computation's start to its end
    median_task: float
    processes: int
    threads: int
    tasks_per_process: dict[int, int]
    cpu: float | None  # CPU seconds of all tasks, when measured

    @property
    def slots(self) -> int:
        return max(1, self.threads)

    @property
    def overhead_per_task(self) -> float:
        """Seconds per task the run spent beyond the work its threads could have done in
        parallel: ``(span - total work / threads used) / tasks``."""
        if not self.tasks:
            return 0.0
        return max(0.0, self.span - self.total_work / self.slots) / self.tasks

    @property
    def overhead_share(self) -> float:
        """The share of the threads' time (span x threads used) not spent running tasks."""
        capacity = self.span * self.slots
        return max(0.0, 1.0 - self.total_work / capacity) if capacity > 0 else 0.0


def levels(computation: Computation) -> dict[str, int]:
    """Each task's level: 1 for a task with no dependency in the graph, else one more
    than its highest dependency. Iterative (graphs can be deep)."""
    tasks = computation.tasks
    level: dict[str, int] = {}
    for root in tasks:
        stack = [root]
        while stack:
            key = stack[-1]
            if key in level:
                stack.pop()
                continue
            pending = [d for d in tasks[key][2] if d in tasks and d not in level]
            if pending:
                stack.extend(pending)
                continue
            level[key] = 1 + max((level[d] for d in tasks[key][2] if d in level), default=0)
            stack.pop()
    return level


def critical_path(
    computation: Computation, durations: dict[str, float], level: dict[str, int] | None = None
) -> float:
    """Seconds of the longest chain of dependencies, weighted by measured durations
    (``level``: the tasks' :func:`levels`, when already known)."""
    tasks = computation.tasks
    finish: dict[str, float] = {}
    level = levels(computation) if level is None else level
    for key in sorted(level.items(), key=lambda item: item[1]):
        name = key[0]
        before = max((finish[d] for d in tasks[name][2] if d in finish), default=0.0)
        finish[name] = before + durations.get(name, 0.0)
    return max(finish.values(), default=0.0)


def measure(computation: Computation) -> Shape:
    runs = computation.runs
    durations: dict[str, float] = {}
    for run in runs:
        durations[run.key] = durations.get(run.key, 0.0) + run.seconds
    level = levels(computation) if computation.detail else {}
    per_level = Counter(level.values())
    start = min([computation.start, *(r.start for r in runs)])
    end = max([computation.end or start, *(r.end for r in runs)])
    cpus = [r.cpu for r in runs if r.cpu is not None]
    return Shape(
        tasks=len(runs),
        depth=max(per_level, default=0),
        width=max(per_level.values(), default=0),
        levels=[per_level[n] for n in range(1, max(per_level, default=0) + 1)],
        total_work=sum(r.seconds for r in runs),
        critical_path=critical_path(computation, durations, level) if computation.detail else 0.0,
        span=end - start,
        median_task=statistics.median(r.seconds for r in runs) if runs else 0.0,
        processes=len({r.pid for r in runs}),
        threads=len({(r.pid, r.thread) for r in runs}),
        tasks_per_process=dict(Counter(r.pid for r in runs if r.pid is not None)),
        cpu=sum(cpus) if runs and len(cpus) == len(runs) else None,
    )


@dataclass(frozen=True)
class ProcessShare:
    """The task runs of one process of a computation: what its threads did side by side
    (the GIL is one per process)."""

    pid: int | None
    tasks: int
    threads: int
    work: float  # seconds of task execution, summed
    span: float  # seconds from its first task's start to its last task's end
    cpu: float | None  # CPU seconds of its tasks, when measured for all of them

    @property
    def overlap(self) -> float:
        """Tasks running at once on average."""
        return self.work / self.span if self.span > 0 else 0.0


def share(runs: list[Run], pid: int | None = None) -> ProcessShare:
    """What ``runs`` (of one process, or all of a computation's) did side by side."""
    cpus = [r.cpu for r in runs if r.cpu is not None]
    return ProcessShare(
        pid=pid,
        tasks=len(runs),
        threads=len({(r.pid, r.thread) for r in runs}),
        work=sum(r.seconds for r in runs),
        span=max(r.end for r in runs) - min(r.start for r in runs) if runs else 0.0,
        cpu=sum(cpus) if runs and len(cpus) == len(runs) else None,
    )


def per_process(runs: list[Run]) -> list[ProcessShare]:
    """The runs' shares, one per process that ran some of them."""
    groups: dict[int | None, list[Run]] = {}
    for run in runs:
        groups.setdefault(run.pid, []).append(run)
    return [share(group, pid) for pid, group in groups.items()]


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
