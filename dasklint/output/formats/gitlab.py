"""``--output-format gitlab``: a GitLab Code Quality report (Code Climate subset)."""

from __future__ import annotations

import json

from dasklint.diagnostics import Severity
from dasklint.output.context import OutputContext
from dasklint.output.fingerprints import fingerprints
from dasklint.output.format import Format

FORMAT = Format("gitlab", 70, file_lines=True)

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(ctx: OutputContext) -> str:
    items = [
        {
            "check_name": d.code,
            "description": f"{d.code} {d.message}",
            "severity": SEVERITY[d.severity],
            "fingerprint": fingerprint[:32],
            "location": {
                "path": ctx.relative(d.filename),
                "positions": {
                    "begin": {"line": d.location.row, "column": d.location.column},
                    "end": {"line": d.end_location.row, "column": d.end_location.column},
                },
            },
        }
        for d, fingerprint in zip(ctx.diagnostics, fingerprints(ctx, ctx.diagnostics), strict=True)
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
