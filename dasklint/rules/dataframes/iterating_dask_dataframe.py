"""DSK807 iterating-dask-dataframe."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.semantic.frames import is_dataframe_like, is_series

# Row iterators that compute the partitions one by one (DataFrame.iterrows/itertuples in
# dask 2026.8.0: ``get_partition(i).compute()`` per partition). ``DataFrame.items`` is
# not listed: it yields lazy column Series and computes nothing.
_ROW_ITERATORS = frozenset({"iterrows", "itertuples"})


class IteratingDaskDataframe(Rule):
    """
    ## What it does
    Checks for row-by-row iteration over a Dask DataFrame or Series: `ddf.iterrows()`,
    `ddf.itertuples()`, and `for` loops or comprehensions over a Dask Series or Index
    (`for value in ddf["a"]`, `for i in ddf.index`).

    `for column in ddf` is not reported: as in pandas, it yields the column names and
    computes nothing. `ddf.items()` is not reported either: it yields lazy columns.

    ## Why is this bad?
    These iterators compute the partitions one after another in the client (one
    `compute()` per partition), bring every row into the Python process, and then run a
    Python loop over the rows: no parallelism, and the slowest way to process tabular
    data. Express the work as column operations, or as a function applied to each
    partition with `map_partitions`.

    ## Example
    ```python
    import dask.dataframe as dd

    ddf = dd.read_csv("data-*.csv")
    total = 0
    for _, row in ddf.iterrows():
        total += row.a * row.b
    ```

    Use instead:
    ```python
    import dask.dataframe as dd

    ddf = dd.read_csv("data-*.csv")
    total = (ddf.a * ddf.b).sum().compute()
    ```

    ## Fix safety
    No fix is offered: rewriting a loop body as column operations needs to understand
    it.

    ## References
    - [Dask: DataFrame best practices, pandas performance tips apply to Dask DataFrame](https://docs.dask.org/en/stable/dataframe-best-practices.html#pandas-performance-tips-apply-to-dask-dataframe)
    - `dask/dataframe/dask_expr/_collection.py`, `DataFrame.iterrows`, `Series.__iter__`
      (dask 2026.8.0)
    """

    code = "DSK807"
    name = "iterating-dask-dataframe"
    deliberate_in_tests = True
    summary = "Iterating over the rows of a Dask DataFrame computes it partition by partition"
    severity = Severity.WARNING
    fix_summary = "none"

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in _ROW_ITERATORS
            and is_dataframe_like(self.model, func.value)
        ):
            self.report(
                node,
                f"`{source_of(func)}()` loops over the Dask DataFrame's rows in Python",
                help="use column operations or `map_partitions`",
                notes=["it computes the DataFrame one partition at a time in the client"],
            )

    def visit_For(self, node: cst.For) -> None:
        self._check(node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._check(node.iter)

    def _check(self, iterable: cst.BaseExpression) -> None:
        if is_series(self.model, iterable):
            self.report(
                iterable,
                f"Iterating over `{source_of(iterable)}` loops over a Dask Series in Python",
                help="use column operations, or compute once if the values are needed locally",
                notes=["it computes the Dask Series one partition at a time in the client"],
            )
