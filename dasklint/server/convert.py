"""Between dasklint's values (1-based, code points) and lsprotocol's types.

Diagnostics go through :mod:`dasklint.output.lsp_serialize`, the serializer that
``--output-format lsp`` uses, with columns counted by the document's negotiated
position codec (pygls's).
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls.workspace import PositionCodec, TextDocument

from dasklint import api
from dasklint.columns import ColumnUnits, split_lines
from dasklint.diagnostics import Diagnostic, TextEdit
from dasklint.noqa import noqa_edit
from dasklint.output.lsp_serialize import SOURCE, edit_to_lsp, publish_params, text_edit_to_lsp

_converter = get_converter()


def units_for(codec: PositionCodec) -> ColumnUnits:
    """Code point index -> client units on one line, with pygls's codec."""

    def convert(line: str, index: int) -> int:
        if line.isascii():  # one unit per code point in every encoding (O(1) in CPython)
            return index
        units: int = codec.client_num_units(line[:index])
        return units + max(0, index - len(line))

    return convert


def publish(
    uri: str,
    diagnostics: list[Diagnostic],
    source: str,
    codec: PositionCodec,
    version: int | None,
    docs_url: str | None = None,
) -> types.PublishDiagnosticsParams:
    data = publish_params(uri, diagnostics, source, units_for(codec), version, docs_url)
    return _converter.structure(data, types.PublishDiagnosticsParams)


def lsp_diagnostics(
    diagnostics: list[Diagnostic], source: str, codec: PositionCodec, docs_url: str | None = None
) -> list[types.Diagnostic]:
    return list(publish("", diagnostics, source, codec, None, docs_url).diagnostics)


def fix_edits(edits: tuple[TextEdit, ...], source: str, codec: PositionCodec) -> list[Any]:
    """A fix's text edits (code points) as LSP ``TextEdit`` data in the client's units."""
    lines = split_lines(source)
    units = units_for(codec)
    return [text_edit_to_lsp(edit, lines, units) for edit in edits]


def quick_fix(
    uri: str, diagnostic: types.Diagnostic, fresh: types.Diagnostic, allow_unsafe: bool
) -> types.CodeAction | None:
    """The quick fix of one diagnostic as a ``CodeAction`` with a ``WorkspaceEdit``.

    The edits come from ``fresh``, the server's own diagnostic for the same finding in the
    document's current text (the client's copy may be stale). They were made by the fix
    machinery of ``--fix``: the fix applied to the module and the result compared with the
    text. Unsafe fixes are offered only when ``allow_unsafe``; display-only ones never.
    """
    data = fresh.data if isinstance(fresh.data, dict) else {}
    fix = data.get("fix")
    if not isinstance(fix, dict) or not fix.get("edits"):
        return None
    applicability = fix.get("applicability")
    if applicability == "display-only" or (applicability == "unsafe" and not allow_unsafe):
        return None
    edits = [_converter.structure(edit, types.TextEdit) for edit in fix["edits"]]
    return types.CodeAction(
        title=f"dasklint ({fresh.code}): {fix.get('title', 'fix')}",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=applicability == "safe",
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def whole_document_edit(doc: TextDocument, fixed: str) -> types.WorkspaceEdit | None:
    """The edits that turn the document into ``fixed`` (the fix loop's result), in the
    client's units; None when nothing changes."""
    edits = api.edits_between(doc.source, fixed)
    if not edits:
        return None
    lines = split_lines(doc.source)
    units = units_for(doc.position_codec)
    return types.WorkspaceEdit(
        changes={
            doc.uri: [
                _converter.structure(text_edit_to_lsp(edit, lines, units), types.TextEdit)
                for edit in edits
            ]
        }
    )


def disable_for_line(doc: TextDocument, diagnostic: types.Diagnostic) -> types.CodeAction | None:
    """``Disable DSKxxx for this line``: append or extend the line's ``# noqa`` comment."""
    if diagnostic.source != SOURCE or not isinstance(diagnostic.code, str):
        return None
    code = diagnostic.code
    if code.startswith("DSK0"):  # syntax and read errors cannot be silenced
        return None
    source = doc.source
    edit = noqa_edit(source, diagnostic.range.start.line + 1, code)
    if edit is None:
        return None
    lsp_edit: dict[str, Any] = edit_to_lsp(edit, split_lines(source), units_for(doc.position_codec))
    text_edit = _converter.structure(lsp_edit, types.TextEdit)
    return types.CodeAction(
        title=f"Disable {code} for this line",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={doc.uri: [text_edit]}),
    )
