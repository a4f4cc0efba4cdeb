"""DSK1008 fastparquet-engine."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import unsafe
from dasklint.rule import Rule
from dasklint.rules._edits import keyword, remove_keywords
from dasklint.rules.deprecations._deprecations import Deprecation, applies, dask, is_frame, report

FASTPARQUET = Deprecation(
    '`engine="fastparquet"`',
    deprecated=dask("2024.1.0"),
    removed=dask("2025.2.0"),
    advice='drop `engine=` (the default is pyarrow) or write `engine="pyarrow"`',
)
PARQUET_FUNCTIONS = frozenset({"dask.dataframe.read_parquet", "dask.dataframe.to_parquet"})
_CONSEQUENCE = "it raises `NotImplementedError: Fastparquet engine is not supported`"


class FastparquetEngine(Rule):
    """
    ## What it does
    Checks for `engine="fastparquet"` in `dask.dataframe.read_parquet`,
    `dask.dataframe.to_parquet` and the `to_parquet` method of a Dask DataFrame (also with a
    name bound to the string).

    ## Why is this bad?
    Dask 2024.1.0 deprecated the fastparquet engine and Dask 2025.2.0 removed what was left
    of it: `read_parquet` and `to_parquet` raise
    `NotImplementedError: Fastparquet engine is not supported` (Dask 2026.8.0, checked by
    the test suite in the installed source). PyArrow is the engine Dask supports.

    The rule follows `target-dask-version`: a warning from 2024.1.0, an error from 2025.2.0.
    A `to_parquet` method is only checked on a receiver known to be a Dask DataFrame.

    ## Example
    ```python
    import dask.dataframe as dd

    df = dd.read_parquet("data/", engine="fastparquet")
    ```

    Use instead:
    ```python
    import dask.dataframe as dd

    df = dd.read_parquet("data/")
    ```

    ## Fix safety
    The fix removes `engine=` so that the default engine, pyarrow, is used. It is unsafe:
    the two engines do not read and write every file identically (index handling, dtypes,
    timestamps and categoricals can differ), fastparquet-only keywords given alongside
    (`times=`, `object_encoding=`) are not understood by pyarrow, and pyarrow must be
    installed. It is offered wherever the finding is reported (`engine="fastparquet"`,
    or a name bound to that string, on a Dask parquet reader or writer) when the target
    Dask version has the deprecation (`target-dask-version`).

    ## References
    - [Dask: read_parquet](https://docs.dask.org/en/stable/generated/dask.dataframe.read_parquet.html)
    - Dask 2024.1.0 changelog (fastparquet deprecated); dask/dask#11682 (Dask 2025.2.0)
    """

    code = "DSK1008"
    name = "fastparquet-engine"
    summary = "The fastparquet engine was removed in Dask 2025.2.0; use pyarrow"
    severity = Severity.ERROR
    fix_summary = "unsafe: drop `engine=` (pyarrow)"
    fix_availability = FixAvailability.ALWAYS

    def visit_Call(self, node: cst.Call) -> None:
        arg = keyword(node, "engine")
        if arg is None or not self._is_parquet_call(node):
            return
        constant = self.model.constant(arg.value)
        if constant is None or constant.value != "fastparquet":
            return
        fix = None
        if applies(self, FASTPARQUET):
            fix = unsafe(
                "Use the default engine (pyarrow)",
                node,
                remove_keywords(node, {"engine"}),
                "the engines differ on index handling, dtypes, timestamps and categoricals, "
                "and pyarrow must be installed",
            )
        report(self, arg, FASTPARQUET, _CONSEQUENCE, fix=fix)

    def _is_parquet_call(self, call: cst.Call) -> bool:
        func = call.func
        if self.model.qualified_name(func) in PARQUET_FUNCTIONS:
            return True
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value == "to_parquet"
            and is_frame(self, func.value)
        )
