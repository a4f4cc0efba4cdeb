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

from dasklint.diagnostics import Diagnostic
from dasklint.engine.noqa_edit import noqa_edit
from dasklint.output.lsp_serialize import SOURCE, edit_to_lsp, publish_params
from dasklint.output.positions import ColumnUnits, split_lines

_converter = get_converter()


def units_for(codec: PositionCodec) -> ColumnUnits:
    """Code point index -> client units on one line, with pygls's codec."""

    def convert(line: str, index: int) -> int:
        units: int = codec.client_num_units(line[:index])
        return units + max(0, index - len(line))

    return convert


def publish(
    uri: str, diagnostics: list[Diagnostic], source: str, codec: PositionCodec, version: int | None
) -> types.PublishDiagnosticsParams:
    data = publish_params(uri, diagnostics, source, units_for(codec), version)
    return _converter.structure(data, types.PublishDiagnosticsParams)


def lsp_diagnostics(
    diagnostics: list[Diagnostic], source: str, codec: PositionCodec
) -> list[types.Diagnostic]:
    return list(publish("", diagnostics, source, codec, None).diagnostics)


def fix_to_workspace_edit(uri: str, diagnostic: types.Diagnostic) -> types.WorkspaceEdit | None:
    """The quick fix of one diagnostic as a ``WorkspaceEdit``.

    Rules offer no fixes yet, so this is always None. When they do, the fix travels in
    ``diagnostic.data["fix"]`` (edits already in client units) and becomes the edit here.
    """
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    fix = data.get("fix")
    if not fix:
        return None
    return None


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
