"""DSK1005 executor-renamed."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, safe
from dasklint.rules.deprecations._deprecations import (
    DeprecatedNameRule,
    Deprecation,
    distributed,
    renamed_reference,
)

EXECUTOR = Deprecation(
    "`distributed.Executor`",
    deprecated=distributed("1.13.0", same_time_as_dask="0.11.0"),
    removed=distributed("2022.4.2"),
    advice="use `Client` (same arguments)",
)


class ExecutorRenamed(DeprecatedNameRule):
    """
    ## What it does
    Checks for calls of `distributed.Executor` (also imported from `dask.distributed` or
    `distributed.client`), and for `from distributed import Executor` where no reported
    call accounts for the import.

    ## Why is this bad?
    `Executor` was renamed `Client` in distributed 1.13.0 (2016); the old name stayed as a
    subclass that warned `Executor has been renamed to Client` until distributed 2022.4.1,
    and distributed 2022.4.2 removed it. Since then `from distributed import Executor`
    raises `ImportError` (the test suite checks the installed distributed).
    `CompatibleExecutor` is another, unrelated name and is not reported.

    The rule follows `target-dask-version` (distributed has the same version numbers as
    Dask since 2021; 1.13.0 is compared as Dask 0.11.0, the release of that time): a
    warning before 2022.4.2, an error from 2022.4.2.

    ## Example
    ```python
    from dask.distributed import Executor

    executor = Executor("tcp://scheduler:8786")
    ```

    Use instead:
    ```python
    from dask.distributed import Client

    client = Client("tcp://scheduler:8786")
    ```

    ## Fix safety
    The fix writes `Client` in place of `Executor` at each call, imports it from the module
    `Executor` came from, and removes the old import when nothing else uses it. It is safe:
    `Executor` was `Client` with a warning added. No fix is offered when the name `Client`
    is already bound to something else; an import of `Executor` that is not called is
    reported without a fix.

    ## References
    - [distributed: Client](https://distributed.dask.org/en/stable/client.html)
    - dask/distributed#492 (rename, 1.13.0), dask/distributed#1302 (warning, 1.18.1);
      `Executor` is in distributed 2022.4.1 and absent from 2022.4.2
    """

    code = "DSK1005"
    name = "executor-renamed"
    summary = "`distributed.Executor` was removed in distributed 2022.4.2; use `Client`"
    severity = Severity.ERROR
    fix_summary = "safe: write `Client`"
    fix_availability = FixAvailability.SOMETIMES

    deprecated_names: ClassVar[dict[str, Deprecation]] = {
        "distributed.Executor": EXECUTOR,
        "distributed.client.Executor": EXECUTOR,
    }

    def consequence(self, qualified: str) -> str:
        return "importing it raises `ImportError`"

    def fix_for(self, call: cst.Call, qualified: str) -> Fix | None:
        renamed = renamed_reference(self, call.func, "Client")
        if renamed is None:
            return None
        replacement, add, drop = renamed
        return safe("Use `Client`", call.func, replacement, add_imports=add, remove_imports=drop)
