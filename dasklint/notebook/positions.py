"""Findings of a joined module in the coordinates of the code they came from.

In a notebook, rows become a cell number (1-based, counting every cell, as editors
number them) and a row within the cell; in a ``.py`` file joined as one cell to mask its
IPython lines, rows stay. In both, a column on a line whose magic was cut (``%time
x.compute()``) moves right by the magic's length, so it points into the original line.
"""

from __future__ import annotations

from dataclasses import replace

from dasklint.diagnostics import Diagnostic, DiagnosticFix, FileResult, Location, TextEdit
from dasklint.notebook.cells import Joined


def mapped(result: FileResult, joined: Joined, *, cells: bool = True) -> FileResult:
    """``result`` of the joined module, in the cells' coordinates (``cells=False``: a
    ``.py`` file, whose rows are its own)."""
    return FileResult(
        result.filename,
        [to_cells(d, joined, cells=cells) for d in result.diagnostics],
        result.skipped,
        result.error,
    )


def _location(joined: Joined, where: Location, cells: bool) -> tuple[int, Location]:
    column = joined.column(where.row, where.column)
    if not cells:
        return 1, Location(where.row, column)
    cell, row = joined.locate(where.row)
    return cell, Location(row, column)


def _keeps_ipython(edit: TextEdit, joined: Joined) -> bool:
    """Whether ``edit``, a text edit of the joined module, leaves its masked lines and
    the magics cut before statements alone (so that it applies to the original)."""
    if joined.mask_token in edit.content or joined.cell_token in edit.content:
        return False
    start, end = edit.location, edit.end_location
    rows = range(start.row, end.row + 1)
    if any(row in joined.masked_rows for row in rows):
        return False
    # A cut magic sits just before its statement: the edit must not replace across it.
    first, last = (start.row, start.column - 1), (end.row, end.column - 1)
    cuts = [(row, joined.shifts[row][0]) for row in rows if row in joined.shifts]
    return not any(first < cut < last for cut in cuts)


def to_cells(d: Diagnostic, joined: Joined, *, cells: bool = True) -> Diagnostic:
    """A diagnostic of the joined module, in cell coordinates."""
    cell, start = _location(joined, d.location, cells)
    end_cell, end = _location(joined, d.end_location, cells)
    if end_cell != cell:
        end = start
    fix = d.fix
    if fix is not None and fix.edits:
        edits: list[TextEdit] = []
        for edit in fix.edits:
            a_cell, a = _location(joined, edit.location, cells)
            b_cell, b = _location(joined, edit.end_location, cells)
            if a_cell != b_cell or not _keeps_ipython(edit, joined):
                # Spans cells or touches IPython syntax: the fix stays, its edits are
                # not shown (applying it restores the IPython lines; see cells.split).
                edits = []
                break
            edits.append(replace(edit, location=a, end_location=b))
        fix = DiagnosticFix(fix.applicability, fix.message, tuple(edits), fix.caveat)
    noqa_row = d.noqa_row
    if noqa_row is not None and cells:
        noqa_row = joined.locate(noqa_row)[1]
    return replace(
        d,
        location=start,
        end_location=end,
        cell=cell if cells else None,
        noqa_row=noqa_row,
        fix=fix,
    )
