"""DSK1003 dask-async-module: reported by the engine, which finds it before parsing."""

from __future__ import annotations

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.rule import Rule
from dasklint.rules.deprecations._deprecations import Deprecation, dask

ASYNC_MODULE = Deprecation(
    "`dask.async`",
    deprecated=dask("0.15.0"),
    removed=dask("0.16.0"),
    advice='import from `dask.local` (or compute with `scheduler="sync"`)',
)
CONSEQUENCE = "`async` is a keyword since Python 3.7, so the line is a syntax error"
FIX_TITLE = "Import from `dask.local`"


class DaskAsyncModule(Rule):
    """
    ## What it does
    Checks for the module `dask.async`: `from dask.async import get_sync`,
    `import dask.async` and `dask.async.get_sync`.

    ## Why is this bad?
    Dask 0.15.0 moved the module to `dask.local` and Dask 0.16.0 removed `dask.async`.
    Since Python 3.7 `async` is a keyword, so such a line does not even parse: the file
    fails with a bare `SyntaxError`, and a linter built on a parser could only report
    "invalid syntax" (libcst refuses the line for every Python version it parses). dasklint
    finds the spelling in the tokens before parsing, reports it here instead, and lints
    the rest of the file as if it said `dask.local`; any other syntax error is still
    reported as DSK001.

    The rule follows `target-dask-version`: a warning from 0.15.0, an error from 0.16.0.
    `from dask import async` is not recognised (it is reported as DSK001).

    ## Example
    ```python
    from dask.async import get_sync
    ```

    Use instead:
    ```python
    from dask.local import get_sync
    ```

    ## Fix safety
    The fix writes `local` in place of `async` after `dask.`. It is safe: the functions of
    `dask.async` (`get_sync`, `get_async`, ...) moved to `dask.local` unchanged, and the
    line could not run before. It is applied before the file is parsed, together with the
    other rules' fixes. It is not offered when the file has another syntax error (the
    fixed file would still not parse) or for a line whose finding is suppressed.

    ## References
    - [Dask: Scheduler overview, debugging with the single-threaded scheduler](https://docs.dask.org/en/stable/scheduler-overview.html)
    - dask/dask#2318 (moved to `dask.local`, 0.15.0), dask/dask#2828 (removed, 0.16.0)
    """

    code = "DSK1003"
    name = "dask-async-module"
    summary = "`dask.async` is now `dask.local` (and a syntax error since Python 3.7)"
    severity = Severity.ERROR
    fix_summary = "safe: write `dask.local`"
    fix_availability = FixAvailability.SOMETIMES
