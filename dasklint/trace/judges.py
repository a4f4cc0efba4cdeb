"""Per-rule verdicts: what each traced rule claims, set against the numbers of the
computations related to one of its findings.

A judge returns ``(verdict, summary, numbers)``: **confirmed** when the run shows what
the rule claims, **refuted** when it ran in the way the rule is about and shows the
opposite, **not exercised** when no related computation ran that way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from dasklint.trace.shape import Measured, Shape, per_process, share

CONFIRMED, REFUTED, NOT_EXERCISED = "confirmed", "refuted", "not exercised"
BATCHING = ("DSK101", "DSK102")
GRANULARITY = ("DSK401", "DSK402")
GIL = ("DSK501",)
ORDERING = ("DSK601",)
CHAIN = ("DSK603",)
REPEATED = ("DSK303", "DSK304")
POOLS = ("DSK108",)
ARGUMENTS = ("DSK309",)
TRACED_RULES = (*BATCHING, *GRANULARITY, *GIL, *ORDERING, *CHAIN, *REPEATED, *POOLS, *ARGUMENTS)
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
# Tasks running at once on average from which they ran side by side at all.
SIDE_BY_SIDE = 1.2
# A critical path this many times the time the work needs on all the scheduler's threads
# held the run back (DSK601).
SERIAL_PATH = 1.5
# DSK603's own `min-length` default: a shorter chain is not what it reports.
MIN_CHAIN = 10
# Bytes of one argument value shipped again with further tasks from which DSK309's
# claim (the value is pickled and shipped once per task) is worth its finding.
REPEATED_BYTES = 1 << 20

Judgement = tuple[str, str, dict[str, Any]]


def seconds(value: float) -> str:
    """A duration as people read it: "1.25 s", "3.4 ms", "80 µs"."""
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.001:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1e6:.0f} µs"


def _batching(items: list[Measured]) -> Judgement:
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


def _granularity(items: list[Measured]) -> Judgement:
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


def _gil(items: list[Measured]) -> Judgement:
    threaded = [
        m
        for m in items
        if m.computation.scheduler in ("threads", "distributed") and m.shape.cpu is not None
    ]
    if not threaded:
        ran = sorted({m.computation.scheduler for m in items}) or ["nothing"]
        return NOT_EXERCISED, f"no related computation ran on threads ({', '.join(ran)})", {}
    m = max(threaded, key=lambda m: m.shape.total_work)
    if m.computation.scheduler == "distributed":
        return _gil_on_cluster(m)
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
    if s.threads < 2 or overlap < SIDE_BY_SIDE:
        return NOT_EXERCISED, f"{s.tasks} tasks never ran side by side on threads", numbers
    if concurrency >= PARALLEL_CPU:
        return REFUTED, text.replace("but only", "and"), numbers
    if s.total_work > 0 and cpu / s.total_work < CPU_BOUND:
        return REFUTED, text + ": the tasks mostly waited, not on the GIL", numbers
    return CONFIRMED, text, numbers


def _gil_on_cluster(m: Measured) -> Judgement:
    """DSK501 on a ``distributed`` cluster: the GIL is one per worker process, so the
    evidence is what the threads of one process did side by side (the process where
    tasks overlapped most), and whether tasks ran side by side in separate processes."""
    s = m.shape
    processes = per_process(m.computation.runs)
    busiest = max(processes, key=lambda p: p.overlap)
    whole = share(m.computation.runs)
    cpu = busiest.cpu or 0.0
    concurrency = cpu / busiest.span if busiest.span > 0 else 0.0
    numbers = {
        "tasks": s.tasks,
        "threads": s.threads,
        "worker_processes": len(processes),
        "most_threads_in_one_process": max(p.threads for p in processes),
        "cpu": cpu,
        "wall": busiest.work,
        "span": busiest.span,
        "tasks_running_at_once": busiest.overlap,
        "cpus_busy": concurrency,
        "cpu_per_wall": cpu / busiest.work if busiest.work > 0 else 0.0,
        "machine_cpus": os.cpu_count(),
    }
    if busiest.threads >= 2 and busiest.overlap >= SIDE_BY_SIDE:
        text = (
            f"{busiest.tasks} tasks on {busiest.threads} threads of one worker process: "
            f"{busiest.overlap:.1f} ran at once on average but only {concurrency:.2f} CPUs "
            f"were busy ({seconds(cpu)} of CPU in {seconds(busiest.work)} of task wall time)"
        )
        if concurrency >= PARALLEL_CPU:
            return REFUTED, text.replace("but only", "and"), numbers
        if busiest.work > 0 and cpu / busiest.work < CPU_BOUND:
            return REFUTED, text + ": the tasks mostly waited, not on the GIL", numbers
        return CONFIRMED, text, numbers
    if len(processes) >= 2 and whole.overlap >= SIDE_BY_SIDE:
        whole_cpu = whole.cpu or 0.0
        numbers.update(
            cpu=whole_cpu,
            wall=whole.work,
            span=whole.span,
            tasks_running_at_once=whole.overlap,
            cpus_busy=whole_cpu / whole.span if whole.span > 0 else 0.0,
            cpu_per_wall=whole_cpu / whole.work if whole.work > 0 else 0.0,
        )
        return (
            REFUTED,
            f"{s.tasks} tasks ran side by side ({whole.overlap:.1f} at once on average) in "
            f"{len(processes)} worker processes of a cluster, one at a time in each: no two "
            f"of them shared a GIL ({seconds(whole_cpu)} of CPU in {seconds(whole.work)} of "
            "task wall time)",
            numbers,
        )
    return NOT_EXERCISED, f"{s.tasks} tasks never ran side by side on the cluster", numbers


def byte_size(value: float) -> str:
    """A size as people read it: "40.0 MB", "8.0 kB", "512 B" (decimal units)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if value >= scale:
            return f"{value / scale:.1f} {unit}"
    return f"{value:.0f} B"


