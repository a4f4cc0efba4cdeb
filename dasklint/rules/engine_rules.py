"""DSK001 invalid-syntax, DSK002 io-error, DSK003 internal-error and DSK004 unused-noqa:
reported by the engine, not by a visitor.

They are rules so that they have codes, names and documentation like every other rule.
"""

from __future__ import annotations

from dasklint.diagnostics import FixAvailability, Severity
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
    fix_summary = "none"


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
    fix_summary = "none"


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
    fix_summary = "none"


class UnusedNoqa(Rule):
    """
    ## What it does
    Reports the dasklint codes of a `# noqa: ...` comment that suppressed nothing on their
    line: the rule did not report anything there (`unused`), the rule is not enabled for the
    file (`non-enabled`), or no rule has that code (`unknown`, such as a mistyped `DSK9999`).
    It is ruff's `RUF100` for dasklint's codes, with the same message.

    Only dasklint's codes are judged (`DSK...` codes and rule names): the codes of other
    tools in the same comment (`# noqa: E501, DSK101`) and a bare `# noqa` are left alone,
    since dasklint cannot know what they suppress. `# dasklint: ignore[...]` and file-level
    `# dasklint: noqa` comments are not judged either.

    ## Why is this bad?
    A suppression that no longer suppresses anything hides the next real finding on that
    line, and tells readers of a problem that is not there. A mistyped code suppresses
    nothing at all.

    ## Example
    ```python
    import dask

    jobs = [dask.delayed(sum)([1, 2])]
    dask.compute(*jobs)  # noqa: DSK101
    ```

    Use instead:
    ```python
    import dask

    jobs = [dask.delayed(sum)([1, 2])]
    dask.compute(*jobs)
    ```

    ## Fix safety
    The fix is safe: it removes the unused codes from the comment, and the whole `# noqa`
    directive when no code is left (with the explanation written after its codes, as ruff
    does); other comments on the line stay. A `# noqa: DSK004` on the line keeps it.

    ## References
    - [ruff's RUF100 unused-noqa](https://docs.astral.sh/ruff/rules/unused-noqa/)
    """

    code = "DSK004"
    name = "unused-noqa"
    summary = "A `# noqa` code that suppresses nothing"
    severity = Severity.WARNING
    fix_availability = FixAvailability.ALWAYS
    fix_summary = "remove the unused codes"


ENGINE_RULES: tuple[type[Rule], ...] = (InvalidSyntax, IoError, InternalError, UnusedNoqa)
