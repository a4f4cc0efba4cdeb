"""DSK805 too-many-partitions."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleOption
from dasklint.rules._common import source_of
from dasklint.semantic.arraychunks import byte_size, format_bytes
from dasklint.semantic.frames import is_dataframe_like

# dask.dataframe functions taking ``npartitions`` (second positional parameter where it
# can be passed positionally), ``chunksize`` (rows) or ``blocksize`` (bytes).
_NPARTITIONS_FUNCTIONS: dict[str, int | None] = {
    "dask.dataframe.from_pandas": 1,
    "dask.dataframe.from_dict": 1,
}
_CHUNKSIZE_FUNCTIONS = frozenset({"dask.dataframe.from_pandas", "dask.dataframe.from_array"})
_BLOCKSIZE_FUNCTIONS = frozenset(
    {
        "dask.dataframe.read_csv", "dask.dataframe.read_table", "dask.dataframe.read_fwf",
        "dask.dataframe.read_json",
    }
)  # fmt: skip
# DataFrame methods taking ``npartitions=`` (and ``partition_size=`` for repartition).
_NPARTITIONS_METHODS = frozenset({"repartition", "set_index", "sort_values", "shuffle"})


class TooManyPartitions(Rule):
    """
    ## What it does
    Checks for Dask DataFrames split into very many or very small partitions by literal
    arguments: `npartitions=` of at least `max-partitions` in `dd.from_pandas`,
    `dd.from_dict`, `repartition`, `set_index`, `sort_values` and
    `shuffle`; `chunksize=` below `min-chunksize` rows in `dd.from_pandas` and
    `dd.from_array`; `blocksize=` in `dd.read_csv` (and `read_table`, `read_fwf`,
    `read_json`) or `partition_size=` in `repartition` below `min-partition-bytes`.

    ## Why is this bad?
    Every operation on every partition costs the scheduler a few hundred microseconds,
    and a shuffle creates `n log(n)` tasks for `n` partitions. With tens of thousands of
    partitions the overhead dominates and the graph becomes very large. The Dask docs
    recommend partitions of around 100 MB, smaller than a gigabyte.

    ## Example
    ```python
    import dask.dataframe as dd
    import pandas as pd

    pdf = pd.DataFrame({"x": range(1_000_000)})
    ddf = dd.from_pandas(pdf, npartitions=100_000)
    ```

    Use instead:
    ```python
    import dask.dataframe as dd
    import pandas as pd

    pdf = pd.DataFrame({"x": range(1_000_000)})
    ddf = dd.from_pandas(pdf, npartitions=4)
    ```

    ## Fix safety
    No fix is offered: a good partition count depends on the size of the data, which
    the source does not show.

    ## Options
    - `max-partitions` (int, default `10000`): report literal partition counts at least
      this large.
    - `min-chunksize` (int, default `1000`): report `chunksize=` (rows per partition)
      below this.
    - `min-partition-bytes` (int, default `1048576`, 1 MiB): report `blocksize=` and
      `partition_size=` below this.

    ## References
    - [Dask: DataFrame best practices, repartition to reduce overhead](https://docs.dask.org/en/stable/dataframe-best-practices.html#repartition-to-reduce-overhead)
    - [Dask: Best practices, avoid very large graphs](https://docs.dask.org/en/stable/best-practices.html#avoid-very-large-graphs)
    """

    code = "DSK805"
    name = "too-many-partitions"
    deliberate_in_tests = True
    summary = "Literal partitioning makes a Dask DataFrame of very many tiny partitions"
    severity = Severity.WARNING
    fix_summary = "none"
    options = (
        RuleOption("max-partitions", 10_000, "Report literal partition counts this large."),
        RuleOption("min-chunksize", 1_000, "Report `chunksize=` (rows) below this."),
        RuleOption(
            "min-partition-bytes", 1_048_576, "Report `blocksize=`/`partition_size=` below this."
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        name = self.model.qualified_name(node.func)
        if name is not None:
            if name in _NPARTITIONS_FUNCTIONS:
                self._npartitions(node, _NPARTITIONS_FUNCTIONS[name])
            if name in _CHUNKSIZE_FUNCTIONS:
                self._chunksize(node)
            if name in _BLOCKSIZE_FUNCTIONS:
                self._bytes(node, "blocksize")
            return
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in _NPARTITIONS_METHODS
            and is_dataframe_like(self.model, func.value)
        ):
            self._npartitions(node, None)
            if func.attr.value == "repartition":
                self._bytes(node, "partition_size")

    def _argument(self, call: cst.Call, keyword: str, position: int | None) -> cst.Arg | None:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                return arg
        if position is not None:
            positional = [a for a in call.args if a.keyword is None]
            if any(a.star for a in positional[: position + 1]):
                return None
            if position < len(positional):
                return positional[position]
        return None

    def _literal_int(self, expr: cst.BaseExpression) -> int | None:
        constant = self.model.constant(expr)
        if constant is None or constant.from_parameter_default:
            return None
        value = constant.value
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _npartitions(self, call: cst.Call, position: int | None) -> None:
        arg = self._argument(call, "npartitions", position)
        count = self._literal_int(arg.value) if arg is not None else None
        limit = self.option("max-partitions")
        assert isinstance(limit, int)
        if arg is None or count is None or count < limit:
            return
        self.report(
            arg,
            f"`{source_of(call.func)}(...)` makes {count:,} partitions",
            help="aim for partitions of about 100 MB",
            notes=[
                "every operation costs a few hundred microseconds per partition on the scheduler"
            ],
        )

    def _chunksize(self, call: cst.Call) -> None:
        arg = self._argument(call, "chunksize", None)
        rows = self._literal_int(arg.value) if arg is not None else None
        limit = self.option("min-chunksize")
        assert isinstance(limit, int)
        if arg is None or rows is None or rows <= 0 or rows >= limit:
            return
        self.report(
            arg,
            f"`chunksize={rows}` puts only {rows:,} rows in each partition",
            help="aim for partitions of about 100 MB",
            notes=[
                "the per-partition scheduling overhead (a few hundred microseconds per "
                "operation) outweighs the work"
            ],
        )

    def _bytes(self, call: cst.Call, keyword: str) -> None:
        arg = self._argument(call, keyword, None)
        size = byte_size(self.model, arg.value) if arg is not None else None
        limit = self.option("min-partition-bytes")
        assert isinstance(limit, int)
        if arg is None or size is None or size <= 0 or size >= limit:
            return
        self.report(
            arg,
            f"`{keyword}={source_of(arg.value)}` makes partitions of {format_bytes(size)}",
            help="aim for partitions of about 100 MB",
            notes=["the per-partition scheduling overhead outweighs the work"],
        )
