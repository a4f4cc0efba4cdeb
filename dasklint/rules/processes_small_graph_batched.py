"""DSK102 processes-small-graph-batched."""

from __future__ import annotations

import math

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import CHECK_TESTS
from dasklint.semantic import Scheduler, SchedulerSource

# dask/multiprocessing.py: ``chunksize = chunksize or config.get("chunksize", 6)``.
DEFAULT_CHUNKSIZE = 6
# When ``num_workers`` is not written, assume the smallest pool that can run in parallel.
ASSUMED_WORKERS = 2


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
    No fix is offered yet. The planned fix inserts `chunksize=1`, which is safe: results are
    identical, only the batching changes (more inter-process traffic for thousands of tiny
    tasks).

    ## Options
    - `check-tests` (bool, default `false`): also report in test files.

    ## References
    - [Dask: Scheduling](https://docs.dask.org/en/stable/scheduling.html)
    - dask/dask#10292 (maintainer explanation of the batching), dask/dask#11253
    """

    code = "DSK102"
    name = "processes-small-graph-batched"
    summary = "A small graph on the processes scheduler is batched into too few processes"
    severity = Severity.WARNING
    planned_fix = "safe: insert `chunksize=1`"
    options = (CHECK_TESTS,)

    def finish(self) -> None:
        if self.context.is_test_file and not self.option("check-tests"):
            return
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
            tasks = site.task_count
            if tasks is None or tasks < 2:
                continue
            workers = site.num_workers or ASSUMED_WORKERS
            used = math.ceil(tasks / DEFAULT_CHUNKSIZE)
            if used >= min(tasks, workers):
                continue
            plural = "process" if used == 1 else "processes"
            self.report(
                site.call,
                f"These {tasks} tasks are sent to the process pool in batches of "
                f"{DEFAULT_CHUNKSIZE}, so they run serially in {used} worker {plural} "
                f"(dask/dask#10292); pass `chunksize=1` to run them in parallel",
            )
