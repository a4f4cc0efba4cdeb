"""Reading a notebook's JSON and splicing new cell sources into its text.

Fixes must not reformat the file: only the ``source`` values of changed cells are
replaced in the original text, written in the style they had (a list of lines with the
same indentation, or one string), so outputs, metadata, key order and every other byte
stay as they were. :func:`source_spans` finds where each cell's ``source`` value is by
walking the JSON text with the standard library's decoder (no positions are guessed).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

SUPPORTED_NBFORMAT = 4

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class NotebookError(ValueError):
    """The file is not a notebook dasklint can read; the message says why."""


@dataclass(frozen=True)
class RawCell:
    index: int  # 0-based position among all cells
    cell_type: str
    source: str  # the cell's text ("".join of a list of lines)


def load(raw: bytes) -> tuple[str, list[RawCell]]:
    """The notebook's text and cells; :class:`NotebookError` when it cannot be read."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"Cannot read notebook: not UTF-8 ({exc.reason})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(
            f"Cannot read notebook: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise NotebookError("Cannot read notebook: invalid JSON: nested too deeply") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError("Cannot read notebook: no `cells` list (is this a notebook?)")
    major = data.get("nbformat")
    if major != SUPPORTED_NBFORMAT:
        raise NotebookError(
            f"Cannot read notebook: unsupported nbformat {major!r} (only version 4 is read)"
        )
    cells = []
    for index, cell in enumerate(data["cells"]):
        if not isinstance(cell, dict):
            raise NotebookError(f"Cannot read notebook: cell {index + 1} is not an object")
        cell_type = cell.get("cell_type")
        source = _source_text(cell.get("source", ""), index)
        cells.append(RawCell(index, cell_type if isinstance(cell_type, str) else "", source))
    return text, cells


def _source_text(value: Any, index: int) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(value)
    raise NotebookError(
        f"Cannot read notebook: cell {index + 1} has a `source` that is neither a string "
        "nor a list of strings"
    )


def _skip_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _members(text: str, pos: int) -> list[tuple[str, int, int]]:
    """(key, value start, value end) of the object starting at ``pos``."""
    assert text[pos] == "{"
    out: list[tuple[str, int, int]] = []
    pos = _skip_ws(text, pos + 1)
    if text[pos] == "}":
        return out
    while True:
        key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
        pos = _skip_ws(text, pos)
        assert text[pos] == ":"
        start = _skip_ws(text, pos + 1)
        _, end = _DECODER.raw_decode(text, start)
        out.append((key, start, end))
        pos = _skip_ws(text, end)
        if text[pos] == "}":
            return out
        assert text[pos] == ","
        pos = _skip_ws(text, pos + 1)


def _elements(text: str, pos: int) -> list[tuple[int, int]]:
    """(start, end) of each element of the array starting at ``pos``."""
    assert text[pos] == "["
    out: list[tuple[int, int]] = []
    pos = _skip_ws(text, pos + 1)
    if text[pos] == "]":
        return out
    while True:
        _, end = _DECODER.raw_decode(text, pos)
        out.append((pos, end))
        pos = _skip_ws(text, end)
        if text[pos] == "]":
            return out
        assert text[pos] == ","
        pos = _skip_ws(text, pos + 1)


def source_spans(text: str) -> dict[int, tuple[int, int]]:
    """Cell index -> (start, end) of its ``source`` value in ``text`` (a valid notebook)."""
    top = _skip_ws(text, 0)
    cells = next((s for key, s, _ in _members(text, top) if key == "cells"), None)
    assert cells is not None
    spans = {}
    for index, (start, _) in enumerate(_elements(text, cells)):
        for key, value_start, value_end in _members(text, start):
            if key == "source":
                spans[index] = (value_start, value_end)
    return spans


def _line_indent(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    line = text[start:pos]
    return line[: len(line) - len(line.lstrip(" \t"))]


def render_source(text: str, start: int, end: int, new: str, ascii_only: bool) -> str:
    """``new`` as a ``source`` value in the style of ``text[start:end]``."""
    old = text[start:end]
    if old.startswith('"'):
        return json.dumps(new, ensure_ascii=ascii_only)
    lines = new.splitlines(keepends=True)
    items = [json.dumps(line, ensure_ascii=ascii_only) for line in lines]
    elements = _elements(text, start)
    if not items:
        return "[]"
    if not elements:  # `[]` before: one level deeper than the key's line
        indent = _line_indent(text, start)
        step = indent[: max(1, len(indent) // 3)] if indent else " "
        inner, outer = indent + step, indent
    else:
        first = elements[0][0]
        between = text[start + 1 : first]
        if "\n" not in between:  # all on one line: ["a", "b"]
            sep = text[elements[0][1] : elements[1][0]] if len(elements) > 1 else ", "
            return "[" + sep.join(items) + "]"
        inner = between[between.rfind("\n") + 1 :]
        closing = text[elements[-1][1] : end - 1]
        outer = closing[closing.rfind("\n") + 1 :] if "\n" in closing else ""
    return "[\n" + ",\n".join(inner + item for item in items) + "\n" + outer + "]"


def splice(text: str, new_sources: dict[int, str]) -> str:
    """``text`` with the ``source`` of the given cells replaced; nothing else changes."""
    if not new_sources:
        return text
    spans = source_spans(text)
    ascii_only = text.isascii() and "\\u" in text
    out = []
    last = 0
    for index in sorted(new_sources):
        start, end = spans[index]
        out.append(text[last:start])
        out.append(render_source(text, start, end, new_sources[index], ascii_only))
        last = end
    out.append(text[last:])
    return "".join(out)
