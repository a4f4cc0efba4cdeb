"""Hover and code actions, as functions of a document and the last lint result."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types
from pygls.workspace import TextDocument

from dasklint import registry
from dasklint.columns import split_lines
from dasklint.diagnostics import Diagnostic
from dasklint.noqa import NOQA
from dasklint.output.lsp_serialize import SOURCE
from dasklint.rule import Rule
from dasklint.ruledocs import rule_markdown
from dasklint.server.convert import disable_for_line, quick_fix, units_for

_WORD = re.compile(r"[A-Za-z0-9_\-]+")


def _client_range(doc: TextDocument, row: int, start: int, end: int) -> types.Range:
    """A 0-based row and code point columns in the client's units."""
    lines = split_lines(doc.source)
    units = units_for(doc.position_codec)
    text = lines[row] if 0 <= row < len(lines) else ""
    return types.Range(
        start=types.Position(line=row, character=units(text, start)),
        end=types.Position(line=row, character=units(text, end)),
    )


def _noqa_code_at(line: str, column: int) -> tuple[str, int, int] | None:
    """The code inside a ``# noqa:`` list under the (code point) column."""
    for match in NOQA.finditer(line):
        codes = match.group("codes")
        if codes is None:
            continue
        offset = match.start("codes")
        for word in _WORD.finditer(codes):
            start, end = offset + word.start(), offset + word.end()
            if start <= column <= end:
                return word.group(), start, end
    return None


def hover(
    doc: TextDocument, position: types.Position, diagnostics: list[Diagnostic]
) -> types.Hover | None:
    lines = split_lines(doc.source)
    if not 0 <= position.line < len(lines):
        return None
    line = lines[position.line]
    column = doc.position_codec.position_from_client_units(lines, position).character
    rule: type[Rule] | None = None
    span: types.Range | None = None
    found = _noqa_code_at(line, column)
    if found is not None:
        rule = registry.rule_for(found[0])
        span = _client_range(doc, position.line, found[1], found[2])
    if rule is None:
        row, col = position.line + 1, column + 1
        for d in diagnostics:
            if (
                (d.location.row, d.location.column)
                <= (row, col)
                <= (
                    d.end_location.row,
                    d.end_location.column,
                )
            ):
                rule = registry.rule_for(d.code)
                break
    if rule is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=rule_markdown(rule)),
        range=span,
    )


FIX_ALL = "source.fixAll.dasklint"


def wants(only: Sequence[str] | None, kind: str) -> bool:
    """Whether a code action of ``kind`` matches the request's ``only`` filter (kinds are
    hierarchical: ``source`` and ``source.fixAll`` include ``source.fixAll.dasklint``)."""
    if only is None:
        return True
    return any(kind == str(o) or kind.startswith(f"{o}.") for o in only)


def diagnostic_key(d: types.Diagnostic) -> tuple[str, int, int, int, int]:
    r = d.range
    return (str(d.code), r.start.line, r.start.character, r.end.line, r.end.character)


def code_actions(
    doc: TextDocument,
    params: types.CodeActionParams,
    *,
    disable_comment: bool,
    fresh: Sequence[types.Diagnostic] | None,
    allow_unsafe: bool,
    fix_all: types.WorkspaceEdit | None,
) -> list[types.CodeAction]:
    """Quick fixes and "Disable ... for this line" for the request's diagnostics, then
    ``source.fixAll.dasklint``. ``fresh``: the server's diagnostics for the document's
    current text (None when it has not been linted as it is now)."""
    only = [str(kind) for kind in params.context.only] if params.context.only else None
    actions: list[types.CodeAction] = []
    if wants(only, types.CodeActionKind.QuickFix.value):
        current = {diagnostic_key(d): d for d in fresh or ()}
        for diagnostic in params.context.diagnostics:
            mine = current.get(diagnostic_key(diagnostic)) if diagnostic.source == SOURCE else None
            if mine is not None:
                action = quick_fix(doc.uri, diagnostic, mine, allow_unsafe)
                if action is not None:
                    actions.append(action)
            if disable_comment:
                disable = disable_for_line(doc, diagnostic)
                if disable is not None:
                    actions.append(disable)
    if fix_all is not None and wants(only, FIX_ALL):
        actions.append(
            types.CodeAction(
                title="dasklint: Fix all auto-fixable problems", kind=FIX_ALL, edit=fix_all
            )
        )
    return actions
