"""DSK801 len-triggers-compute."""

from __future__ import annotations

from collections import defaultdict

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleContext
from dasklint.rules._common import source_of
from dasklint.semantic.frames import is_dataframe_like


class LenTriggersCompute(Rule):
    """
    ## What it does
    Checks for `len(ddf)` (or `len(ddf.index)`, `len(ddf[mask])`) on a Dask DataFrame or
    Series inside a loop or comprehension, and for two or more such calls in one function
    (or at module level).

    A single `len(ddf)` is not reported: counting rows once is a reasonable thing to do.
    `len(ddf.columns)` and `len` of pandas objects are not reported either.

    ## Why is this bad?
    `len` of a Dask DataFrame is not lazy: `DataFrame.__len__` builds a row-count graph
    and calls `compute()` right away, reading and processing the data every time. In a
    loop that is one full pass over the data per iteration, and separate `len` calls
    cannot share their work. Build the counts lazily with `.shape[0]` (a lazy scalar)
    and compute them together with one `dask.compute(...)`.

    A call inside a loop is reported as a warning; repeated calls outside loops as
    information.

    ## Example
    ```python
    import dask.dataframe as dd

    ddf = dd.read_csv("data-*.csv")
    for column in ["a", "b", "c"]:
        print(column, len(ddf[ddf[column] > 0]))
    ```

    Use instead:
    ```python
    import dask
    import dask.dataframe as dd

    ddf = dd.read_csv("data-*.csv")
    columns = ["a", "b", "c"]
    counts = dask.compute(*[ddf[ddf[c] > 0].shape[0] for c in columns])
    for column, count in zip(columns, counts):
        print(column, count)
    ```

    ## Fix safety
    No fix is offered: combining the counts into one `dask.compute` changes the
    structure of the code.

    ## References
    - [Dask: Best practices, avoid calling compute repeatedly](https://docs.dask.org/en/stable/best-practices.html#avoid-calling-compute-repeatedly)
    - `dask/dataframe/dask_expr/_collection.py`, `FrameBase.__len__` (dask 2026.8.0)
    - dask/dask#9857 (a proposed warning for `len`), dask/dask#10006
    """

    code = "DSK801"
    name = "len-triggers-compute"
    deliberate_in_tests = True
    summary = "`len()` of a Dask DataFrame computes it, repeatedly here"
    severity = Severity.INFO
    fix_summary = "none"

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._outside_loops: dict[int, list[cst.Call]] = defaultdict(list)

    def visit_Call(self, node: cst.Call) -> None:
        if not (
            isinstance(node.func, cst.Name)
            and node.func.value == "len"
            and self.model.scopes.lookup("len") is None
            and len(node.args) == 1
            and not node.args[0].star
        ):
            return
        target = node.args[0].value
        if not is_dataframe_like(self.model, target):
            return
        if self.model.in_loop():
            self.report(
                node,
                f"`len({source_of(target)})` computes the Dask DataFrame on every iteration",
                severity=Severity.WARNING,
                help="collect lazy `.shape[0]` values and compute them together with "
                "`dask.compute(...)`",
                notes=["`__len__` calls `compute()`"],
            )
            return
        self._outside_loops[id(self.model.function_node())].append(node)

    def finish(self) -> None:
        for calls in self._outside_loops.values():
            if len(calls) < 2:
                continue
            for call in calls:
                target = call.args[0].value
                self.report(
                    call,
                    f"`len({source_of(target)})` computes the Dask DataFrame now",
                    help="compute lazy `.shape[0]` values together with `dask.compute(...)`",
                    notes=[
                        f"this scope calls `len` on Dask DataFrames {len(calls)} times, each a "
                        "separate pass over the data"
                    ],
                )
