"""DSK1010 deprecated-dataframe-kwargs."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._edits import keyword
from dasklint.rules.deprecations._deprecations import Deprecation, dask, is_frame, report

# The legacy implementation was the last to accept these; Dask 2025.1.0 removed it.
_REMOVED = dask("2025.1.0")
SET_INDEX_COMPUTE = Deprecation(
    "`set_index(compute=...)`",
    deprecated=dask("2024.1.0"),
    removed=_REMOVED,
    advice="drop `compute=` (call `.persist()` to compute the result now)",
)
NPARTITIONS_AUTO = Deprecation(
    '`npartitions="auto"`',
    deprecated=dask("2024.1.0"),
    removed=_REMOVED,
    advice="give a number of partitions, or leave `npartitions` out",
)
FILLNA_METHOD = Deprecation(
    "`fillna(method=...)`",
    deprecated=dask("2023.6.1"),
    removed=_REMOVED,
    advice="call `.ffill()` or `.bfill()`",
)
SERIES_VIEW = Deprecation(
    "`Series.view`",
    deprecated=dask("2024.1.0"),
    removed=_REMOVED,
    advice="convert with `.astype(...)`, or reinterpret inside `map_partitions`",
)
REDUCTION_OUT_DTYPE = Deprecation(
    "`out=`/`dtype=` of DataFrame reductions",
    deprecated=dask("2024.1.1"),
    removed=_REMOVED,
    advice="drop the keyword (cast the result with `.astype(...)` if needed)",
)
REDUCTIONS = frozenset(
    {
        "sum", "prod", "product", "mean", "max", "min", "var", "std", "sem", "any", "all",
        "cumsum", "cumprod", "cummax", "cummin",
    }
)  # fmt: skip
_FILLNA_RAISES = "it raises `TypeError` (no such parameter)"


class DeprecatedDataframeKwargs(Rule):
    """
    ## What it does
    Checks Dask DataFrame and Series methods for parameters that Dask deprecated when it
    moved to its query-planning implementation:

    - `set_index(..., compute=...)` (deprecated in 2024.1.0),
    - `npartitions="auto"` in `set_index` and `sort_values` (2024.1.0),
    - `fillna(method=...)` (2023.6.1; use `ffill()`/`bfill()`),
    - `Series.view(...)` (2024.1.0),
    - `out=` and `dtype=` of reductions (`sum`, `mean`, `max`, `cumsum`, ...) (2024.1.1).

    ## Why is this bad?
    The legacy implementation, which accepted them with a `FutureWarning`, was removed in
    Dask 2025.1.0, and the implementation that remains does not have them (the test suite
    checks the signatures in the installed Dask): `fillna(method=...)` raises `TypeError`,
    `view` does not exist, and the others are not parameters any more.

    The receiver must be known to be a Dask DataFrame or Series (created by a
    `dask.dataframe` function, or derived from one, in the same module). The rule follows
    `target-dask-version`: a warning from the release that deprecated the parameter, an
    error from 2025.1.0.

    ## Example
    ```python
    import dask.dataframe as dd

    df = dd.read_csv("data-*.csv")
    df = df.fillna(method="ffill")
    ```

    Use instead:
    ```python
    import dask.dataframe as dd

    df = dd.read_csv("data-*.csv")
    df = df.ffill()
    ```

    ## Fix safety
    No fix is offered: each replacement is a different call (`ffill()`, `astype`, an
    integer partition count) whose details the code has to choose.

    ## References
    - Dask 2024.1.0 changelog ("Deprecate compute parameter in set_index",
      "Deprecate Series.view", "Deprecate npartitions='auto' for set_index &
      sort_values"), dask/dask#10784, dask/dask#10800 (`out=`/`dtype=`, 2024.1.1)
    """

    code = "DSK1010"
    name = "deprecated-dataframe-kwargs"
    summary = "DataFrame parameter removed with the legacy implementation (Dask 2025.1.0)"
    severity = Severity.ERROR
    fix_summary = "none"

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        if not is_frame(self, func.value):
            return
        method = func.attr.value
        if method == "set_index":
            arg = keyword(node, "compute")
            if arg is not None:
                report(self, arg, SET_INDEX_COMPUTE)
        if method in ("set_index", "sort_values"):
            arg = keyword(node, "npartitions")
            if arg is not None and self._constant(arg.value) == "auto":
                report(self, arg, NPARTITIONS_AUTO)
        elif method == "fillna":
            arg = keyword(node, "method")
            if arg is not None:
                report(self, arg, FILLNA_METHOD, _FILLNA_RAISES)
        elif method == "view":
            report(self, func.attr, SERIES_VIEW, "the method does not exist")
        elif method in REDUCTIONS:
            for name in ("out", "dtype"):
                arg = keyword(node, name)
                if arg is not None:
                    report(self, arg, REDUCTION_OUT_DTYPE, subject=f"`{method}({name}=...)`")

    def _constant(self, expr: cst.BaseExpression) -> object | None:
        constant = self.model.constant(expr)
        return constant.value if constant is not None else None
