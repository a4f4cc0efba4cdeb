"""``--output-format azure``: Azure Pipelines ``##vso[task.logissue]`` logging commands."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.output.context import OutputContext
from dasklint.output.format import Format

FORMAT = Format("azure", 120, file_lines=True)

# Azure has only errors and warnings.
TYPE = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "warning"}


def escape_data(text: str) -> str:
    return text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(";", "%3B").replace("]", "%5D")


def render(ctx: OutputContext) -> str:
    return "".join(
        f"##vso[task.logissue type={TYPE[d.severity]};"
        f"sourcepath={escape_property(ctx.relative(d.filename))};"
        f"linenumber={d.location.row};columnnumber={d.location.column};"
        f"code={d.code};]{escape_data(d.message)}\n"
        for d in ctx.diagnostics
    )
