"""Output formats, one module each. Adding a format is one module plus one line here."""

from __future__ import annotations

from collections.abc import Callable

from dasklint.output import concise, full, json_array, json_lines
from dasklint.output.context import OutputContext

Formatter = Callable[[OutputContext], str]

FORMATTERS: dict[str, Formatter] = {
    "concise": concise.render,
    "full": full.render,
    "json": json_array.render,
    "json-lines": json_lines.render,
}

# Formats whose stdout is data: the human summary goes elsewhere (or nowhere).
MACHINE_FORMATS = frozenset({"json", "json-lines"})

__all__ = ["FORMATTERS", "MACHINE_FORMATS", "OutputContext"]
