"""Diagnostics as LSP ``PublishDiagnosticsParams``: the one shape the server publishes
and ``--output-format lsp`` prints.

Positions are 0-based lines and 0-based columns in the position encoding's units, end
exclusive. Fields without a value are left out (as lsprotocol's converter does), so the
command line's JSON and what a client receives compare equal.
"""

from __future__ import annotations

from typing import Any

from dasklint.columns import ColumnUnits
from dasklint.diagnostics import Diagnostic, DiagnosticFix, Location, Severity, TextEdit
from dasklint.noqa import Comments, LineEdit, noqa_edit
from dasklint.output.rule_urls import rule_url

SOURCE = "dasklint"

LSP_SEVERITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}


def lsp_range(
    lines: list[str], start: Location, end: Location, units: ColumnUnits
) -> dict[str, Any]:
    """A 1-based code point span as an LSP range."""
    return {"start": _position(lines, start, units), "end": _position(lines, end, units)}


def _position(lines: list[str], where: Location, units: ColumnUnits) -> dict[str, int]:
    line = where.row - 1
    text = lines[line] if 0 <= line < len(lines) else ""
    return {"line": line, "character": units(text, where.column - 1)}


def edit_to_lsp(edit: LineEdit, lines: list[str], units: ColumnUnits) -> dict[str, Any]:
    start = Location(edit.line + 1, edit.start + 1)
    end = Location(edit.line + 1, edit.end + 1)
    return {"range": lsp_range(lines, start, end, units), "newText": edit.text}


def text_edit_to_lsp(edit: TextEdit, lines: list[str], units: ColumnUnits) -> dict[str, Any]:
    """A fix's text edit (1-based code points) as an LSP ``TextEdit``."""
    return {
        "range": lsp_range(lines, edit.location, edit.end_location, units),
        "newText": edit.content,
    }


def fix_to_lsp(fix: DiagnosticFix, lines: list[str], units: ColumnUnits) -> dict[str, Any]:
    """``data.fix``: the fix's title, applicability and edits in the client's units."""
    return {
        "title": fix.message,
        "applicability": fix.applicability.value,
        "edits": [text_edit_to_lsp(edit, lines, units) for edit in fix.edits],
    }


def diagnostic_to_lsp(
    d: Diagnostic,
    source: str,
    units: ColumnUnits,
    *,
    lines: list[str] | None = None,
    comments: Comments | None = None,
    docs_url: str | None = None,
) -> dict[str, Any]:
    """One diagnostic as an LSP ``Diagnostic`` (plain JSON data); ``docs_url`` is the
    documentation site's base URL (:mod:`dasklint.output.rule_urls`)."""
    if comments is None:
        comments = Comments(source, lines)
    lines = comments.lines
    item: dict[str, Any] = {
        "range": lsp_range(lines, d.location, d.end_location, units),
        "severity": LSP_SEVERITY[d.severity],
        "code": d.code,
        "codeDescription": {"href": rule_url(d.code, d.name, docs_url)},
    }
    item["source"] = SOURCE
    # The short message first (what an editor shows inline), then `help:` and `note:`
    # lines (shown on hover and in the problems list).
    item["message"] = d.text
    edit = None
    # Engine diagnostics (DSK0xx: syntax and read errors) cannot be silenced by noqa.
    if d.noqa_row is not None and not d.code.startswith("DSK0"):
        edit = noqa_edit(source, d.noqa_row, d.code, comments)
    item["data"] = {
        "fix": fix_to_lsp(d.fix, lines, units) if d.fix is not None else None,
        "noqa_edit": edit_to_lsp(edit, lines, units) if edit is not None else None,
        "confidence": d.confidence.value,
    }
    return item


def publish_params(
    uri: str,
    diagnostics: list[Diagnostic],
    source: str,
    units: ColumnUnits,
    version: int | None = None,
    docs_url: str | None = None,
) -> dict[str, Any]:
    """``PublishDiagnosticsParams`` for one document."""
    comments = Comments(source)
    lines = comments.lines
    params: dict[str, Any] = {"uri": uri}
    if version is not None:
        params["version"] = version
    params["diagnostics"] = [
        diagnostic_to_lsp(d, source, units, lines=lines, comments=comments, docs_url=docs_url)
        for d in diagnostics
    ]
    return params
