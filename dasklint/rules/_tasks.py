"""Phrases shared by the task rules: schedulers of task calls and per-task overheads.

Per-task overheads are the numbers of the rules catalog (section 2.3): the documented
figures with their source page, and what 2 000 no-op delayed tasks cost here (graph
construction included).
"""

from __future__ import annotations

from dataclasses import dataclass

from dasklint.semantic import Scheduler, SchedulerSource, SemanticModel
from dasklint.semantic.task_call import TaskApi, TaskCall

# (seconds per task used for estimates, how the figure is cited)
OVERHEAD: dict[Scheduler | None, tuple[float, str]] = {
    Scheduler.THREADS: (
        0.25e-3,
        "about 0.25 ms per task on the threaded scheduler (measured; the Dask docs say "
        '"around 50us per task", scheduling.rst)',
    ),
    Scheduler.SYNC: (0.24e-3, "about 0.24 ms per task on the synchronous scheduler (measured)"),
    Scheduler.PROCESSES: (
        0.5e-3,
        "about 0.5 ms per task on the processes scheduler (measured, plus the pool start-up)",
    ),
    Scheduler.DISTRIBUTED: (
        1e-3,
        'about 1 ms per task on the distributed scheduler ("about 1ms of overhead", futures.rst)',
    ),
    None: (
        0.2e-3,
        '200 us to 1 ms per task ("between 200us and 1ms", best-practices.rst)',
    ),
}

_DEFAULT_NAMES = {
    Scheduler.THREADS: "threaded",
    Scheduler.PROCESSES: "processes",
    Scheduler.SYNC: "synchronous",
    Scheduler.DISTRIBUTED: "distributed",
}


@dataclass(frozen=True, slots=True)
class TaskScheduler:
    """Where a task call's tasks run, as far as the module shows."""

    scheduler: Scheduler | None
    visible: bool  # a compute site of these tasks (or a client) is in this module
    how: str  # "the default threaded scheduler of Delayed", ...


def task_scheduler(model: SemanticModel, task: TaskCall) -> TaskScheduler:
    """The scheduler of the compute sites that run ``task``'s tasks."""
    if task.api in (TaskApi.SUBMIT, TaskApi.CLIENT_MAP):
        return TaskScheduler(Scheduler.DISTRIBUTED, True, "a distributed Client")
    sites = model.tasks.sites_for(task)
    if sites:
        for site in sites:
            effective = site.effective
            if effective.source is SchedulerSource.COLLECTION_DEFAULT and model.cluster_runs_before(
                site
            ):
                continue  # a Client (or cluster) exists when the site runs
            if effective.scheduler is Scheduler.THREADS:
                if effective.source is SchedulerSource.COLLECTION_DEFAULT:
                    how = "the threaded scheduler (the default when no Client exists)"
                else:
                    how = "the threaded scheduler chosen for it"
                return TaskScheduler(Scheduler.THREADS, True, how)
        known = [s.effective.scheduler for s in sites if s.effective.scheduler is not None]
        if known:
            return TaskScheduler(known[0], True, f"the {_DEFAULT_NAMES[known[0]]} scheduler")
        return TaskScheduler(None, True, "a scheduler that cannot be determined")
    if (
        model.client_calls
        or model.cluster_calls
        or any(spec.scheduler is not Scheduler.THREADS for spec in model.scheduler_specs)
    ):
        return TaskScheduler(None, True, "a scheduler chosen elsewhere in this module")
    return TaskScheduler(None, False, "no compute site in this module")


def overhead_seconds(count: int, scheduler: Scheduler | None) -> float:
    """Scheduling overhead of ``count`` tasks, at the per-task figure of the table."""
    return count * OVERHEAD.get(scheduler, OVERHEAD[None])[0]


def overhead_phrase(
    count: int | None, scheduler: Scheduler | None, each: str = "item", *, bounded: bool = False
) -> str:
    seconds, cited = OVERHEAD.get(scheduler, OVERHEAD[None])
    if count is None:
        return f"one task per {each} (how many is not known statically), {cited}"
    total = count * seconds
    shown = f"{total:.1f} s" if total >= 0.1 else f"{total * 1000:.0f} ms"
    tasks = (
        f"{count:,} tasks with the parameter value written in this module (a default or "
        "the module's own call; other callers may pass another)"
        if bounded
        else f"{count:,} tasks"
    )
    return f"{tasks}, roughly {shown} of overhead at {cited}"


__all__ = ["OVERHEAD", "TaskScheduler", "overhead_phrase", "overhead_seconds", "task_scheduler"]
