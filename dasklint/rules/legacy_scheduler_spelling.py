"""DSK105 legacy-scheduler-spelling."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import source_of, spelled

LEGACY_STRINGS = {
    "threading": "threads",
    "multiprocessing": "processes",
    "synchronous": "sync",
    "single-threaded": "sync",
}


class LegacySchedulerSpelling(Rule):
    """
    ## What it does
    Checks for schedulers named by an alias (`"threading"`, `"multiprocessing"`,
    `"synchronous"`, `"single-threaded"`) or by their low-level `get` function
    (`dask.threaded.get`, `dask.multiprocessing.get`, `dask.get`, `dask.local.get_sync`).

    ## Why is this bad?
    They all still work (`dask/base.py` maps them to the same schedulers), but the documented
    interface is the short string names `"threads"`, `"processes"` and `"sync"`. Mixed
    spellings make it harder to see, and to search for, which scheduler a program uses.

    ## Example
    ```python
    import dask

    total = dask.delayed(sum)([1, 2])
    total.compute(scheduler="threading")
    ```

    Use instead:
    ```python
    import dask

    total = dask.delayed(sum)([1, 2])
    total.compute(scheduler="threads")
    ```

    ## Fix safety
    No fix is offered yet. The planned fix rewrites the value to the documented string; it
    is safe because `get_scheduler` resolves both spellings to the same function.

    ## References
    - [Dask: Scheduling, configuration](https://docs.dask.org/en/stable/scheduling.html)
    - [Dask: Scheduler overview](https://docs.dask.org/en/stable/scheduler-overview.html)
    """

    code = "DSK105"
    name = "legacy-scheduler-spelling"
    summary = "Scheduler named by a legacy alias or `get` function"
    severity = Severity.INFO
    planned_fix = 'safe: write `"threads"`, `"processes"` or `"sync"`'

    def finish(self) -> None:
        for spec in self.model.scheduler_specs:
            preferred = None
            if spec.get_function is not None and spec.scheduler is not None:
                preferred = spec.scheduler.value
            elif spec.literal is not None:
                preferred = LEGACY_STRINGS.get(spec.literal.lower())
            if preferred is None:
                continue
            written = source_of(spec.setting.node)
            self.report(
                spec.setting.node,
                f"`{spelled(spec.setting)}` is a legacy spelling; write "
                f'`scheduler="{preferred}"`'
                + ("" if written.startswith(("'", '"')) else " instead of the `get` function"),
            )
