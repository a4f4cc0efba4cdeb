"""DSK102 processes-small-graph-batched."""

from __future__ import annotations

import math

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, safe
from dasklint.rule import Rule
from dasklint.rules._edits import add_keyword, has_double_star
from dasklint.rules._process_move import pool_refusal, site_tasks, state_refusal
from dasklint.semantic import ComputeSite, Scheduler, SchedulerSource

# dask/multiprocessing.py: ``chunksize = chunksize or config.get("chunksize", 6)``.
DEFAULT_CHUNKSIZE = 6
# When ``num_workers`` is not written, assume the smallest pool that can run in parallel.
ASSUMED_WORKERS = 2
LONG_TASKS_ONLY = "pass `chunksize=1` if each task runs longer than a worker process takes to start"


class ProcessesSmallGraphBatched(Rule):
    """
    ## What it does
    Checks for a computation on the local processes scheduler, without `chunksize=`, whose
    number of tasks is known from the source (a comprehension over `range(k)` or a literal
    list, a list of delayed calls, separate delayed arguments) and small enough that the
    default batching leaves worker processes idle.

    ## Why is this bad?
    The processes scheduler hands ready tasks to its pool in batches of 6
    (`dask/multiprocessing.py`), and a batch runs serially inside one worker process
    (`dask/local.py`, `fire_tasks`). `k` independent tasks therefore use only `ceil(k / 6)`
    processes: four tasks run one after another in one process however many workers exist
    (dask/dask#10292; `fixtures/examples/four_tasks_processes.py` shows it with real Dask).
    The rule fires when `ceil(k / 6)` is smaller than `min(k, num_workers)`; when
    `num_workers` is not written it assumes 2.

    ## Example
    ```python
    import dask

    tasks = [dask.delayed(pow)(i, 2) for i in range(4)]
    dask.compute(*tasks, scheduler="processes")
    ```

    Use instead:
    ```python
    import dask

    tasks = [dask.delayed(pow)(i, 2) for i in range(4)]
    dask.compute(*tasks, scheduler="processes", chunksize=1)
    ```

    ## Fix safety
    The fix inserts `chunksize=1` into the call. It is safe: `chunksize` only decides how
    many ready tasks travel to a worker process together, so every task still runs once, in
    a worker process, with the same inputs, and the results are identical; the tasks now
    reach several processes instead of one. The cost is one round trip per task, which
    matters only for thousands of tiny tasks (and then the rule does not fire), and more
    worker processes to start: the pool (`concurrent.futures`, spawn) starts a process
    for each batch it is handed while none is idle, so one batch started one process and
    four tasks now start four at once, each importing the program and Dask before its
    task runs. The time saved is the tasks that no longer wait for each other, less that
    start-up, so short tasks gain less (see the measured row below). No fix is offered
    when the call also passes `**kwargs`, which might already hold a `chunksize`, or when
    the program sizes the pool above two worker processes (`num_workers=4`) and not every
    task is known to be long (sleep, I/O, a subprocess): starting four processes on two
    cores for four tasks of about 0.1 s made a program 0.83x as fast.

    For such a graph computed once in a script, `chunksize=1` is the whole safe fix: DSK101
    then offers no LocalCluster codemod, whose start-up (about a second) would cost more
    than the parallel tasks save; when the tasks only wait outside the GIL (`time.sleep`,
    I/O), DSK101's unsafe fix moves them to the threaded scheduler instead, which needs no
    worker processes at all. The benchmark row below is the classic four tasks
    (`benchmarks/impact/four_tasks_processes.py`), before and after
    `dasklint check --fix --unsafe-fixes`.

    ## References
    - [Dask: Scheduling](https://docs.dask.org/en/stable/scheduling.html)
    - dask/dask#10292 (maintainer explanation of the batching), dask/dask#11253
    """

    code = "DSK102"
    name = "processes-small-graph-batched"
    deliberate_in_tests = True
    summary = "A small graph on the processes scheduler is batched into too few processes"
    severity = Severity.WARNING
    fix_summary = "safe: insert `chunksize=1`"
    fix_availability = FixAvailability.SOMETIMES

    def finish(self) -> None:
        for site in self.model.compute_sites:
            effective = site.effective
            if effective.scheduler is not Scheduler.PROCESSES or effective.source not in (
                SchedulerSource.EXPLICIT,
                SchedulerSource.WITH_CONFIG,
                SchedulerSource.CONFIG,
            ):
                continue
            if site.chunksize is not None or site.config_chunksize is not None:
                continue
            if not batching_starves(site):
                continue
            tasks = site.task_count
            assert tasks is not None
            used = math.ceil(tasks / DEFAULT_CHUNKSIZE)
            plural = "process" if used == 1 else "processes"
            # `chunksize=1` spreads the tasks over more worker processes: not for tasks
            # whose results depend on the process they run in (its random state, say).
            found = site_tasks(self.model, [site])
            crowded = pool_refusal(self.model, [site], found)
            refusal = state_refusal(self.model, found) or crowded
            self.report(
                site.call,
                f"These {tasks} tasks run serially in {used} worker {plural}",
                fix=None if refusal else chunksize_one(site.call),
                help="pass `chunksize=1` to run them in parallel"
                if crowded is None
                else LONG_TASKS_ONLY,
                notes=[
                    f"they are sent to the process pool in batches of {DEFAULT_CHUNKSIZE} "
                    "(dask/dask#10292)",
                    f"no fix is offered: {refusal}" if refusal else "",
                ],
            )


def batching_starves(site: ComputeSite) -> bool:
    """The site's number of tasks is known, and batches of the default chunksize would
    run them in fewer worker processes than could run them at once (a known-small graph;
    DSK101 also asks this, whatever ``chunksize`` is written)."""
    tasks = site.task_count
    if tasks is None or tasks < 2:
        return False
    workers = site.num_workers or ASSUMED_WORKERS
    return math.ceil(tasks / DEFAULT_CHUNKSIZE) < min(tasks, workers)


def chunksize_one(call: cst.Call) -> Fix | None:
    """Add `chunksize=1` to a compute call (DSK101's safe fix too)."""
    if has_double_star(call):
        return None
    return safe("Add `chunksize=1`", call, add_keyword(call, "chunksize", cst.Integer("1")))
