"""DSK311 delayed-unpack-without-nout."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, safe
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.rules._edits import add_keyword, keyword
from dasklint.semantic.names import BindingKind


class DelayedUnpackWithoutNout(Rule):
    """
    ## What it does
    Checks for unpacking the result of a delayed call whose length Dask does not know:
    `a, b = dask.delayed(f)(x)`, `for part in dask.delayed(f)(x):` or
    `g(*dask.delayed(f)(x))`, where neither `dask.delayed(f, nout=...)` nor
    `@dask.delayed(nout=...)` gives the number of outputs.

    ## Why is this bad?
    A Delayed object of unspecified length cannot be iterated: unpacking it raises
    `TypeError: Delayed objects of unspecified length are not iterable` as soon as the
    line runs. With `nout=k` the call returns a Delayed object that can be unpacked into
    `k` lazy parts.

    ## Example
    ```python
    import dask

    def split(x):
        return x, x + 1

    a, b = dask.delayed(split)(1)
    ```

    Use instead:
    ```python
    import dask

    def split(x):
        return x, x + 1

    a, b = dask.delayed(split, nout=2)(1)
    ```

    ## Fix safety
    When the target has a fixed number `k` of names and the `dask.delayed(f)` call is
    written at the same place, the fix adds `nout=k`; it is safe (the line raised before).
    No fix is offered for `@dask.delayed` functions (the decorator is shared by every
    caller) or for `for` loops and `*` unpacking (the length is not written).

    ## References
    - [Dask: dask.delayed API (`nout`)](https://docs.dask.org/en/stable/delayed-api.html#dask.delayed.delayed)
    """

    code = "DSK311"
    name = "delayed-unpack-without-nout"
    summary = "Unpacking a Delayed object created without `nout` raises `TypeError`"
    severity = Severity.ERROR
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "safe: add `nout=k` to the `dask.delayed` call"

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, (cst.Tuple, cst.List)):
                elements = target.target.elements
                starred = any(isinstance(e, cst.StarredElement) for e in elements)
                self._check(node.value, None if starred else len(elements))

    def visit_For(self, node: cst.For) -> None:
        self._check(node.iter, None)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._check(node.iter, None)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.star == "*":
            self._check(node.value, None)

    def visit_StarredElement(self, node: cst.StarredElement) -> None:
        self._check(node.value, None)

    def _check(self, value: cst.BaseExpression, arity: int | None) -> None:
        if not isinstance(value, cst.Call):
            return
        wrapper = self._wrapper(value.func)
        if wrapper is None:
            return
        fix: Fix | None = None
        if arity is not None and isinstance(wrapper, cst.Call) and wrapper is value.func:
            fix = safe(
                f"Add `nout={arity}` to `dask.delayed`",
                wrapper,
                add_keyword(wrapper, "nout", cst.Integer(str(arity))),
            )
        self.report(
            value,
            f"`{source_of(value.func)}(...)` is unpacked, but its length is unknown to Dask",
            fix=fix,
            help="pass `nout=` to `dask.delayed`",
            notes=[
                "it returns a Delayed object of unknown length, so unpacking it raises "
                "`TypeError: Delayed objects of unspecified length are not iterable`"
            ],
        )

    def _wrapper(self, func: cst.BaseExpression) -> cst.CSTNode | None:
        """The ``dask.delayed(...)`` call or ``@dask.delayed`` decorator without ``nout``."""
        if isinstance(func, cst.Name):
            binding = self.model.scopes.lookup(func.value)
            if binding is None:
                return None
            if binding.kind is BindingKind.FUNCTION and binding.is_delayed_function:
                node = binding.node
                assert isinstance(node, cst.FunctionDef)
                for decorator in node.decorators:
                    expr = decorator.decorator
                    if isinstance(expr, cst.Call) and keyword(expr, "nout") is not None:
                        return None
                return node
            if binding.kind is BindingKind.VALUE and isinstance(binding.value, cst.Call):
                func = binding.value
        if isinstance(func, cst.Call) and self.model.qualified_name(func.func) == "dask.delayed":
            positional = [a for a in func.args if a.keyword is None]
            if (
                len(positional) == 1
                and keyword(func, "nout") is None
                and not any(a.star for a in func.args)
            ):
                return func
        return None
