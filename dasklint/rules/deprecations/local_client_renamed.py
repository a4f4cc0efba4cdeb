"""DSK1004 local-client-renamed."""

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

LOCAL_CLIENT = Deprecation(
    "`local_client`",
    deprecated=distributed("1.16.0", same_time_as_dask="0.14.0"),
    removed=None,
    advice="use `worker_client` (same arguments)",
)


class LocalClientRenamed(DeprecatedNameRule):
    """
    ## What it does
    Checks for calls of `distributed.local_client` (also imported from
    `dask.distributed` or `distributed.worker_client`).

    ## Why is this bad?
    `local_client` was renamed `worker_client` in distributed 1.16.0 (2017). The old name
    is a shim that still exists in distributed 2026.8.0: it warns
    `local_client has moved to worker_client` and calls `worker_client` with the same
    arguments (the test suite checks this with the installed distributed).

    The rule follows `target-dask-version` (distributed has the same version numbers as
    Dask since 2021; 1.16.0 came out with Dask 0.14.0) and reports a warning: the shim has
    not been removed.

    ## Example
    ```python
    from dask.distributed import local_client

    def task(x):
        with local_client() as client:
            return client.submit(abs, x).result()
    ```

    Use instead:
    ```python
    from dask.distributed import worker_client

    def task(x):
        with worker_client() as client:
            return client.submit(abs, x).result()
    ```

    ## Fix safety
    The fix writes `worker_client` in place of `local_client`, imports it from the module
    `local_client` came from, and removes the old import when nothing else uses it. It is
    safe: the shim only warns and calls `worker_client(*args, **kwargs)`. No fix is offered
    when the name `worker_client` is already bound to something else.

    ## References
    - [distributed: Launch tasks from tasks](https://distributed.dask.org/en/stable/task-launch.html)
    - dask/distributed#900 (rename, distributed 1.16.0); `distributed/worker_client.py`
    """

    code = "DSK1004"
    name = "local-client-renamed"
    summary = "`local_client` was renamed `worker_client` in distributed 1.16.0"
    severity = Severity.WARNING
    fix_summary = "safe: write `worker_client`"
    fix_availability = FixAvailability.SOMETIMES

    deprecated_names: ClassVar[dict[str, Deprecation]] = {
        "distributed.local_client": LOCAL_CLIENT,
        "distributed.worker_client.local_client": LOCAL_CLIENT,
    }

    def fix_for(self, call: cst.Call, qualified: str) -> Fix | None:
        renamed = renamed_reference(self, call.func, "worker_client")
        if renamed is None:
            return None
        replacement, add, drop = renamed
        return safe(
            "Use `worker_client`", call.func, replacement, add_imports=add, remove_imports=drop
        )
