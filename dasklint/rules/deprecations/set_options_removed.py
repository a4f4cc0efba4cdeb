"""DSK1002 set-options-removed."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst
from libcst.helpers import get_full_name_for_node

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, ImportSpec, safe
from dasklint.rules._edits import dask_name, import_of
from dasklint.rules.deprecations._deprecations import (
    DeprecatedNameRule,
    Deprecation,
    dask,
    rename_keyword,
)
from dasklint.semantic.scheduler import GET_FUNCTIONS

SET_OPTIONS = Deprecation(
    "`dask.set_options`",
    deprecated=dask("0.18.0"),
    removed=dask("0.20.0"),
    advice="use `dask.config.set(...)`",
)


class SetOptionsRemoved(DeprecatedNameRule):
    """
    ## What it does
    Checks for calls of `dask.set_options(...)`, and for `from dask import set_options`
    where no reported call accounts for the import.

    ## Why is this bad?
    `dask.config.set` replaced `dask.set_options` in Dask 0.18.0, and since Dask 0.20.0
    `set_options` is gone: `dask.set_options` raises `AttributeError` and
    `from dask import set_options` raises `ImportError` (the test suite checks that the
    installed Dask has no such attribute). Its `get=` keyword is now `scheduler=`.

    The rule follows `target-dask-version`: it reports nothing below 0.18.0, a warning from
    0.18.0 and an error from 0.20.0.

    ## Example
    ```python
    import dask

    dask.set_options(num_workers=4)
    ```

    Use instead:
    ```python
    import dask

    dask.config.set(num_workers=4)
    ```

    ## Fix safety
    The fix calls `dask.config.set` with the same arguments (adding `import dask` when the
    module is not imported, and removing `from dask import set_options` when nothing else
    uses it); a `get=` keyword naming one of Dask's scheduler functions becomes
    `scheduler="threads"`, `"processes"` or `"sync"`. It is safe: `set_options` was an
    alias of `dask.config.set` from 0.18.0 until it was removed. No fix is offered when
    `get=` has any other value (Dask would refuse it under either name), or when the name
    `dask` is bound to something else.

    ## References
    - [Dask: Configuration](https://docs.dask.org/en/stable/configuration.html)
    - dask/dask#3502 (`dask.config.set`, Dask 0.18.0), dask/dask#4077 (Dask 0.20.0)
    """

    code = "DSK1002"
    name = "set-options-removed"
    summary = "`dask.set_options` was removed in Dask 0.20.0; use `dask.config.set`"
    severity = Severity.ERROR
    fix_summary = "safe: call `dask.config.set` (mapping `get=` to `scheduler=`)"
    fix_availability = FixAvailability.SOMETIMES

    deprecated_names: ClassVar[dict[str, Deprecation]] = {
        "dask.set_options": SET_OPTIONS,
        "dask.context.set_options": SET_OPTIONS,
    }

    def consequence(self, qualified: str) -> str:
        return "the name no longer exists (`AttributeError` or `ImportError`)"

    def fix_for(self, call: cst.Call, qualified: str) -> Fix | None:
        args = []
        drop: list[ImportSpec] = []
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "get":
                mapped = self._scheduler_name(arg.value)
                if mapped is None:
                    return None
                args.append(rename_keyword(arg, "scheduler", mapped[0]))
                drop.append(mapped[1])
            else:
                args.append(arg)
        func = call.func
        add: tuple[ImportSpec, ...] = ()
        if isinstance(func, cst.Attribute) and self.model.qualified_name(func.value) == "dask":
            base: cst.BaseExpression = func.value
        else:
            name, add = dask_name(self.model)
            if name is None:
                return None
            base = cst.Name(name)
            written = get_full_name_for_node(func)
            if written is not None:
                drop.append(import_of(written, qualified))
        new_func = cst.Attribute(cst.Attribute(base, cst.Name("config")), cst.Name("set"))
        return safe(
            "Call `dask.config.set`",
            call,
            call.with_changes(func=new_func, args=args),
            add_imports=add,
            remove_imports=tuple(drop),
        )

    def _scheduler_name(
        self, value: cst.BaseExpression
    ) -> tuple[cst.SimpleString, ImportSpec] | None:
        qualified = self.model.qualified_name(value)
        written = get_full_name_for_node(value)
        if qualified not in GET_FUNCTIONS or written is None:
            return None
        name = GET_FUNCTIONS[qualified].value
        return cst.SimpleString(f'"{name}"'), import_of(written, qualified)
