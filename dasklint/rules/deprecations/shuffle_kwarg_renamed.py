"""DSK1006 shuffle-kwarg-renamed."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Applicability, FixAvailability, Severity
from dasklint.fix import Fix
from dasklint.rule import Rule
from dasklint.rules._edits import has_double_star, keyword
from dasklint.rules.deprecations._deprecations import (
    Deprecation,
    applies,
    dask,
    is_frame,
    rename_keyword,
    report,
)
from dasklint.semantic.names import BindingKind

SHUFFLE = Deprecation(
    "`shuffle=`",
    deprecated=dask("2024.1.0"),
    removed=dask("2025.1.0"),
    advice="use `shuffle_method=`",
)

# What Dask 2026.8.0 does with `shuffle=` (the signatures in dask/dataframe/dask_expr,
# checked by the test suite against the installed Dask).
_IGNORED = "it is swallowed by `**options` and silently ignored"
_RAISES = "it raises `TypeError` (unexpected keyword argument)"
_PASSED_ON = "it is passed on to your function as a keyword argument"
FRAME_METHODS = {
    "set_index": _IGNORED,
    "sort_values": _IGNORED,
    "shuffle": _IGNORED,
    "merge": _RAISES,
    "drop_duplicates": _RAISES,
}
GROUPBY_METHODS = {"apply": _PASSED_ON, "transform": _PASSED_ON}
MERGE_FUNCTION = "dask.dataframe.merge"


class ShuffleKwargRenamed(Rule):
    """
    ## What it does
    Checks for the `shuffle=` keyword of Dask DataFrame methods that took it before Dask
    renamed it `shuffle_method=`: `set_index`, `sort_values`, `shuffle`, `merge`,
    `drop_duplicates`, `groupby(...).apply` and `groupby(...).transform`, and the function
    `dask.dataframe.merge`.

    ## Why is this bad?
    Dask 2024.1.0 deprecated `shuffle=` in favour of `shuffle_method=`, and the DataFrame
    implementation that is the only one since Dask 2025.1.0 does not know it. What happens
    then depends on the method (Dask 2026.8.0): `set_index`, `sort_values` and `shuffle`
    silently ignore it (it lands in `**options`), so the shuffle method you chose is not
    used; `merge` and `drop_duplicates` raise `TypeError`; `groupby(...).apply` and
    `.transform` pass `shuffle=` on to your function.

    The receiver must be known to be a Dask DataFrame or Series: created by a
    `dask.dataframe` function (`dd.read_csv`, `dd.from_pandas`, ...), or derived from one,
    in the same module. The rule follows `target-dask-version`: a warning from 2024.1.0, an
    error from 2025.1.0.

    ## Example
    ```python
    import dask.dataframe as dd

    df = dd.read_csv("data-*.csv")
    df = df.set_index("id", shuffle="tasks")
    ```

    Use instead:
    ```python
    import dask.dataframe as dd

    df = dd.read_csv("data-*.csv")
    df = df.set_index("id", shuffle_method="tasks")
    ```

    ## Fix safety
    The fix renames the keyword to `shuffle_method=`. It is safe where `shuffle=` still
    means the shuffle method (target versions before 2025.1.0) and where it now raises
    (`merge`, `drop_duplicates`). It is unsafe where Dask now ignores the keyword
    (`set_index`, `sort_values`, `shuffle`): the named method then really runs, which
    changes the performance and, for `"p2p"`, needs a distributed Client. It is unsafe
    for `groupby(...).apply`/`.transform`, whose function stops receiving `shuffle=`. No
    fix is offered when `shuffle_method=` or `**kwargs` is also given.

    ## References
    - [Dask: Shuffling for GroupBy and Join](https://docs.dask.org/en/stable/dataframe-groupby.html)
    - dask/dask#10738 (deprecation, 2024.1.0), dask/dask#10782 (more methods)
    """

    code = "DSK1006"
    name = "shuffle-kwarg-renamed"
    summary = "`shuffle=` of DataFrame methods is now `shuffle_method=`"
    severity = Severity.ERROR
    fix_summary = "safe or unsafe (by method): rename to `shuffle_method=`"
    fix_availability = FixAvailability.SOMETIMES

    def visit_Call(self, node: cst.Call) -> None:
        arg = keyword(node, "shuffle")
        if arg is None:
            return
        method = self._method(node)
        if method is None:
            return
        what, consequence = method
        fix = self._fix(node, arg, what) if applies(self, SHUFFLE) else None
        report(self, arg, SHUFFLE, f"in `{what}` {consequence}", fix=fix)

    def _method(self, call: cst.Call) -> tuple[str, str] | None:
        """The method (as messages name it) and what Dask 2026.8.0 does with ``shuffle=``."""
        func = call.func
        if self.model.qualified_name(func) == MERGE_FUNCTION:
            return "dd.merge", _RAISES
        if not isinstance(func, cst.Attribute):
            return None
        name = func.attr.value
        if name in FRAME_METHODS:
            if is_frame(self, func.value):
                return name, FRAME_METHODS[name]
        elif name in GROUPBY_METHODS and self._is_groupby(func.value):
            return f"groupby(...).{name}", GROUPBY_METHODS[name]
        return None

    def _is_groupby(self, expr: cst.BaseExpression) -> bool:
        """``ddf.groupby(...)``, written here or bound to a name one assignment away."""
        if isinstance(expr, cst.Name):
            binding = self.model.scopes.lookup(expr.value)
            if binding is None or binding.kind is not BindingKind.VALUE or binding.value is None:
                return False
            expr = binding.value
        return (
            isinstance(expr, cst.Call)
            and isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value == "groupby"
            and is_frame(self, expr.func.value)
        )

    def _fix(self, call: cst.Call, arg: cst.Arg, what: str) -> Fix | None:
        if keyword(call, "shuffle_method") is not None or has_double_star(call):
            return None
        removed = SHUFFLE.removed
        assert removed is not None
        still_meant = self.context.target_dask_version < removed.version
        raises = what in ("merge", "drop_duplicates", "dd.merge")
        applicability = Applicability.SAFE if still_meant or raises else Applicability.UNSAFE
        return Fix.replace(
            "Rename to `shuffle_method=`",
            applicability,
            arg,
            rename_keyword(arg, "shuffle_method"),
            caveat="Dask ignores `shuffle=` here: the named method then really runs, which "
            "changes the performance (and `groupby().apply` stops passing it to the function)",
        )
