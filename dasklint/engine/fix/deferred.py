"""The text edits of one finding's fix, computed when an editor asks for them.

An editor's lint leaves out the edits of fixes that need the whole module
(:func:`dasklint.engine.fix.describe.describe_fix` with ``defer``); a code action then
asks for them here, and the buffer is linted again to find the fix.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Diagnostic, DiagnosticFix, TextEdit
from dasklint.engine.fix.describe import whole_module_edits
from dasklint.engine.lint.linter import EXPORT, lint_parsed
from dasklint.engine.lint.parsing import parse_module
from dasklint.notebook.cells import join_script
from dasklint.notebook.positions import to_cells


def deferred_edits(
    source: bytes, filename: str, settings: FileSettings, diagnostic: Diagnostic
) -> tuple[TextEdit, ...]:
    """The whole-module text edits of the fix of ``diagnostic`` (found by code and span
    when ``source`` is linted again); empty when ``source`` has no such finding. A file
    with IPython lines is linted with them masked, as ``lint_python`` does; edits that
    would touch those lines are not given."""
    masked = None
    try:
        module = parse_module(source)
    except cst.ParserSyntaxError:
        masked = join_script(source)
        if masked is None:
            return ()
        source = masked.text.encode("utf-8")
        try:
            module = parse_module(source)
        except cst.ParserSyntaxError:
            return ()
    origin = EXPORT if masked is not None else None
    _, fixes = lint_parsed(
        module, source, filename, replace(settings, fix_edits=False), origin=origin
    )
    where = (diagnostic.code, diagnostic.location, diagnostic.end_location)
    for found, fix in fixes:
        shown = found if masked is None else to_cells(replace(found, fix=None), masked, cells=False)
        if (shown.code, shown.location, shown.end_location) != where:
            continue
        edits = whole_module_edits(module, fix)
        if masked is None:
            return edits
        described = replace(
            found, fix=DiagnosticFix(fix.applicability, fix.title, edits, fix.caveat)
        )
        shown = to_cells(described, masked, cells=False)
        return shown.fix.edits if shown.fix is not None else ()
    return ()
