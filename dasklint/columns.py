"""Columns in other units: dasklint counts code points, LSP and reviewdog do not.

A :class:`~dasklint.diagnostics.Location` column is 1-based and counts Unicode code
points. LSP positions count UTF-16 code units unless another encoding was negotiated,
and reviewdog's rdjson counts UTF-8 bytes. Lines are split the way the LSP
specification and Python's tokenizer split them (``\\r\\n``, ``\\r`` or ``\\n``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

ENCODINGS = ("utf-8", "utf-16", "utf-32")

# (line text, 0-based code point index) -> 0-based offset in the target unit
ColumnUnits = Callable[[str, int], int]

_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their terminators (the last may be empty)."""
    return _NEWLINE.split(text)


def _units(encoding: str, prefix: str) -> int:
    if encoding == "utf-32":
        return len(prefix)
    if encoding == "utf-16":
        # Characters outside the Basic Multilingual Plane take two UTF-16 units.
        return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)
    return len(prefix.encode("utf-8", errors="surrogatepass"))


def column_units(encoding: str) -> ColumnUnits:
    """A converter from code point indexes to ``encoding`` units (``utf-8|16|32``)."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown position encoding {encoding!r}")

    def convert(line: str, index: int) -> int:
        # Past the end of the line (a position at end of file) every column is one unit.
        head = line[:index]
        return _units(encoding, head) + max(0, index - len(line))

    return convert