def _slots(m: Measured) -> int:
    """Tasks the scheduler could run at once: its pool size, or the threads that ran tasks."""
    return max(m.computation.workers or 0, m.shape.threads, 1)


def _ordering(items: list[Measured]) -> Judgement:
    """DSK601: edges added only for ordering serialise work that could run in parallel."""
    ran = [m for m in items if m.shape.tasks and m.computation.detail]
    if not ran:
        return NOT_EXERCISED, "no related computation ran tasks", {}
    m = max(ran, key=lambda m: m.shape.critical_path)
    s, slots = m.shape, _slots(m)
    parallel = s.total_work / slots
    numbers = {**_graph_numbers(s), "threads": slots, "work_per_thread": parallel}
    text = (
        f"{s.tasks} tasks in a graph {s.depth} deep and {s.width} wide: its critical path "
        f"took {seconds(s.critical_path)} of {seconds(s.total_work)} of work, which "
        f"{slots} threads could do in {seconds(parallel)}"
    )
    if slots < 2:
        text = f"{s.tasks} tasks ran on one thread: no parallel work to lose"
        return NOT_EXERCISED, text, numbers
    if s.depth >= 2 and s.critical_path > SERIAL_PATH * parallel:
        return CONFIRMED, text + ": the dependencies kept threads waiting", numbers
    return REFUTED, text + ": the dependencies did not hold the run back", numbers


def _chain(items: list[Measured]) -> Judgement:
    """DSK603: a fold in a loop makes the graph a chain as long as the data."""
    ran = [m for m in items if m.shape.tasks and m.computation.detail]
    if not ran:
        return NOT_EXERCISED, "no related computation ran tasks", {}
    s = max(ran, key=lambda m: m.shape.depth).shape
    numbers = _graph_numbers(s)
    text = (
        f"{s.tasks} tasks in a graph {s.depth} deep and {s.width} wide: {s.depth} tasks ran "
        f"one after another, the longest chain taking {seconds(s.critical_path)} of "
        f"{seconds(s.total_work)} of work"
    )
    if s.depth >= MIN_CHAIN:
        return CONFIRMED, text, numbers
    return REFUTED, text + f": shorter than the {MIN_CHAIN} steps DSK603 is about", numbers


def _graph_numbers(s: Shape) -> dict[str, float]:
    """A graph's shape as a report's numbers (DSK601 and DSK603 evidence)."""
    return {
        "tasks": s.tasks,
        "depth": s.depth,
        "width": s.width,
        "critical_path": s.critical_path,
        "total_work": s.total_work,
        "span": s.span,
    }


def repeated_work(items: list[Measured]) -> tuple[set[str], int, float]:
    """Keys a computation computed that an earlier one had already computed (a task's
    own key, or a key fused into it): the keys, the task runs that computed them again
    and those runs' seconds."""
    seen: set[str] = set()
    again: set[str] = set()
    runs, work = 0, 0.0
    for m in sorted(items, key=lambda m: m.computation.start):
        mine: set[str] = set()
        for run in m.computation.runs:
            keys = {run.key, *m.computation.fused.get(run.key, ())}
            mine |= keys
            if keys & seen:
                again |= keys & seen
                runs += 1
                work += run.seconds
        seen |= mine
    return again, runs, work


