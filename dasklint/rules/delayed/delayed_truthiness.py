"""DSK312 delayed-truthiness."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.semantic.lazy import Lazy


class DelayedTruthiness(Rule):
    """
    ## What it does
    Checks for a Delayed object used as a condition: in `if`, `elif`, `while`, `assert`,
    a conditional expression, `not`, `and`/`or`, or `bool(...)`.

    ## Why is this bad?
    A Delayed object has no value yet, so Dask refuses to guess one: its truth test raises
    `TypeError: Truth of Delayed objects is not supported`. Compute the value first, or
    move the decision into a task.

    ## Example
    ```python
    import dask

    def is_valid(x):
        return x > 0

    check = dask.delayed(is_valid)(3)
    if check:
        print("valid")
    ```

    Use instead:
    ```python
    import dask

    def is_valid(x):
        return x > 0

    check = dask.delayed(is_valid)(3)
    if check.compute():
        print("valid")
    ```

    ## Fix safety
    No fix is offered: whether to compute here or make the branch a task is a design
    choice.

    ## References
    - [Dask: Delayed, `Delayed.__bool__`](https://docs.dask.org/en/stable/delayed.html)
    """

    code = "DSK312"
    name = "delayed-truthiness"
    summary = "Truth test of a Delayed object raises `TypeError`"
    severity = Severity.ERROR
    fix_summary = "none"

    def _check(self, expr: cst.BaseExpression) -> None:
        if self.model.tasks.lazy_kind(expr) is Lazy.DELAYED:
            self.report(
                expr,
                f"`{source_of(expr)}` is a Delayed object: its truth test raises `TypeError`",
                help="compute it first, or make the decision inside a task",
                notes=["the error says `Truth of Delayed objects is not supported`"],
            )

    def visit_If(self, node: cst.If) -> None:
        self._check(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._check(node.test)

    def visit_Assert(self, node: cst.Assert) -> None:
        self._check(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._check(node.test)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if isinstance(node.operator, cst.Not):
            self._check(node.expression)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        self._check(node.left)  # the right operand is only tested by an enclosing test

    def visit_Call(self, node: cst.Call) -> None:
        if (
            isinstance(node.func, cst.Name)
            and node.func.value == "bool"
            and self.model.scopes.lookup("bool") is None
            and len(node.args) == 1
        ):
            self._check(node.args[0].value)
