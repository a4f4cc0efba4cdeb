"""DSK106 sync-scheduler-left-in."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import CHECK_TESTS, spelled
from dasklint.semantic import Scheduler


class SyncSchedulerLeftIn(Rule):
    """
    ## What it does
    Checks for the single-threaded scheduler (`"sync"`, `"synchronous"`,
    `"single-threaded"`, `dask.get`) outside test files and outside the debugging branch of
    an `if` about debugging: the body of `if DEBUG:`, `if args.debug:`,
    `if mode == "debug":` or `if os.getenv("DEBUG"):`, and the `else` of `if not DEBUG:`.

    ## Why is this bad?
    The synchronous scheduler runs every task one after another in the calling thread. Dask
    documents it as a debugging tool (it works with `pdb` and profilers), not as a way to run
    work: left in production code it removes all parallelism.

    ## Example
    ```python
    import dask

    total = dask.delayed(sum)([1, 2])
    total.compute(scheduler="sync")
    ```

    Use instead:
    ```python
    import dask

    DEBUG = False
    total = dask.delayed(sum)([1, 2])
    if DEBUG:
        total.compute(scheduler="sync")
    else:
        total.compute()
    ```

    ## Fix safety
    No fix is offered: whether sequential execution was intended cannot be seen from the code.

    ## Options
    - `check-tests` (bool, default `false`): also report in test files.

    ## References
    - [Dask: Scheduling, single thread](https://docs.dask.org/en/stable/scheduling.html)
    - [Dask: Debugging](https://docs.dask.org/en/stable/scheduler-overview.html)
    """

    code = "DSK106"
    name = "sync-scheduler-left-in"
    summary = "The single-threaded debugging scheduler is left in"
    severity = Severity.INFO
    planned_fix = "none"
    options = (CHECK_TESTS,)

    def finish(self) -> None:
        if self.context.is_test_file and not self.option("check-tests"):
            return
        for spec in self.model.scheduler_specs:
            if spec.scheduler is Scheduler.SYNC and not spec.setting.in_debug_block:
                self.report(
                    spec.setting.node,
                    f"`{spelled(spec.setting)}` runs every task one after another in this "
                    "thread; it is a debugging scheduler, remove it or put it behind a debug flag",
                )
