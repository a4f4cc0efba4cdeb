"""Output formats, one module each in :mod:`dasklint.output.formats`, which finds them.

:data:`FORMATS` gives a format's record by name, :data:`FORMATTERS` its formatter (for the
formats that know only lines of a file, a notebook's findings are moved to the file's
start with their cell in the message).
"""

from __future__ import annotations

from dataclasses import replace

from dasklint.diagnostics import Diagnostic, Location
from dasklint.output.context import OutputContext
from dasklint.output.format import Format
from dasklint.output.formats import FORMATS, RENDERERS, Formatter


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
    name: file_positions(render) if FORMATS[name].file_lines else render
    for name, render in RENDERERS.items()
}

__all__ = ["FORMATS", "FORMATTERS", "Format", "OutputContext"]
