"""Linting and fixing a notebook: the code cells as one module, findings per cell.

Diagnostics carry the cell number (1-based, counting every cell, as editors number
them) and rows within the cell; fix edits are translated the same way. A notebook that
cannot be read is a DSK002 finding. Fixes run through the same fix loop as ``.py``
files; the fixed cells are spliced into the notebook's JSON text
(:func:`dasklint.notebook.jsonmap.splice`), leaving every other byte alone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Diagnostic, DiagnosticFix, FileResult, Location, TextEdit
from dasklint.notebook import notebook_mode
from dasklint.notebook.cells import Joined, join, split
from dasklint.notebook.jsonmap import NotebookError, load, splice
from dasklint.semantic.project import ProjectIndex

if TYPE_CHECKING:
    from dasklint.engine.fix_loop import FixOutcome

BOM = b"\xef\xbb\xbf"


def _read(source: bytes, filename: str, settings: FileSettings) -> Joined | FileResult:
    from dasklint.engine.linter import engine_error

    try:
        text, cells = load(source)
    except NotebookError as exc:
        return engine_error(filename, settings, str(exc))
    return join(cells, text)


def lint_notebook(
    source: bytes, filename: str, settings: FileSettings, index: ProjectIndex | None = None
) -> FileResult:
    from dasklint.engine.linter import lint_python

    joined = _read(source, filename, settings)
    if isinstance(joined, FileResult):
        return joined
    with notebook_mode():
        result = lint_python(joined.text.encode("utf-8"), filename, settings, index)
    return _mapped(result, joined)


def fix_notebook(
    source: bytes, filename: str, settings: FileSettings, index: ProjectIndex | None = None
) -> FixOutcome:
    from dasklint.engine.fix_loop import FixOutcome, fix_python
    from dasklint.engine.linter import lint_python

    joined = _read(source, filename, settings)
    if isinstance(joined, FileResult):
        return FixOutcome(source, source, joined)
    module = joined.text.encode("utf-8")
    with notebook_mode():
        outcome = fix_python(module, filename, settings, index)
    if not outcome.changed:
        result = _mapped(outcome.result, joined)
        return FixOutcome(source, source, result, outcome.fixed, outcome.dropped, outcome.converged)
    cells = split(joined, outcome.source.decode("utf-8"))
    if cells is None:
        # A fix moved a cell separator or lost a masked magic: keep the notebook as it was.
        with notebook_mode():
            result = lint_python(module, filename, settings, index)
        dropped = [*outcome.dropped, "fixes that would move code across notebook cells"]
        return FixOutcome(source, source, _mapped(result, joined), dropped=dropped)
    originals = {cell.index: cell.source for cell in joined.cells}
    changed = {i: text for i, text in cells.items() if text != originals[i]}
    bom = BOM if source.startswith(BOM) else b""
    text = source[len(bom) :].decode("utf-8")
    new_bytes = bom + splice(text, changed).encode("utf-8")
    # The remaining findings are rows of the fixed module: map them with the new cells.
    new_text, new_cells = load(new_bytes)
    result = _mapped(outcome.result, join(new_cells, new_text))
    return FixOutcome(source, new_bytes, result, outcome.fixed, outcome.dropped, outcome.converged)


def _mapped(result: FileResult, joined: Joined) -> FileResult:
    return FileResult(
        result.filename,
        [to_cells(d, joined) for d in result.diagnostics],
        result.skipped,
        result.error,
    )


def _location(joined: Joined, where: Location) -> tuple[int, Location]:
    cell, row = joined.locate(where.row)
    return cell, Location(row, where.column)


def to_cells(d: Diagnostic, joined: Joined) -> Diagnostic:
    """A diagnostic of the joined module, in cell coordinates."""
    cell, start = _location(joined, d.location)
    end_cell, end = _location(joined, d.end_location)
    if end_cell != cell:
        end = start
    fix = d.fix
    if fix is not None and fix.edits:
        edits: list[TextEdit] = []
        for edit in fix.edits:
            a_cell, a = _location(joined, edit.location)
            b_cell, b = _location(joined, edit.end_location)
            if a_cell != b_cell:  # spans cells: the fix stays, its edits are not shown
                edits = []
                break
            edits.append(replace(edit, location=a, end_location=b))
        fix = DiagnosticFix(fix.applicability, fix.message, tuple(edits))
    noqa_row = joined.locate(d.noqa_row)[1] if d.noqa_row is not None else None
    return replace(d, location=start, end_location=end, cell=cell, noqa_row=noqa_row, fix=fix)
