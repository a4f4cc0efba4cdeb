"""DSK001 invalid-syntax, DSK002 io-error and DSK003 internal-error: reported by the engine,
not by a visitor.

They are rules so that they have codes, names and documentation like every other rule.
"""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule


class InvalidSyntax(Rule):
    """
    ## What it does
    Reports a file that the Python parser (libcst) cannot parse, with the parser's line,
    column and message.

    ## Why is this bad?
    A file that does not parse cannot be checked, and will not run. The other files are
    still linted.

    ## Example
    ```python
    import dask
    dask.compute(
    ```

    Use instead:
    ```python
    import dask
    dask.compute()
    ```

    ## Fix safety
    No fix is offered.

    ## References
    - [libcst parser](https://libcst.readthedocs.io/en/latest/parser.html)
    """

    code = "DSK001"
    name = "invalid-syntax"
    summary = "The file cannot be parsed"
    severity = Severity.ERROR
    planned_fix = "none"


class IoError(Rule):
    """
    ## What it does
    Reports a path that cannot be read: it does not exist, is not readable, or its bytes
    are not valid in the file's declared encoding. Also a file larger than 4 MiB of
    Python source (for a notebook: of its code cells), which is not parsed: libcst's tree
    takes several hundred bytes of memory per byte of source, so a 20 MB module would
    need gigabytes and minutes.

    ## Why is this bad?
    A path the linter was asked to check and could not read would otherwise pass silently.

    ## Example
    ```python
    # a path given on the command line that does not exist, e.g. `dasklint check missing.py`
    ```

    Use instead:
    ```python
    # a path that exists and is readable
    ```

    ## Fix safety
    No fix is offered.

    ## References
    - [ruff's E902](https://docs.astral.sh/ruff/rules/io-error/), the same idea
    """

    code = "DSK002"
    name = "io-error"
    summary = "The path cannot be read"
    severity = Severity.ERROR
    planned_fix = "none"


class InternalError(Rule):
    """
    ## What it does
    Reports a failure inside dasklint while it checked the file: a rule, the semantic
    model that every rule reads, or the engine raised an exception. The message names
    what failed and the exception (ruff reports the same situation as "panicked while
    linting"). When a rule fails, only its findings are left out: the other rules' findings
    and fixes are kept. When the semantic model fails, no rule can check the file.

    ## Why is this bad?
    It is a bug in dasklint, not in the code checked: valid code never triggers it. The
    file was not fully checked, so the run does not pass (exit status 1); the other files
    are still checked.

    ## Example
    ```python
    # any file on which a rule of this version of dasklint fails
    ```

    Use instead:
    ```python
    # nothing to change in the file: please report the bug with the file's contents
    ```

    ## Fix safety
    No fix is offered.

    ## References
    - [ruff: "Panicked while linting"](https://github.com/astral-sh/ruff/issues/11107)
    """

    code = "DSK003"
    name = "internal-error"
    summary = "dasklint failed while checking the file (a bug in dasklint)"
    severity = Severity.ERROR
    planned_fix = "none"


ENGINE_RULES: tuple[type[Rule], ...] = (InvalidSyntax, IoError, InternalError)
