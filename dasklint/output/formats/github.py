"""``--output-format github``: GitHub Actions workflow commands (annotations).

``::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=dasklint (CODE)::message``;
lines and columns are 1-based (columns in code points), paths relative to the working
directory, escaping as in actions/toolkit's ``escapeData``/``escapeProperty``.
"""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.output.context import OutputContext
from dasklint.output.format import Format

FORMAT = Format("github", 60, file_lines=True)

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(ctx: OutputContext) -> str:
    lines = []
    for d in ctx.diagnostics:
        props = {
            "file": ctx.relative(d.filename),
            "line": str(d.location.row),
            "col": str(d.location.column),
            "endLine": str(d.end_location.row),
            "endColumn": str(d.end_location.column),
            "title": f"dasklint ({d.code})",
        }
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
        lines.append(f"::{COMMAND[d.severity]} {joined}::{escape_data(d.text)}\n")
    return "".join(lines)
