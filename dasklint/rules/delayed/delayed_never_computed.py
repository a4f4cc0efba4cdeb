"""DSK302 delayed-never-computed."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleContext
from dasklint.rules._common import source_of
from dasklint.semantic.task_call import TaskApi


class DelayedNeverComputed(Rule):
    """
    ## What it does
    Checks for statements that create a Delayed object and throw it away:
    `dask.delayed(save)(df, path)` or a call of a `@dask.delayed` function written as a
    statement of its own.

    Delayed objects that are assigned to a name and never used are not reported.

    ## Why is this bad?
    A Delayed object only describes work; nothing runs until it (or something that depends
    on it) is computed. A statement that drops it does nothing at all, which is easy to
    miss when the function is called for its side effects (writing a file, sending a
    request).

    ## Example
    ```python
    import dask

    @dask.delayed
    def save(data, path):
        with open(path, "w") as f:
            f.write(str(data))

    for i in range(3):
        save(i, f"out-{i}.txt")
    ```

    Use instead:
    ```python
    import dask

    @dask.delayed
    def save(data, path):
        with open(path, "w") as f:
            f.write(str(data))

    writes = [save(i, f"out-{i}.txt") for i in range(3)]
    dask.compute(*writes)
    ```

    ## Fix safety
    No fix is offered: where to compute (and whether the call should run at all) is for
    the author to decide.

    ## References
    - [Dask: Delayed best practices, don't rely on side effects](https://docs.dask.org/en/stable/delayed-best-practices.html#don-t-rely-on-side-effects)
    """

    code = "DSK302"
    name = "delayed-never-computed"
    deliberate_in_tests = True
    summary = "Delayed object created and discarded: the task never runs"
    severity = Severity.ERROR
    fix_summary = "none"

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._discarded: set[int] = set()  # ids of expressions used as whole statements

    def visit_Expr(self, node: cst.Expr) -> None:
        self._discarded.add(id(node.value))

    def finish(self) -> None:
        for task in self.model.tasks.task_calls:
            if task.api is not TaskApi.DELAYED or id(task.call) not in self._discarded:
                continue
            self.report(
                task.call,
                f"The Delayed object of `{source_of(task.callee_expr)}` is discarded",
                help="keep it and pass it to `dask.compute` (or call `.compute()`)",
                notes=["this task never runs"],
            )
