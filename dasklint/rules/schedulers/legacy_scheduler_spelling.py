"""DSK105 legacy-scheduler-spelling."""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, safe
from dasklint.rule import Rule
from dasklint.rules._common import source_of, spelled
from dasklint.rules._edits import import_of, string_like
from dasklint.semantic import SchedulerSpec

LEGACY_STRINGS = {
    "threading": "threads",
    "multiprocessing": "processes",
    "synchronous": "sync",
}


class LegacySchedulerSpelling(Rule):
    """
    ## What it does
    Checks for schedulers named by an alias (`"threading"`, `"multiprocessing"`,
    `"synchronous"`) or by their low-level `get` function (`dask.threaded.get`,
    `dask.multiprocessing.get`, `dask.get`, `dask.local.get_sync`). `"single-threaded"` is
    not reported: Dask's scheduler overview documents it beside `"threads"` and
    `"processes"`.

    ## Why is this bad?
    They all still work (`dask/base.py` maps them to the same schedulers), but the documented
    interface is the string names `"threads"`, `"processes"` and `"sync"` (or
    `"single-threaded"`). Mixed
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
    The fix writes the documented string in place of the alias or the `get` function, and
    removes the import of the `get` function when nothing else uses it. It is safe:
    `dask.base.get_scheduler` maps `"threads"`/`"threading"` to `dask.threaded.get`,
    `"processes"`/`"multiprocessing"` to `dask.multiprocessing.get` and
    `"sync"`/`"synchronous"`/`"single-threaded"` to `dask.local.get_sync` (which `dask.get`
    is), so the same scheduler function runs either way. A name bound to an alias string is
    left alone (the constant may have other uses), so the fix is not always offered.

    ## References
    - [Dask: Scheduling, configuration](https://docs.dask.org/en/stable/scheduling.html)
    - [Dask: Scheduler overview](https://docs.dask.org/en/stable/scheduler-overview.html)
    """

    code = "DSK105"
    name = "legacy-scheduler-spelling"
    deliberate_in_tests = True
    summary = "Scheduler named by a legacy alias or `get` function"
    severity = Severity.INFO
    fix_summary = 'safe: write `"threads"`, `"processes"` or `"sync"`'
    fix_availability = FixAvailability.SOMETIMES

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
                f"`{spelled(spec.setting)}` is a legacy spelling",
                fix=self._fix(spec, preferred),
                help=f'write `scheduler="{preferred}"`'
                + ("" if written.startswith(("'", '"')) else " instead of the `get` function"),
            )

    def _fix(self, spec: SchedulerSpec, preferred: str) -> Fix | None:
        node = spec.setting.node
        title = f'Write `"{preferred}"`'
        if spec.get_function is None:
            if spec.setting.via_name or not isinstance(node, cst.SimpleString):
                return None
            return safe(title, node, string_like(node, preferred))
        written = get_full_name_for_node(node)
        if written is None:
            return None
        return safe(
            title,
            node,
            cst.SimpleString(f'"{preferred}"'),
            remove_imports=(import_of(written, spec.get_function),),
        )
