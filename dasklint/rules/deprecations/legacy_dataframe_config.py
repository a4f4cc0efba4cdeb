"""DSK1007 legacy-dataframe-config."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, unsafe, with_caveat
from dasklint.rule import Rule
from dasklint.rules._edits import remove_args, remove_dict_entries, unwrap_with
from dasklint.rules.deprecations._deprecations import Deprecation, applies, dask, report

LEGACY_DATAFRAME = Deprecation(
    '`"dataframe.query-planning": False`',
    deprecated=dask("2024.11.2"),
    removed=dask("2025.1.0"),
    advice="remove the setting (the query-planning implementation is the only one)",
    about="the setting chooses the legacy DataFrame implementation",
)
KEY = "dataframe.query-planning"
_CONSEQUENCE = (
    "with it set, `import dask.dataframe` raises `NotImplementedError: The legacy "
    "implementation is no longer supported`"
)

# What the fix may change (it is unsafe).
_FIX_CAVEAT = (
    "on a Dask that still has the legacy implementation, the program switches to the "
    "query-planning one: same results, other performance and graphs"
)


def _normal(key: str) -> str:
    """Dask's spelling of a config key: ``__`` nests, ``_`` and ``-`` are the same."""
    return key.replace("__", ".").replace("_", "-")


class LegacyDataframeConfig(Rule):
    """
    ## What it does
    Checks for `dask.config.set` turning query planning off for DataFrames:
    `{"dataframe.query-planning": False}` or `dataframe__query_planning=False` (also with
    a name bound to `False`).

    ## Why is this bad?
    The setting chose the legacy DataFrame implementation. Dask 2024.11.2 deprecated that
    implementation and Dask 2025.1.0 removed it: with the setting in force,
    `import dask.dataframe` raises `NotImplementedError: The legacy implementation is no
    longer supported` (the test suite checks this with the installed Dask). Setting it to
    `True` or `None` is harmless and not reported, and so is `"array.query-planning"`,
    which is a current setting of Dask Array.

    The rule follows `target-dask-version`: a warning from 2024.11.2, an error from
    2025.1.0. The environment variable `DASK_DATAFRAME__QUERY_PLANNING` and YAML
    configuration files are not checked.

    ## Example
    ```python
    import dask

    dask.config.set({"dataframe.query-planning": False, "num_workers": 4})
    ```

    Use instead:
    ```python
    import dask

    dask.config.set({"num_workers": 4})
    ```

    ## Fix safety
    The fix deletes the entry or keyword; when it is the only setting, it deletes the whole
    `dask.config.set(...)` statement, or unwraps `with dask.config.set(...):` into its body.
    It is unsafe: on a Dask that still has the legacy implementation the program switches to
    the query-planning one, whose results are the same but whose performance, graph and some
    behaviours are not. No fix is offered where the call is part of a larger expression.

    ## References
    - [Dask: DataFrame, query planning](https://docs.dask.org/en/stable/dataframe.html)
    - dask/dask#11437 (deprecation, 2024.11.2); Dask 2025.1.0 changelog "Legacy Dask
      DataFrame Implementation removed"; `dask/dataframe/__init__.py` (2026.8.0)
    """

    code = "DSK1007"
    name = "legacy-dataframe-config"
    summary = "The legacy DataFrame implementation was removed in Dask 2025.1.0"
    severity = Severity.ERROR
    fix_summary = "unsafe: delete the setting"
    fix_availability = FixAvailability.SOMETIMES

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.qualified_name(node.func) != "dask.config.set":
            return
        for arg in node.args:
            if arg.keyword is not None:
                if _normal(arg.keyword.value) == KEY and self._is_false(arg.value):
                    fix = (
                        with_caveat(self._fix(node, arg, None), _FIX_CAVEAT)
                        if applies(self, LEGACY_DATAFRAME)
                        else None
                    )
                    report(self, arg, LEGACY_DATAFRAME, _CONSEQUENCE, fix=fix)
            elif not arg.star and isinstance(arg.value, cst.Dict):
                for element in arg.value.elements:
                    if (
                        isinstance(element, cst.DictElement)
                        and isinstance(element.key, (cst.SimpleString, cst.ConcatenatedString))
                        and isinstance(key := element.key.evaluated_value, str)
                        and _normal(key) == KEY
                        and self._is_false(element.value)
                    ):
                        fix = None
                        if applies(self, LEGACY_DATAFRAME):
                            fix = with_caveat(self._fix(node, arg, element), _FIX_CAVEAT)
                        report(self, element, LEGACY_DATAFRAME, _CONSEQUENCE, fix=fix)

    def _is_false(self, expr: cst.BaseExpression) -> bool:
        constant = self.model.constant(expr)
        return constant is not None and constant.value is False

    def _fix(self, call: cst.Call, arg: cst.Arg, element: cst.DictElement | None) -> Fix | None:
        title = "Remove the legacy DataFrame setting"
        if element is not None:
            assert isinstance(arg.value, cst.Dict)
            others = [e for e in arg.value.elements if e is not element]
            if others:
                return unsafe(title, arg.value, remove_dict_entries(arg.value, [element]))
            if len(call.args) > 1:
                return unsafe(title, call, remove_args(call, [arg]))
        elif len(call.args) > 1:
            return unsafe(title, call, remove_args(call, [arg]))
        return self._remove_call(call, title)

    def _remove_call(self, call: cst.Call, title: str) -> Fix | None:
        """Delete a ``dask.config.set(...)`` that sets nothing else: its statement, or the
        ``with`` around a body."""
        chain = list(self.model.parents.ancestors(call))
        if len(chain) < 2:
            return None
        parent, grand = chain[0], chain[1]
        if isinstance(parent, cst.WithItem) and isinstance(grand, cst.With):
            body = unwrap_with(grand)
            return unsafe(title, grand, body) if body is not None else None
        if not (isinstance(parent, cst.Expr) and isinstance(grand, cst.SimpleStatementLine)):
            return None
        if len(grand.body) > 1:
            return unsafe(title, parent, cst.RemovalSentinel.REMOVE)
        block = chain[2] if len(chain) > 2 else None
        siblings = block.body if isinstance(block, (cst.Module, cst.IndentedBlock)) else ()
        if isinstance(block, cst.Module) or len(siblings) > 1:
            return unsafe(title, grand, cst.RemovalSentinel.REMOVE)
        return unsafe(title, grand, cst.SimpleStatementLine([cst.Pass()]))
