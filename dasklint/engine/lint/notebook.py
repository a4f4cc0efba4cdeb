"""Linting and fixing a notebook: the code cells as one module, findings per cell.

Diagnostics carry the cell number (1-based, counting every cell, as editors number
them) and rows within the cell; fix edits are translated the same way
(:mod:`dasklint.notebook.positions`). A notebook that cannot be read is a DSK002 finding.
Jupyter compiles each cell on its own, so a cell that does not parse is a DSK001 finding
in that cell, and the other cells are linted without it. Fixes run through the same fix
loop as ``.py`` files; the fixed cells are spliced into the notebook's JSON text
(:func:`dasklint.notebook.jsonmap.splice`), leaving every other byte alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Diagnostic, FileResult
from dasklint.notebook.cells import Joined, join, split
from dasklint.notebook.jsonmap import NotebookError, load, splice
from dasklint.notebook.positions import mapped
from dasklint.rules.engine_rules import InvalidSyntax
from dasklint.semantic.origin import Origin, SourceKind
from dasklint.semantic.project import ProjectIndex

if TYPE_CHECKING:
    from dasklint.engine.fix.loop import FixOutcome, Rewrite

BOM = b"\xef\xbb\xbf"


def _read(source: bytes, filename: str, settings: FileSettings) -> Joined | FileResult:
    from dasklint.engine.lint.linter import engine_error

    try:
        text, cells = load(source)
    except NotebookError as exc:
        return engine_error(filename, settings, str(exc))
    return join(cells, text)


def _origin(joined: Joined) -> Origin:
    return Origin(
        SourceKind.NOTEBOOK,
        separator=f"# {joined.cell_token} ",
        numbers=tuple(cell.index + 1 for cell in joined.cells),
    )


def _unparsed(result: FileResult) -> bool:
    return any(d.code == InvalidSyntax.code for d in result.diagnostics)


def _without_broken_cells(
    joined: Joined, filename: str, settings: FileSettings
) -> tuple[Joined, list[Diagnostic]] | None:
    """The notebook joined again with each cell that does not parse on its own masked
    from the row of its error (or whole, when what comes before does not parse either),
    and a DSK001 finding for each; None when every cell parses on its own (the joined
    module's own error then stands)."""
    from dasklint.engine.lint.linter import parse_problem, syntax_diagnostic

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
    source: bytes, filename: str, settings: FileSettings, index: ProjectIndex | None = None
) -> FileResult:
    from dasklint.engine.lint.linter import lint_python

    joined = _read(source, filename, settings)
    if isinstance(joined, FileResult):
        return joined
    result = lint_python(
        joined.text.encode("utf-8"), filename, settings, index, origin=_origin(joined)
    )
    broken: list[Diagnostic] = []
    if _unparsed(result):
        split_up = _without_broken_cells(joined, filename, settings)
        if split_up is not None:
            joined, broken = split_up
            module = joined.text.encode("utf-8")
            result = lint_python(module, filename, settings, index, origin=_origin(joined))
    return _with(broken, mapped(result, joined), joined)


def fix_notebook(
    source: bytes,
    filename: str,
    settings: FileSettings,
    index: ProjectIndex | None = None,
    rewrite: Rewrite | None = None,
) -> FixOutcome:
    """Fix the code cells, or ``rewrite`` them (see :func:`dasklint.engine.fix.loop.fix_source`)."""
    from dasklint.engine.fix.loop import FIX, FixOutcome, fix_python

    rewrite = rewrite or FIX
    from dasklint.engine.lint.linter import lint_python

    joined = _read(source, filename, settings)
    if isinstance(joined, FileResult):
        return FixOutcome(source, source, joined)
    module = joined.text.encode("utf-8")
    origin = _origin(joined)
    outcome = fix_python(module, filename, settings, index, origin=origin, rewrite=rewrite)
    broken: list[Diagnostic] = []
    if not outcome.changed and _unparsed(outcome.result):
        split_up = _without_broken_cells(joined, filename, settings)
        if split_up is not None:
            joined, broken = split_up
            module, origin = joined.text.encode("utf-8"), _origin(joined)
            outcome = fix_python(module, filename, settings, index, origin=origin, rewrite=rewrite)
    if not outcome.changed:
        result = _with(broken, mapped(outcome.result, joined), joined)
        return FixOutcome(source, source, result, outcome.fixed, outcome.dropped, outcome.converged)
    cells = split(joined, outcome.source.decode("utf-8"))
    if cells is None:
        # A fix moved a cell separator or lost a masked magic: keep the notebook as it was.
        result = lint_python(module, filename, settings, index, origin=origin)
        result = _with(broken, mapped(result, joined), joined)
        dropped = [*outcome.dropped, "fixes that would move code across notebook cells"]
        return FixOutcome(source, source, result, dropped=dropped)
    originals = {cell.index: cell.source for cell in joined.cells}
    changed = {i: text for i, text in cells.items() if text != originals[i]}
    bom = BOM if source.startswith(BOM) else b""
    text = source[len(bom) :].decode("utf-8")
    new_bytes = bom + splice(text, changed).encode("utf-8")
    # The remaining findings are rows of the fixed module: map them with the new cells.
    new_text, new_cells = load(new_bytes)
    new_joined = join(new_cells, new_text, broken=joined.broken)
    result = _with(broken, mapped(outcome.result, new_joined), joined)
    return FixOutcome(source, new_bytes, result, outcome.fixed, outcome.dropped, outcome.converged)


def _with(broken: list[Diagnostic], result: FileResult, joined: Joined) -> FileResult:
    """``result`` with the DSK001 findings of the cells that do not parse (rows of the
    module ``joined``) in cell coordinates, first."""
    if not broken:
        return result
    cells = mapped(FileResult(result.filename, broken), joined).diagnostics
    found = sorted([*cells, *result.diagnostics], key=lambda d: d.sort_key())
    return FileResult(result.filename, found, error=result.error)
