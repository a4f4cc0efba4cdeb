"""The ``# noqa`` comment: its grammar, and the edit that silences one rule on one line
(``  # noqa: CODE`` or an extended list).

The grammar is read by the engine's suppressions; the edit serves the editor's "Disable
for this line" action and the LSP output, below the engine. The edit is returned in code
points; callers convert columns for their clients.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

from dasklint.columns import split_lines

CODES = r"(?P<codes>[A-Za-z0-9_\-]+(?:[\s,]+[A-Za-z0-9_\-]+)*)"
NOQA = re.compile(r"#\s*noqa(?::\s*" + CODES + r")?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LineEdit:
    """Replace ``[start, end)`` (0-based code points) on 0-based ``line`` with ``text``."""

    line: int
    start: int
    end: int
    text: str


def comment_columns(source: str) -> dict[int, int]:
    """Where each line's comment starts: 1-based line -> 0-based code point column."""
    out: dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source, newline="").readline):
            if token.type == tokenize.COMMENT:
                out[token.start[0]] = token.start[1]
    except (tokenize.TokenError, SyntaxError):
        # A file that does not tokenize (a syntax error): fall back to the first `#`
        # of each line, which is right unless a string holds one.
        out = {}
        for number, line in enumerate(split_lines(source), start=1):
            index = line.find("#")
            if index >= 0:
                out[number] = index
    return out


class Comments:
    """Where comments start on the lines asked about, found lazily: a line without ``#``
    has no comment, so the source is tokenized (once) only when a line asked about holds
    a ``#`` (serializing a long file's diagnostics must not tokenize it every time)."""

    def __init__(self, source: str, lines: list[str] | None = None) -> None:
        self.source = source
        self.lines = split_lines(source) if lines is None else lines
        self._columns: dict[int, int] | None = None

    def column(self, row: int) -> int | None:
        """The 0-based code point column where 1-based ``row``'s comment starts."""
        if not 1 <= row <= len(self.lines) or "#" not in self.lines[row - 1]:
            return None
        if self._columns is None:
            self._columns = comment_columns(self.source)
        return self._columns.get(row)


def noqa_edit(
    source: str, row: int, code: str, comments: Comments | None = None
) -> LineEdit | None:
    """The edit that adds ``code`` to the noqa comment of 1-based ``row``.

    None when the line already suppresses ``code`` (or everything, with a bare
    ``# noqa``) or when the row does not exist. ``comments``: the source's comments, to
    share between the diagnostics of one source.
    """
    if comments is None:
        comments = Comments(source)
    lines = comments.lines
    if not 1 <= row <= len(lines):
        return None
    line = lines[row - 1]
    start = comments.column(row)
    if start is not None:
        match = NOQA.search(line, start)
        if match is not None:
            codes = match.group("codes")
            if codes is None:
                return None  # a noqa comment without codes already silences every rule
            if code.upper() in {c.upper() for c in codes.replace(",", " ").split()}:
                return None
            end = match.end("codes")
            return LineEdit(row - 1, end, end, f", {code}")
    content_end = len(line.rstrip())
    return LineEdit(row - 1, content_end, len(line), f"  # noqa: {code}")
