"""The JSON shape of one diagnostic, with ruff's keys so tools can share parsers."""

from __future__ import annotations

from typing import Any

from dasklint.diagnostics import Diagnostic
from dasklint.output.context import OutputContext


def diagnostic_to_dict(d: Diagnostic, ctx: OutputContext) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "filename": ctx.absolute(d.filename),
        "location": {"row": d.location.row, "column": d.location.column},
        "end_location": {"row": d.end_location.row, "column": d.end_location.column},
        "fix": None,
        "url": None,
        "severity": d.severity.value,
        "noqa_row": d.noqa_row,
        "cell": None,
    }
