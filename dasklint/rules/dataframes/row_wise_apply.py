"""DSK802 row-wise-apply."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.rules._edits import has_double_star, keyword
from dasklint.semantic.frames import is_dataframe_like
from dasklint.semantic.task_call import row_wise

# Methods for which Dask infers ``meta`` by running the function on fake data and says so
# with a UserWarning when ``meta=`` is missing (checked with dask 2026.8.0:
# DataFrame/Series.apply, DataFrame/Series/Index.map, GroupBy.apply/transform).
# ``map_partitions`` infers silently and is not listed.
_META_METHODS = frozenset({"apply", "map", "transform"})
# ``Series.map(arg, na_action=None, meta=None)``: ``meta`` is the third positional
# parameter (``DataFrame.map`` too); ``apply`` takes it by keyword only.
_META_POSITION = {"map": 2}


class RowWiseApply(Rule):
    """
    ## What it does
    Checks for `ddf.apply(f, axis=1)` (or `axis="columns"`) on a Dask DataFrame: a Python
    function called once per row. Also reports, as information, `apply`, `map` and
    groupby `transform` calls on Dask DataFrames and Series that pass no `meta=`.

    ## Why is this bad?
    Row-wise `apply` calls a Python function for every row, which is orders of magnitude
    slower than vectorised column operations; the pandas advice to avoid `apply` applies
    equally to Dask ("Pandas Performance Tips Apply to Dask DataFrame"). Under the
    default threaded scheduler that Python code also holds the GIL, so the partitions do
    not even run in parallel. Write the computation with column operations, or apply a
    vectorised function per partition with `map_partitions`.

    Without `meta=`, Dask runs the function on a small fake DataFrame to guess the
    output's columns and dtypes, and warns: "You did not provide metadata, so Dask is
    running your function on a small dataset to guess output types. It is possible that
    Dask will guess incorrectly." The guess can be wrong and the function may fail on the
    fake data.

    ## Example
    ```python
    import dask.dataframe as dd

    ddf = dd.read_csv("data-*.csv")
    ddf["total"] = ddf.apply(lambda row: row.a * 2 + row.b, axis=1)
    ```

    Use instead:
    ```python
    import dask.dataframe as dd

    ddf = dd.read_csv("data-*.csv")
    ddf["total"] = ddf.a * 2 + ddf.b
    ```

    ## Fix safety
    No fix is offered: vectorising a function, or writing its `meta`, needs knowledge of
    what the function does.

    ## References
    - [Dask: DataFrame best practices, pandas performance tips apply to Dask DataFrame](https://docs.dask.org/en/stable/dataframe-best-practices.html#pandas-performance-tips-apply-to-dask-dataframe)
    - [Dask: `DataFrame.apply` (only `axis=1`; `meta`)](https://docs.dask.org/en/stable/generated/dask.dataframe.DataFrame.apply.html)
    - [Dask: Scheduling, the GIL and the threaded scheduler](https://docs.dask.org/en/stable/scheduling.html)
    """

    code = "DSK802"
    name = "row-wise-apply"
    deliberate_in_tests = True
    summary = "Row-wise `apply(axis=1)` on a Dask DataFrame (or `apply`/`map` without `meta=`)"
    severity = Severity.WARNING
    fix_summary = "none"

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _META_METHODS:
            return
        if not is_dataframe_like(self.model, func.value):
            return
        method = func.attr.value
        missing_meta = not self._has_meta(node, method)
        if method == "apply" and row_wise(node):
            meta = (
                "without `meta=` Dask also runs it on fake data to guess the output"
                if missing_meta
                else ""
            )
            self.report(
                node,
                f"`{source_of(func)}(..., axis=1)` calls a Python function once per row",
                help="use column operations, or `map_partitions` with a vectorised function",
                notes=["this is orders of magnitude slower than column operations", meta],
            )
        elif missing_meta:
            self.report(
                node,
                f"`{source_of(func)}(...)` without `meta=` runs the function on fake data",
                severity=Severity.INFO,
                help="pass `meta=`",
                notes=[
                    "Dask runs it to guess the output's dtypes (and warns that the guess can be "
                    "wrong)"
                ],
            )

    @staticmethod
    def _has_meta(call: cst.Call, method: str) -> bool:
        if keyword(call, "meta") is not None or has_double_star(call):
            return True
        position = _META_POSITION.get(method)
        if position is None:
            return False
        positional = [a for a in call.args if a.keyword is None]
        return len(positional) > position or any(a.star == "*" for a in positional)
