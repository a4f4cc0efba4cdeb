"""``--output-format rdjson``: reviewdog's Diagnostic Format.

reviewdog.proto says columns are 1-based and count UTF-8 bytes, so code point columns
are converted (on a line with emoji or CJK text the numbers differ).
"""

from __future__ import annotations

import json
from typing import Any

from dasklint.columns import column_units, split_lines
from dasklint.diagnostics import Diagnostic, Location, Severity
from dasklint.output.context import OutputContext
from dasklint.output.format import Format

FORMAT = Format("rdjson", 110, file_lines=True)

SEVERITY = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}

_bytes = column_units("utf-8")


def render(ctx: OutputContext) -> str:
    cache: dict[str, list[str]] = {}
    diagnostics = [_diagnostic(d, ctx, cache) for d in ctx.diagnostics]
    data = {"source": {"name": "dasklint"}, "diagnostics": diagnostics}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _position(where: Location, lines: list[str]) -> dict[str, int]:
    text = lines[where.row - 1] if 0 < where.row <= len(lines) else ""
    return {"line": where.row, "column": _bytes(text, where.column - 1) + 1}


def _diagnostic(d: Diagnostic, ctx: OutputContext, cache: dict[str, list[str]]) -> dict[str, Any]:
    if d.filename not in cache:
        cache[d.filename] = split_lines(ctx.read_source(d.filename) or "")
    lines = cache[d.filename]
    return {
        "message": d.text,
        "location": {
            "path": ctx.relative(d.filename),
            "range": {
                "start": _position(d.location, lines),
                "end": _position(d.end_location, lines),
            },
        },
        "severity": SEVERITY[d.severity],
        "code": {"value": d.code},
    }
