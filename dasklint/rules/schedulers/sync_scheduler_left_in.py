"""DSK106 sync-scheduler-left-in."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import spelled
from dasklint.semantic import Scheduler
from dasklint.semantic.names import BindingKind


class SyncSchedulerLeftIn(Rule):
    """
    ## What it does
    Checks for the single-threaded scheduler (`"sync"`, `"synchronous"`,
    `"single-threaded"`, `dask.get`) outside test files and outside the debugging branch of
    an `if` about debugging: the body of `if DEBUG:`, `if args.debug:`,
    `if mode == "debug":` or `if os.getenv("DEBUG"):`, and the `else` of `if not DEBUG:`.

    Not reported inside a function that this module runs as a task (a `@dask.delayed`
    function, or one passed to `dask.delayed`, `map_partitions`, `client.submit`, ...):
    there the outer scheduler already runs tasks in parallel, and computing the inner
    graph synchronously is what avoids nested thread pools (see DSK310).

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

    ## References
    - [Dask: Scheduling, single thread](https://docs.dask.org/en/stable/scheduling.html)
    - [Dask: Debugging](https://docs.dask.org/en/stable/scheduler-overview.html)
    """

    code = "DSK106"
    name = "sync-scheduler-left-in"
    supersedes = frozenset({"DSK105"})
    deliberate_in_tests = True
    summary = "The single-threaded debugging scheduler is left in"
    severity = Severity.INFO
    fix_summary = "none"

    def finish(self) -> None:
        tasks = self._task_functions()
        for spec in self.model.scheduler_specs:
            if spec.scheduler is Scheduler.SYNC and not spec.setting.in_debug_block:
                if any(id(n) in tasks for n in self.model.parents.ancestors(spec.setting.node)):
                    continue  # computing inside a task: sequential on purpose
                self.report(
                    spec.setting.node,
                    f"`{spelled(spec.setting)}` runs every task one after another in this thread",
                    help="remove it or put it behind a debug flag",
                    notes=["it is a debugging scheduler"],
                )

    def _task_functions(self) -> set[int]:
        """The ``def`` and ``lambda`` nodes this module runs as tasks, by ``id``."""
        found: set[int] = set()
        for task in self.model.tasks.task_calls:
            if task.lambda_node is not None:
                found.add(id(task.lambda_node))
            callee = task.callee_expr
            if isinstance(callee, cst.Name):
                binding = self.model.scopes.lookup(callee.value)
                if binding is not None and binding.kind is BindingKind.FUNCTION and binding.node:
                    found.add(id(binding.node))
        for binding in self.model.scopes.module.bindings.values():
            if binding.is_delayed_function and binding.node is not None:
                found.add(id(binding.node))
        return found
