"""DSK804 persist-blocks-optimizer."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleContext
from dasklint.rules._common import source_of
from dasklint.semantic.frames import CONCRETE_ATTRIBUTES, is_dataframe_like

# Uses of a persisted DataFrame that leave nothing for the optimizer to push down.
_NEUTRAL = CONCRETE_ATTRIBUTES | {"compute", "persist", "visualize"}


class PersistBlocksOptimizer(Rule):
    """
    ## What it does
    Checks for `ddf = ddf.persist()` on a Dask DataFrame in a module that creates no
    distributed `Client` or cluster, when the persisted DataFrame is then used for more
    lazy work (column selections, filters, methods).

    This rule is not enabled by default: persisting is sometimes the right call on one
    machine too (an expensive intermediate reused many times), and the rule cannot tell
    how often or how much of the data is reused.

    ## Why is this bad?
    Dask DataFrame optimizes the whole query before running it: it pushes column
    selections and filters down into the read (`read_parquet(..., columns=[...])`), so
    only the data that is needed is loaded. A persisted DataFrame is a set of finished
    partitions, so the optimizer stops there: everything is read and held in memory, and
    a later `ddf["a"].sum()` cannot ask the reader for column `a` only. The Dask docs
    recommend persisting "intelligently", and say the advice "is only relevant to users
    on distributed systems"; on the local schedulers `persist` also blocks until all the
    data is in the client's memory.

    ## Example
    ```python
    import dask.dataframe as dd

    ddf = dd.read_parquet("data/")
    ddf = ddf.persist()
    print(ddf["amount"].sum().compute())
    ```

    Use instead:
    ```python
    import dask.dataframe as dd

    ddf = dd.read_parquet("data/")
    print(ddf["amount"].sum().compute())
    ```

    ## Fix safety
    No fix is offered: whether the persisted data is worth keeping depends on how it is
    reused.

    ## References
    - [Dask: DataFrame best practices, persist intelligently](https://docs.dask.org/en/stable/dataframe-best-practices.html#persist-intelligently)
    - [Dask: DataFrame optimizer (projection and filter pushdown)](https://docs.dask.org/en/stable/dataframe-optimizer.html)
    """

    code = "DSK804"
    name = "persist-blocks-optimizer"
    deliberate_in_tests = True
    summary = "`persist()` without a Client stops the DataFrame optimizer at that point"
    severity = Severity.INFO
    fix_summary = "none"
    default_enabled = False

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._persists: dict[int, cst.Call] = {}  # id of the target Name -> persist call
        self._used: list[cst.Call] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if (
            len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
            and isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "persist"
            and is_dataframe_like(self.model, value.func.value)
        ):
            self._persists[id(node.targets[0].target)] = value

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value not in _NEUTRAL:
            self._use(node.value)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._use(node.value)

    def _use(self, expr: cst.BaseExpression) -> None:
        if not isinstance(expr, cst.Name):
            return
        binding = self.model.scopes.lookup(expr.value)
        if binding is None or binding.node is None:
            return
        call = self._persists.pop(id(binding.node), None)
        if call is not None:
            self._used.append(call)

    def finish(self) -> None:
        if self.model.client_calls or self.model.cluster_calls:
            return
        for call in self._used:
            assert isinstance(call.func, cst.Attribute)
            self.report(
                call,
                f"`{source_of(call.func)}()` without a distributed Client loads every partition "
                "here",
                help="keep the DataFrame lazy unless the persisted data is reused many times",
                notes=[
                    "it loads every partition into local memory, and the optimizer cannot push "
                    "later column selections or filters into the read"
                ],
            )
