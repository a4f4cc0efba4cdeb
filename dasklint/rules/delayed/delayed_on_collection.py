"""DSK308 delayed-on-collection."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.task_call import DELAYED, TaskApi, recognise

_WHOLE = {
    CollectionKind.DATAFRAME: ("Dask DataFrame", "a pandas object", "`.map_partitions(f)`"),
    CollectionKind.ARRAY: ("Dask Array", "a NumPy array", "`.map_blocks(f)`"),
    CollectionKind.BAG: ("Dask Bag", "a Python list", "`.map_partitions(f)`"),
}
# Methods and attributes of collections whose value is small: reductions (a Dask scalar)
# and metadata known without computing, the task graph (`.dask`) and keys included.
_SMALL_METHODS = frozenset(
    {
        "sum", "mean", "min", "max", "count", "std", "var", "prod", "any", "all", "size",
        "nunique", "median", "quantile", "argmin", "argmax", "idxmin", "idxmax", "first",
        "last", "sem", "skew", "kurtosis", "nbytes", "memory_usage", "topk", "take",
        "head", "tail", "__dask_graph__", "__dask_keys__", "__dask_layers__",
        "value_counts", "describe", "nlargest", "nsmallest", "agg", "aggregate", "corr",
        "cov", "reduction", "fold", "foldby", "frequencies",
        # One partition of a DataFrame or Bag.
        "get_partition",
    }
)  # fmt: skip
_SMALL_ATTRIBUTES = frozenset(
    {
        "shape", "ndim", "dtype", "dtypes", "columns", "npartitions", "numblocks",
        "chunks", "chunksize", "divisions", "name", "known_divisions", "size", "nbytes",
        "itemsize", "_meta", "dask", "key",
        # Accessors of pieces: `x.blocks[i, j]` is one block, `ddf.partitions[i]` one
        # partition (or a few, sliced), never the whole collection.
        "blocks", "partitions",
    }
)  # fmt: skip


class DelayedOnCollection(Rule):
    """
    ## What it does
    Checks for a whole Dask collection (a Dask DataFrame or Series, a Dask Array or a
    Dask Bag) given to `dask.delayed`: wrapped directly (`dask.delayed(ddf)`) or passed as
    an argument of a delayed call (`dask.delayed(train)(ddf)`, or a call of a
    `@dask.delayed` function). Container displays (`dask.delayed(f)([ddf1, ddf2])`) are
    looked into.

    Not reported: reductions and metadata (`ddf.x.sum()`, `arr.mean()`,
    `ddf.a.value_counts()`, `ddf.describe()`, `ddf.nlargest(5, "a")`, a groupby `agg`,
    `ddf.shape`, `ddf.npartitions`, `ddf.head()`, the task graph `arr.dask`), pieces
    (`.to_delayed()`, one block `x.blocks[i, j]`, one partition `ddf.partitions[i]` or
    `ddf.get_partition(i)`, also in arithmetic such as `x.blocks[i, j] * 2`), values
    already computed, and array slices (`arr[:10]` may be small; DataFrame column
    selections and row filters are reported).

    ## Why is this bad?
    The delayed function does not receive a Dask collection: Dask computes the collection
    first and passes the whole result, one pandas object, NumPy array or list holding
    every partition, to one task. That one task needs the whole dataset in one worker's
    memory and runs on one thread, which defeats partitioning and can crash the worker
    for large data.

    ## Example
    ```python
    import dask
    import dask.dataframe as dd

    def train(frame):
        return frame.x.sum()

    ddf = dd.from_dict({"x": range(100)}, npartitions=4)
    model = dask.delayed(train)(ddf)
    ```

    Use instead:
    ```python
    import dask
    import dask.dataframe as dd

    def train(frame):
        return frame.x.sum()

    ddf = dd.from_dict({"x": range(100)}, npartitions=4)
    parts = [dask.delayed(train)(part) for part in ddf.to_delayed()]
    ```

    ## Fix safety
    No fix is offered: `map_partitions`, `map_blocks` or `to_delayed` change what the
    function receives (one partition instead of everything), which only its author can
    say is right.

    ## References
    - [Dask: Delayed best practices, don't call dask.delayed on other Dask collections](https://docs.dask.org/en/stable/delayed-best-practices.html#don-t-call-dask-delayed-on-other-dask-collections)
    - [Dask: Working with collections (to_delayed, from_delayed)](https://docs.dask.org/en/stable/delayed-collections.html)
    """

    code = "DSK308"
    name = "delayed-on-collection"
    deliberate_in_tests = True
    summary = "A whole Dask collection is passed to `dask.delayed`, which hands it to one task"
    severity = Severity.WARNING
    fix_summary = "none"

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.qualified_name(node.func) == DELAYED:
            positional = [a for a in node.args if a.keyword is None and not a.star]
            if positional:
                self._check(positional[0].value, wrapped=True)
            return
        found = recognise(self.model, node)
        if found is None or found[0] is not TaskApi.DELAYED:
            return
        for arg in found[2]:
            if not arg.star:
                self._check(arg.value, wrapped=False)

    def _check(self, value: cst.BaseExpression, *, wrapped: bool) -> None:
        if isinstance(value, (cst.List, cst.Tuple, cst.Set)):
            for element in value.elements:
                self._check(element.value, wrapped=wrapped)
            return
        if isinstance(value, cst.Dict):
            for item in value.elements:
                if isinstance(item, cst.DictElement):
                    self._check(item.value, wrapped=wrapped)
            return
        kind = self._whole_collection(value)
        if kind is None:
            return
        what, received, instead = _WHOLE[kind]
        shown = source_of(value)
        how = (
            f"`dask.delayed({shown})` computes the whole {what} into one task"
            if wrapped
            else f"The task receives `{shown}`, a {what}, as {received} holding all of it"
        )
        self.report(
            value,
            how,
            help=f"use {instead} or `[dask.delayed(f)(part) for part in "
            f"{_operand(value, shown)}.to_delayed()]`",
            notes=[
                "one worker must hold the whole dataset in memory and the work runs on one thread"
            ],
        )

    def _whole_collection(self, value: cst.BaseExpression) -> CollectionKind | None:
        if _reduced(value):
            return None
        if isinstance(value, cst.BinaryOperation):
            # `x.blocks[0, 0] * 2` is one block; `x * 2` is the whole array.
            left = self._whole_collection(value.left)
            return left if left is not None else self._whole_collection(value.right)
        if isinstance(value, cst.UnaryOperation):
            return self._whole_collection(value.expression)
        if isinstance(value, cst.Subscript):
            # Column selections and row filters of a DataFrame are as large as the data;
            # an array slice may be small.
            inner = self.model.collection_kind(value.value)
            return inner if inner is CollectionKind.DATAFRAME else None
        kind = self.model.collection_kind(value)
        return kind if kind in _WHOLE else None


def _reduced(value: cst.BaseExpression) -> bool:
    """A reduction or metadata anywhere in a chain: ``dy.mean().apply(int)``, ``ddf.shape``."""
    node: cst.BaseExpression = value
    while True:
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in _SMALL_METHODS:
                return True
            node = func
        elif isinstance(node, cst.Attribute):
            if node.attr.value in _SMALL_ATTRIBUTES:
                return True
            node = node.value
        elif isinstance(node, cst.Subscript):
            node = node.value
        else:
            return False


def _operand(value: cst.BaseExpression, shown: str) -> str:
    """``shown`` as the receiver of a method call: ``(x * 2).to_delayed()``."""
    if isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        return shown
    return f"({shown})"
