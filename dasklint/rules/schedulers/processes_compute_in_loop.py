"""DSK108 processes-compute-in-loop."""

from __future__ import annotations

from dasklint.diagnostics import Confidence, Severity
from dasklint.rule import Rule
from dasklint.semantic import Scheduler, SchedulerSource
from dasklint.semantic.scheduler import Receiver


class ProcessesComputeInLoop(Rule):
    """
    ## What it does
    Checks for computations on the processes scheduler (chosen with `scheduler=` or
    `dask.config.set`, or a `dask.bag` on its default scheduler when no `Client` exists)
    inside a `for`/`while` loop or a comprehension. A loop over scheduler names
    (`for s in ["threads", "processes"]`) runs the processes scheduler once and is not
    reported.

    ## Why is this bad?
    Unless a `pool` is configured, every call of the processes scheduler creates a new
    `ProcessPoolExecutor`, starts its worker processes (with the `spawn` start method) and
    shuts them down when the call returns (`dask/multiprocessing.py`, `get`). In a loop that
    start-up cost is paid once per iteration, and the iterations cannot overlap.

    ## Example
    ```python
    import dask

    totals = []
    for part in [[1, 2], [3, 4]]:
        totals.append(dask.delayed(sum)(part).compute(scheduler="processes"))
    ```

    Use instead:
    ```python
    import dask

    parts = [dask.delayed(sum)(part) for part in [[1, 2], [3, 4]]]
    totals = dask.compute(*parts, scheduler="processes", chunksize=1)
    ```

    A computation whose receiver's type the source does not show, governed by a
    `dask.config.set(scheduler="processes")` rather than its own `scheduler=`, is
    reported at `medium` confidence.

    ## Fix safety
    No fix is offered: collecting the computations changes the shape of the loop.

    ## References
    - [Dask: Best practices, avoid calling compute repeatedly](https://docs.dask.org/en/stable/best-practices.html)
    - monocongo/climate_indices#927 (about 1 s per call on macOS)
    """

    code = "DSK108"
    name = "processes-compute-in-loop"
    deliberate_in_tests = True
    summary = "Processes-scheduler computation inside a loop starts a new process pool each time"
    severity = Severity.WARNING
    fix_summary = "none"
    # The same call: the pool started per iteration is the larger cost, for a bag on its
    # default scheduler (DSK101) and for any computation in a loop (DSK303).
    supersedes = frozenset({"DSK101", "DSK303"})

    def finish(self) -> None:
        for site in self.model.compute_sites:
            effective = site.effective
            if not site.in_loop or effective.scheduler is not Scheduler.PROCESSES:
                continue
            if effective.spec is not None and effective.spec.setting.indirect:
                continue  # a loop over scheduler names runs the processes scheduler once
            chosen = "this computation"
            if effective.source is SchedulerSource.COLLECTION_DEFAULT:
                if self.model.cluster_runs_before(site):
                    continue
                chosen = "this bag (bags default to the processes scheduler)"
            # ``scheduler="processes"`` on the call says it is Dask's; a setting elsewhere
            # reaches a receiver of unknown type only if it is a Dask collection.
            sure = site.receiver is Receiver.PROVEN or site.scheduler is not None
            self.report(
                site.call,
                "Each loop iteration starts a new pool of worker processes",
                confidence=Confidence.HIGH if sure else Confidence.MEDIUM,
                help="compute all results in one call, or use `distributed.LocalCluster`",
                notes=[f"the pool for {chosen} is started and shut down on every iteration"],
            )
