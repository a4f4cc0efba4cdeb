"""DSK707 gather-to-inspect."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.semantic.futures import client_call, future_kind
from dasklint.semantic.lazy import Lazy

# Attributes that describe a value without needing its data.
METADATA = frozenset({"shape", "dtype", "dtypes", "columns", "ndim", "size", "nbytes"})


class GatherToInspect(Rule):
    """
    ## What it does
    Checks for `future.result()` whose value is only used to read metadata:
    `future.result().shape` (also `.dtype`, `.dtypes`, `.columns`, `.ndim`, `.size`,
    `.nbytes`) and `len(future.result())`.

    ## Why is this bad?
    `.result()` copies the whole value from the cluster into the client process, only for
    one small attribute to be read and the rest thrown away. Reading the attribute on
    the cluster with another task moves only the answer: Dask's advice is to leave data
    on the cluster and bring back only small results. For small values the difference
    does not matter, hence the low severity.

    ## Example
    ```python
    import numpy as np
    from dask.distributed import Client

    client = Client()
    future = client.submit(np.ones, (1000, 1000))
    rows = future.result().shape[0]
    ```

    Use instead:
    ```python
    import numpy as np
    from dask.distributed import Client

    client = Client()
    future = client.submit(np.ones, (1000, 1000))
    rows = client.submit(getattr, future, "shape").result()[0]
    ```

    ## Fix safety
    No fix is offered: the rewrite runs one more task, whose result the client then has
    to wait for, and whether that is better depends on the size of the value.

    ## References
    - [Distributed: Efficiency, leave data on the cluster](https://distributed.dask.org/en/stable/efficiency.html#leave-data-on-the-cluster)
    """

    code = "DSK707"
    name = "gather-to-inspect"
    deliberate_in_tests = True
    summary = "`.result()` fetches a whole value only to read its metadata"
    severity = Severity.INFO
    fix_summary = "none"

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in METADATA and self._result(node.value):
            self._report(node, f"`.{node.attr.value}`", f'getattr, {{}}, "{node.attr.value}"')

    def visit_Call(self, node: cst.Call) -> None:
        if (
            isinstance(node.func, cst.Name)
            and node.func.value == "len"
            and self.model.scopes.lookup("len") is None
            and len(node.args) == 1
            and not node.args[0].star
            and self._result(node.args[0].value)
        ):
            self._report(node, "`len(...)`", "len, {}")

    def _result(self, expr: cst.BaseExpression) -> bool:
        """``expr`` is ``<future>.result()``."""
        return (
            isinstance(expr, cst.Call)
            and isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value == "result"
            and future_kind(self.model, expr.func.value) is Lazy.FUTURE
        )

    def _report(self, node: cst.CSTNode, what: str, arguments: str) -> None:
        result = node.value if isinstance(node, cst.Attribute) else None
        if result is None and isinstance(node, cst.Call):
            result = node.args[0].value
        assert isinstance(result, cst.Call) and isinstance(result.func, cst.Attribute)
        future = result.func.value
        client = self._client_of(future) or "client"
        shown = arguments.format(source_of(future))
        self.report(
            node,
            f"`.result()` brings the whole value of `{source_of(future)}` here only to read {what}",
            help=f"read it on the cluster with `{client}.submit({shown}).result()`",
        )

    def _client_of(self, future: cst.BaseExpression) -> str | None:
        """The client name that made ``future``, when the source shows it."""
        created: cst.BaseExpression | None = future
        if isinstance(created, cst.Subscript):
            created = created.value  # ``futures[0]``: the list's client
        if isinstance(created, cst.Name):
            binding = self.model.scopes.lookup(created.value)
            created = binding.value if binding is not None else None
        if isinstance(created, cst.ListComp):
            created = created.elt
        if isinstance(created, cst.Call):
            found = client_call(self.model, created)
            if found is not None and isinstance(found.receiver, cst.Name):
                return found.receiver.value
        return None