def _repeated(items: list[Measured]) -> Judgement:
    """DSK303/DSK304: computations started one after another compute their shared parts
    again, and cannot run side by side."""
    ran = [m for m in items if m.shape.tasks]
    if len(ran) < 2:
        return (
            NOT_EXERCISED,
            f"{len(ran)} related computation ran tasks: nothing to compute together",
            {"computations": len(ran)},
        )
    keys, runs, work = repeated_work(ran)
    slots = max(_slots(m) for m in ran)
    narrow = sum(1 for m in ran if m.shape.tasks < slots)
    distinct = len(
        {
            key
            for m in ran
            for run in m.computation.runs
            for key in (run.key, *m.computation.fused.get(run.key, ()))
        }
    )
    numbers = {
        "computations": len(ran),
        "task_runs": sum(m.shape.tasks for m in ran),
        "distinct_keys": distinct,
        "keys_computed_again": len(keys),
        "runs_repeated": runs,
        "repeated_work": work,
        "threads": slots,
        "computations_with_fewer_tasks_than_threads": narrow,
    }
    text = (
        f"{len(ran)} computations ran one after another: {numbers['task_runs']} task runs "
        f"computing {distinct} distinct keys"
    )
    if keys:
        return (
            CONFIRMED,
            text + f"; {len(keys)} keys were computed again by a later computation "
            f"(in {runs} task runs, {seconds(work)} of work)",
            numbers,
        )
    if slots >= 2 and narrow == len(ran):
        return (
            CONFIRMED,
            text + f"; each had fewer tasks than the {slots} threads: together they could "
            "have run side by side",
            numbers,
        )
    return (
        REFUTED,
        text + f"; no key was computed twice and {len(ran) - narrow} of them had tasks "
        f"for all {slots} threads",
        numbers,
    )


def _pools(items: list[Measured]) -> Judgement:
    """DSK108: every computation on the processes scheduler starts its own pool."""
    pool = sorted(
        (m for m in items if m.computation.scheduler == "processes" and m.shape.tasks),
        key=lambda m: m.computation.start,
    )
    if len(pool) < 2:
        return (
            NOT_EXERCISED,
            f"{len(pool)} related computation ran on the processes scheduler",
            {"computations": len(pool)},
        )
    seen: set[int] = set()
    fresh = 0
    waits = []
    for m in pool:
        c = m.computation
        pids = {run.pid for run in c.runs if run.pid is not None}
        fresh += bool(pids) and not pids & seen
        seen |= pids
        waits.append(min(run.start for run in c.runs) - c.start)
    waits.sort()
    numbers = {
        "computations": len(pool),
        "pools_started": fresh,
        "worker_processes": len(seen),
        "pool_processes": pool[0].computation.workers,
        "median_wait_for_first_task": waits[len(waits) // 2],
    }
    text = (
        f"{len(pool)} computations on the processes scheduler ran their tasks in {len(seen)} "
        f"worker processes; the first task of each waited {seconds(waits[len(waits) // 2])} "
        "(median)"
    )
    if fresh == len(pool):
        return CONFIRMED, text + ": each started a pool of its own", numbers
    return (
        REFUTED,
        text + f": {len(pool) - fresh} reused the worker processes of an earlier one",
        numbers,
    )


def _arguments(items: list[Measured]) -> Judgement:
    """DSK309: a value passed to every delayed call is shipped with every task."""
    ran = [m for m in items if m.shape.tasks and m.computation.argument_bytes is not None]
    if not ran:
        return NOT_EXERCISED, "no related computation ran tasks", {}

    def repeated(m: Measured) -> int:
        size, tasks, _ = (m.computation.arguments or [(0, 0, "")])[0]
        return size * max(0, tasks - 1)

    m = max(ran, key=repeated)
    c = m.computation
    size, tasks, kind = (c.arguments or [(0, 0, "")])[0]
    numbers = {
        "scheduler": c.scheduler,
        "tasks": m.shape.tasks,
        "argument_bytes": c.argument_bytes,
        "largest_value": size,
        "value_type": kind or None,
        "tasks_carrying_it": tasks,
        "bytes_repeated": repeated(m),
    }
    if repeated(m) < REPEATED_BYTES:
        return (
            REFUTED,
            f"the tasks' arguments held no value shipped again worth {byte_size(REPEATED_BYTES)}"
            f" ({byte_size(c.argument_bytes or 0)} of arguments over {m.shape.tasks} tasks)",
            numbers,
        )
    text = f"a `{kind}` value of {byte_size(size)} was an argument of {tasks} tasks"
    if c.scheduler not in ("processes", "distributed"):
        return (
            REFUTED,
            text + f": on {c.scheduler} in the program's own process each task got it by "
            "reference, nothing was shipped",
            numbers,
        )
    return (
        CONFIRMED,
        text + f": pickled and shipped with each task to the {c.scheduler} workers "
        f"({byte_size(size * tasks)} in all)",
        numbers,
    )


JUDGES: dict[str, Callable[[list[Measured]], Judgement]] = {
    **dict.fromkeys(BATCHING, _batching),
    **dict.fromkeys(GRANULARITY, _granularity),
    **dict.fromkeys(GIL, _gil),
    **dict.fromkeys(ORDERING, _ordering),
    **dict.fromkeys(CHAIN, _chain),
    **dict.fromkeys(REPEATED, _repeated),
    **dict.fromkeys(POOLS, _pools),
    **dict.fromkeys(ARGUMENTS, _arguments),
}
