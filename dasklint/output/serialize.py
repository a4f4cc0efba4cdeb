"""The JSON shape of one diagnostic, with ruff's keys so tools can share parsers."""

from __future__ import annotations

from typing import Any

from dasklint.diagnostics import Diagnostic, DiagnosticFix, Location
from dasklint.output.context import OutputContext
from dasklint.output.rule_urls import rule_url


def diagnostic_to_dict(d: Diagnostic, ctx: OutputContext) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        # The suggested change and the explanation (numbers, citation) of `message`.
        "help": d.help,
        "notes": list(d.notes),
        "filename": ctx.absolute(d.filename),
        "location": {"row": d.location.row, "column": d.location.column},
        "end_location": {"row": d.end_location.row, "column": d.end_location.column},
        "fix": fix_to_dict(d.fix),
        "url": rule_url(d.code, d.name, ctx.docs_url),
        "severity": d.severity.value,
        "confidence": d.confidence.value,
        "noqa_row": d.noqa_row,
        "cell": d.cell,
    }


def _location(where: Location) -> dict[str, int]:
    return {"row": where.row, "column": where.column}


def fix_to_dict(fix: DiagnosticFix | None) -> dict[str, Any] | None:
    """ruff's fix shape; edit locations are 1-based, columns in code points, end exclusive."""
    if fix is None:
        return None
    return {
        "applicability": fix.applicability.value,
        "message": fix.message,
        "edits": [
            {
                "content": edit.content,
                "location": _location(edit.location),
                "end_location": _location(edit.end_location),
            }
            for edit in fix.edits
        ],
    }
