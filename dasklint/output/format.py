"""What an output format's module declares about its format (its ``FORMAT``).

A format is one module in :mod:`dasklint.output.formats`: its ``FORMAT`` record and its
``render`` function. Format modules are all imported when the formats are listed (every
run: ``--output-format`` offers them), so each keeps what is heavy to import (``xml``,
the rules' documentation) inside ``render``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # as `--output-format` and `output-format` spell it
    order: int  # where `--output-format` lists it (lowest first)
    # Locations are lines of the file: a notebook's cell goes into the message.
    file_lines: bool = False
    # Stdout is data: the human summary goes elsewhere (or nowhere).
    machine: bool = True
    fix_edits: bool = False  # carries each fix's text edits
