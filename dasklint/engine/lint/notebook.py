"""Linting and fixing a notebook: the code cells as one module, findings per cell.

Diagnostics carry the cell number (1-based, counting every cell, as editors number
them) and rows within the cell; fix edits are translated the same way
(:mod:`dasklint.notebook.positions`). A notebook that cannot be read is a DSK002 finding.
Jupyter compiles each cell on its own, so a cell that does not parse is a DSK001 finding
in that cell, and the other cells are linted without it. Fixing a notebook
(:mod:`dasklint.engine.fix.notebook`) joins and maps its cells with the same pieces.

The module linter is passed in (``lint_module``): :func:`dasklint.engine.lint.linter.lint_source`
hands notebooks here, so this module sits below the linter.
"""

from __future__ import annotations

from collections.abc import Callable

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Diagnostic, FileResult
from dasklint.engine.lint.engine_findings import engine_error, parse_problem, syntax_diagnostic
from dasklint.notebook.cells import Joined, join
from dasklint.notebook.jsonmap import NotebookError, load
from dasklint.notebook.positions import mapped
from dasklint.rules.engine_rules import InvalidSyntax
from dasklint.semantic.origin import Origin, SourceKind

# Lints one module's bytes (a notebook's cells joined) as the module ``origin`` says.
LintModule = Callable[[bytes, str, FileSettings, Origin], FileResult]


def read(source: bytes, filename: str, settings: FileSettings) -> Joined | FileResult:
    """The code cells joined into one module, or the DSK002 result of a broken notebook."""
    try:
        text, cells = load(source)
    except NotebookError as exc:
        return engine_error(filename, settings, str(exc))
    return join(cells, text)


def origin_of(joined: Joined) -> Origin:
    return Origin(
        SourceKind.NOTEBOOK,
        separator=f"# {joined.cell_token} ",
        numbers=tuple(cell.index + 1 for cell in joined.cells),
    )


def unparsed(result: FileResult) -> bool:
    return any(d.code == InvalidSyntax.code for d in result.diagnostics)


def without_broken_cells(
    joined: Joined, filename: str, settings: FileSettings
) -> tuple[Joined, list[Diagnostic]] | None:
    """The notebook joined again with each cell that does not parse on its own masked
    from the row of its error (or whole, when what comes before does not parse either),
    and a DSK001 finding for each; None when every cell parses on its own (the joined
    module's own error then stands)."""
    problems: dict[int, tuple[int, int, str]] = {}
    broken: dict[int, int] = {}
    for position, segment in enumerate(joined.segments):
        problem = parse_problem("".join(segment).encode("utf-8"))
        if problem is None:
            continue
        row = min(max(problem[0], 1), len(segment))
        problems[position] = (row, *problem[1:])
        head = "".join(segment[: row - 1])
        broken[position] = row if head.strip() and parse_problem(head.encode()) is None else 1
    if not broken:
        return None
    again = join(joined.cells, joined.everything, broken=broken)
    found = []
    for position, (row, column, message) in problems.items():
        # The column in the cell's own line (the line is a comment when joined again).
        column = joined.column(joined.module_row(position, row), column)
        module_row = again.module_row(position, row)
        found.append(syntax_diagnostic(filename, settings, module_row, column, message))
    return again, found


def lint_notebook(
    source: bytes, filename: str, settings: FileSettings, lint_module: LintModule
) -> FileResult:
    joined = read(source, filename, settings)
    if isinstance(joined, FileResult):
        return joined
    result = lint_module(joined.text.encode("utf-8"), filename, settings, origin_of(joined))
    broken: list[Diagnostic] = []
    if unparsed(result):
        split_up = without_broken_cells(joined, filename, settings)
        if split_up is not None:
            joined, broken = split_up
            module = joined.text.encode("utf-8")
            result = lint_module(module, filename, settings, origin_of(joined))
    return with_broken(broken, mapped(result, joined), joined)


def with_broken(broken: list[Diagnostic], result: FileResult, joined: Joined) -> FileResult:
    """``result`` with the DSK001 findings of the cells that do not parse (rows of the
    module ``joined``) in cell coordinates, first."""
    if not broken:
        return result
    cells = mapped(FileResult(result.filename, broken), joined).diagnostics
    found = sorted([*cells, *result.diagnostics], key=lambda d: d.sort_key())
    return FileResult(result.filename, found, error=result.error)
