"""Output formats, one module each. Adding a format is one module plus one line here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dasklint.diagnostics import Diagnostic, Location
from dasklint.output import (
    azure,
    concise,
    full,
    github,
    gitlab,
    grouped,
    json_array,
    json_lines,
    junit,
    lsp,
    pylint,
    rdjson,
    sarif,
)
from dasklint.output.context import OutputContext

Formatter = Callable[[OutputContext], str]


def _in_file(d: Diagnostic) -> Diagnostic:
    """A notebook finding for formats that only know lines of the file: the place in the
    cell goes into the message and the location is the file's start (as ruff does), and
    edits against the cell (fix, noqa) are left out."""
    if d.cell is None:
        return d
    start = Location(1, 1)
    return replace(
        d,
        message=f"{d.place}: {d.message}",
        location=start,
        end_location=start,
        noqa_row=None,
        fix=None,
        cell=None,
    )


def file_positions(render: Formatter) -> Formatter:
    def run(ctx: OutputContext) -> str:
        if all(d.cell is None for d in ctx.diagnostics):
            return render(ctx)
        return render(replace(ctx, diagnostics=[_in_file(d) for d in ctx.diagnostics]))

    return run


FORMATTERS: dict[str, Formatter] = {
    # Formats that show `cell N:row:col` for notebooks.
    "concise": concise.render,
    "full": full.render,
    "json": json_array.render,
    "json-lines": json_lines.render,
    "grouped": grouped.render,
    # Formats whose locations are lines of the file.
    "github": file_positions(github.render),
    "gitlab": file_positions(gitlab.render),
    "sarif": file_positions(sarif.render),
    "junit": file_positions(junit.render),
    "pylint": file_positions(pylint.render),
    "rdjson": file_positions(rdjson.render),
    "azure": file_positions(azure.render),
    "lsp": file_positions(lsp.render),
}

# Formats whose stdout is data: the human summary goes elsewhere (or nowhere).
MACHINE_FORMATS = frozenset(
    {"json", "json-lines", "github", "gitlab", "sarif", "junit", "pylint", "rdjson", "azure", "lsp"}
)

__all__ = ["FORMATTERS", "MACHINE_FORMATS", "OutputContext"]
