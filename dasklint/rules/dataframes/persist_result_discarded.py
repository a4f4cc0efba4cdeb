"""DSK803 persist-result-discarded."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, safe
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.names import dotted_parts
from dasklint.semantic.scopenames import scope_names


class PersistResultDiscarded(Rule):
    """
    ## What it does
    Checks for `persist` calls whose result is thrown away: `ddf.persist()`,
    `client.persist(ddf)` or `dask.persist(a, b)` written as a statement of its own, on
    Dask collections.

    ## Why is this bad?
    `persist` does not change the collection it is called on: it returns a new
    collection backed by the computed (or computing) results, and the original still
    points to the lazy graph. When the result is dropped, the work is done for nothing:
    the local schedulers compute every partition and throw the results away, the
    distributed scheduler releases them as soon as the dropped collection is garbage
    collected, and every later use of the original recomputes from scratch.

    ## Example
    ```python
    import dask.dataframe as dd

    ddf = dd.read_csv("data-*.csv")
    ddf = ddf[ddf.balance < 0]
    ddf.persist()
    print(ddf.balance.mean().compute())
    ```

    Use instead:
    ```python
    import dask.dataframe as dd

    ddf = dd.read_csv("data-*.csv")
    ddf = ddf[ddf.balance < 0]
    ddf = ddf.persist()
    print(ddf.balance.mean().compute())
    ```

    ## Fix safety
    The fix assigns the result back to the names that were persisted
    (`ddf = ddf.persist()`, `ddf = client.persist(ddf)`, `a, b = dask.persist(a, b)`). It
    is safe: the new collection has the same values, and keeping it is what `persist`
    is for. No fix is offered when a persisted value is not a plain name or attribute
    (`dd.read_csv(path).persist()`), as there is nothing to assign to, nor when the name
    is read from outside the function or class body the call is in (a module global or
    a name of an enclosing function that the body neither assigns nor declares `global`
    or `nonlocal`): assigning it would make it local to the body, so that every read of
    it in a function raises `UnboundLocalError`, and a class would get a new attribute.
    Assign the result where the name is bound, or declare it `global`/`nonlocal` when
    rebinding it there is meant.

    ## References
    - [Dask: DataFrame best practices, persist intelligently](https://docs.dask.org/en/stable/dataframe-best-practices.html#persist-intelligently)
    - [Dask: `dask.persist`](https://docs.dask.org/en/stable/api.html#dask.persist)
    """

    code = "DSK803"
    name = "persist-result-discarded"
    deliberate_in_tests = True
    summary = "Result of `persist()` is discarded; persist does not work in place"
    severity = Severity.ERROR
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "safe: assign the result back (`x = x.persist()`)"

    def visit_Expr(self, node: cst.Expr) -> None:
        call = node.value
        if not isinstance(call, cst.Call):
            return
        found = self._persisted(call)
        if found is None:
            return
        targets, as_tuple = found
        shown = source_of(call.func)
        fix: Fix | None = None
        if (
            targets
            and all(self._assignable(t) for t in targets)
            and _distinct(targets)
            and self._stay_in_their_scope(targets)
        ):
            target = _target(targets, as_tuple)
            assignment = cst.Assign(
                targets=[cst.AssignTarget(target=target)],
                value=call,
                semicolon=node.semicolon,
            )
            fix = safe(f"Assign the result: `{source_of(target)} = {shown}(...)`", node, assignment)
        names = ", ".join(f"`{source_of(t)}`" for t in targets) if targets else "the collection"
        self.report(
            call,
            f"The result of `{shown}(...)` is dropped",
            fix=fix,
            help="assign the result back",
            notes=[
                f"it returns persisted copies and leaves {names} unchanged (still lazy): the "
                "work is done and thrown away"
            ],
        )

    def _persisted(self, call: cst.Call) -> tuple[list[cst.BaseExpression], bool] | None:
        """What the call persists (the expressions to assign the result to) and whether
        the result is a sequence; None when it is not a Dask persist."""
        if self.model.qualified_name(call.func) == "dask.persist":
            positional = [a for a in call.args if a.keyword is None]
            if not positional or any(a.star for a in positional):
                return None
            return [a.value for a in positional], True  # always a tuple
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "persist":
            return None
        receiver = self.model.collection_kind(func.value)
        if receiver is CollectionKind.CLIENT:
            positional = [a for a in call.args if a.keyword is None]
            if len(positional) != 1 or positional[0].star:
                return None
            value = positional[0].value
            if isinstance(value, (cst.List, cst.Tuple)):
                if any(isinstance(e, cst.StarredElement) for e in value.elements):
                    return [], True
                return [e.value for e in value.elements], True
            return [value], False
        if receiver is None or not receiver.is_collection:
            return None
        if any(a.keyword is None and a.star != "**" for a in call.args):
            return None  # ``.persist(**kwargs)`` takes no positional argument
        return [func.value], False

    def _stay_in_their_scope(self, targets: list[cst.BaseExpression]) -> bool:
        """Assigning the names keeps each one in the scope it was read from: in a function
        or class body, only names the body already binds (or declares ``global`` /
        ``nonlocal``). ``ddf = ddf.persist()`` on a module global inside a function would
        make ``ddf`` local there, and every read of it raise ``UnboundLocalError``."""
        scope = next(
            (
                node
                for node in reversed(self.model.ancestors)
                if isinstance(node, (cst.FunctionDef, cst.ClassDef))
            ),
            None,
        )
        if scope is None:
            return True
        names = scope_names(scope)
        return all(names.may_assign(t.value) for t in targets if isinstance(t, cst.Name))

    def _assignable(self, expr: cst.BaseExpression) -> bool:
        """A plain name, or a dotted attribute of an object that is not a Dask collection
        (``self.frame``; ``ddf.x = ...`` would assign a column instead)."""
        if dotted_parts(expr) is None or expr.lpar:
            return False
        if isinstance(expr, cst.Attribute):
            return self.model.collection_kind(expr.value) is None
        return True


def _distinct(targets: list[cst.BaseExpression]) -> bool:
    shown = [source_of(t) for t in targets]
    return len(set(shown)) == len(shown)


def _target(targets: list[cst.BaseExpression], as_tuple: bool) -> cst.BaseAssignTargetExpression:
    """``x``, ``a, b`` or ``(a,)`` (a one-element sequence keeps its parentheses)."""
    if not as_tuple:
        only = targets[0].deep_clone()
        assert isinstance(only, (cst.Name, cst.Attribute))
        return only
    elements = [cst.Element(t.deep_clone()) for t in targets]
    if len(elements) == 1:
        return cst.Tuple([elements[0].with_changes(comma=cst.Comma())])
    return cst.Tuple(elements, lpar=[], rpar=[])
