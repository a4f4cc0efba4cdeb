"""DSK1001 get-keyword-removed."""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node

from dasklint.diagnostics import Applicability, FixAvailability, Severity
from dasklint.fix import Fix, ImportSpec, safe
from dasklint.rule import Rule
from dasklint.rules._edits import import_of, keyword, string_like
from dasklint.rules.deprecations._deprecations import (
    Deprecation,
    applies,
    dask,
    rename_keyword,
    report,
)
from dasklint.semantic import CollectionKind
from dasklint.semantic.scheduler import GET_FUNCTIONS

GET_KEYWORD = Deprecation(
    "`get=`",
    deprecated=dask("0.18.0"),
    removed=dask("0.20.0"),
    advice="use `scheduler=` with a scheduler name, a Client or a scheduler function",
)
_ERROR = "`{kind}: The get= keyword has been removed`"


class GetKeywordRemoved(Rule):
    """
    ## What it does
    Checks for the `get=` keyword of `.compute()`, `.persist()`, `dask.compute`,
    `dask.persist` and `dask.config.set` (as a keyword or as a `{"get": ...}` entry).

    ## Why is this bad?
    `scheduler=` replaced `get=` in Dask 0.18.0, and since Dask 0.20.0 `get=` raises
    `TypeError: The get= keyword has been removed` at a compute call. Set through
    `dask.config.set(get=...)`, it makes every later compute that names no scheduler raise
    `ValueError` with the same message. `persist(get=...)` does not raise (Dask 2026.8.0):
    the keyword is handed to the scheduler function, which ignores it, so the graph runs
    on the default scheduler instead of the one named. The test suite checks all three
    with the installed Dask.

    The rule follows `target-dask-version`: it reports nothing below 0.18.0, a warning from
    0.18.0 and an error from 0.20.0.

    ## Example
    ```python
    import dask
    import dask.threaded

    total = dask.delayed(sum)([1, 2])
    total.compute(get=dask.threaded.get)
    ```

    Use instead:
    ```python
    import dask

    total = dask.delayed(sum)([1, 2])
    total.compute(scheduler="threads")
    ```

    ## Fix safety
    When the value is one of Dask's scheduler functions (`dask.threaded.get`,
    `dask.multiprocessing.get`, `dask.get`, `dask.local.get_sync`) the fix writes the
    scheduler's name (`"threads"`, `"processes"`, `"sync"`); for a Client's `get`
    (`client.get`) it writes `scheduler=client`. A `from ... import` of the function is
    removed when nothing else uses it. The fix is safe: `dask.base.get_scheduler` maps each
    name to that same function, and a Client passed as `scheduler=` runs the graph with its
    `get`, so the graph runs where `get=` meant it to run (which Dask 0.20.0 and later
    refuse to do with `get=`). For `persist`, where Dask now ignores `get=`, the fix is
    unsafe: the scheduler it names then really runs instead of the default one, which
    changes where and how fast the graph runs. No fix is offered for another value or when
    `scheduler=` is given too. `scheduler="processes"` may then be reported by DSK101.

    ## References
    - [Dask: Scheduling, configuration](https://docs.dask.org/en/stable/scheduling.html)
    - dask/dask#3448 (`scheduler=`, Dask 0.18.0), dask/dask#4077 (`get=` raises, Dask 0.20.0)
    - `dask/base.py` `get_scheduler` (2026.8.0): `if get: raise TypeError(get_err_msg)`
    """

    code = "DSK1001"
    name = "get-keyword-removed"
    summary = "The `get=` keyword was removed in Dask 0.20.0; use `scheduler=`"
    severity = Severity.ERROR
    fix_summary = 'safe (unsafe for `persist`): `scheduler="threads"` etc. for a known `get`'
    fix_availability = FixAvailability.SOMETIMES

    def finish(self) -> None:
        for site in self.model.compute_sites:
            if site.function not in ("compute", "persist"):
                continue
            arg = keyword(site.call, "get")
            if arg is None:
                continue
            # Dask 2026.8.0: `compute` raises; `persist` hands `get=` to the scheduler
            # function, which ignores it, so the default scheduler runs.
            ignored = site.function == "persist"
            fix = None
            if keyword(site.call, "scheduler") is None and applies(self, GET_KEYWORD):
                fix = self._keyword_fix(arg, unsafe_when_removed=ignored)
            consequence = (
                "`persist` silently ignores it and runs the default scheduler"
                if ignored
                else f"`compute` raises {_ERROR.format(kind='TypeError')}"
            )
            report(self, arg, GET_KEYWORD, consequence, advice=self._advice(arg.value), fix=fix)

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.qualified_name(node.func) != "dask.config.set":
            return
        consequence = (
            f"a later compute that names no scheduler raises {_ERROR.format(kind='ValueError')}"
        )
        arg = keyword(node, "get")
        if arg is not None:
            fix = None
            if keyword(node, "scheduler") is None and applies(self, GET_KEYWORD):
                fix = self._keyword_fix(arg)
            report(self, arg, GET_KEYWORD, consequence, advice=self._advice(arg.value), fix=fix)
        for argument in node.args:
            if argument.keyword is not None or not isinstance(argument.value, cst.Dict):
                continue
            entries = _string_keyed(argument.value)
            element = entries.get("get")
            if element is None:
                continue
            fix = None
            if "scheduler" not in entries and applies(self, GET_KEYWORD):
                fix = self._entry_fix(element)
            report(
                self,
                element,
                GET_KEYWORD,
                consequence,
                subject='`{"get": ...}`',
                advice=self._advice(element.value),
                fix=fix,
            )

    # ------------------------------------------------------------------ replacements
    def _scheduler_value(
        self, value: cst.BaseExpression
    ) -> tuple[cst.BaseExpression, tuple[ImportSpec, ...]] | None:
        """What to give ``scheduler=`` for a ``get=`` value, and the import to drop."""
        qualified = self.model.qualified_name(value)
        if qualified in GET_FUNCTIONS:
            written = get_full_name_for_node(value)
            if written is None:
                return None
            name = GET_FUNCTIONS[qualified].value
            return cst.SimpleString(f'"{name}"'), (import_of(written, qualified),)
        if (
            isinstance(value, cst.Attribute)
            and value.attr.value == "get"
            and self.model.collection_kind(value.value) is CollectionKind.CLIENT
        ):
            return value.value, ()
        return None

    def _advice(self, value: cst.BaseExpression) -> str | None:
        found = self._scheduler_value(value)
        if found is None:
            return None
        replacement = found[0]
        if isinstance(replacement, cst.SimpleString):
            return f"use `scheduler={replacement.value}`"
        shown = get_full_name_for_node(replacement) or "client"
        return f"use `scheduler={shown}` (the Client itself)"

    def _keyword_fix(self, arg: cst.Arg, unsafe_when_removed: bool = False) -> Fix | None:
        found = self._scheduler_value(arg.value)
        if found is None:
            return None
        value, drop = found
        removed = GET_KEYWORD.removed
        level = Applicability.SAFE
        if unsafe_when_removed and removed and self.context.target_dask_version >= removed.version:
            level = Applicability.UNSAFE
        replacement = rename_keyword(arg, "scheduler", value)
        return Fix.replace(
            "Use `scheduler=`",
            level,
            arg,
            replacement,
            caveat="Dask ignores `get=` here: the scheduler it names then really runs instead "
            "of the default one",
            remove_imports=drop,
        )

    def _entry_fix(self, element: cst.DictElement) -> Fix | None:
        found = self._scheduler_value(element.value)
        if found is None:
            return None
        value, drop = found
        replacement = element.with_changes(key=string_like(element.key, "scheduler"), value=value)
        return safe('Use `"scheduler"`', element, replacement, remove_imports=drop)


def _string_keyed(display: cst.Dict) -> dict[str, cst.DictElement]:
    out: dict[str, cst.DictElement] = {}
    for element in display.elements:
        if isinstance(element, cst.DictElement) and isinstance(
            element.key, (cst.SimpleString, cst.ConcatenatedString)
        ):
            key = element.key.evaluated_value
            if isinstance(key, str):
                out[key] = element
    return out
