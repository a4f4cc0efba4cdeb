"""Output formats, one module each, and one record each in :mod:`dasklint.output.formats`.

:data:`FORMATTERS` gives a format's formatter by name, importing its module on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace

from dasklint.diagnostics import Diagnostic, Location
from dasklint.output.context import OutputContext
from dasklint.output.formats import FORMATS, Format

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


class _Formats(Mapping[str, Formatter]):
    """Format name -> formatter, importing the format's module on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, Formatter] = {}

    def __getitem__(self, name: str) -> Formatter:
        found = self._loaded.get(name)
        if found is None:
            record = FORMATS[name]
            module = importlib.import_module(f"dasklint.output.{record.module}")
            render: Formatter = module.render
            found = self._loaded[name] = file_positions(render) if record.file_lines else render
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(FORMATS)

    def __len__(self) -> int:
        return len(FORMATS)


FORMATTERS: Mapping[str, Formatter] = _Formats()

__all__ = ["FORMATS", "FORMATTERS", "Format", "OutputContext"]
