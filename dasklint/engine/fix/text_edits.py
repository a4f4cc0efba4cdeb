"""A fix as text edits against the linted source, for JSON output and editors.

The code before and after the fix is compared: each changed run of lines becomes one
edit, trimmed to the characters that differ. This is exact for every kind of edit,
including statements that move into a new block and imports that libcst adds or removes
elsewhere in the file, where the span of the replaced node alone would not say what
changes. :mod:`dasklint.engine.fix.describe` compares only the top-level statements a fix
changes, or the whole module when the fix adds or removes imports.

Locations are 1-based rows and 1-based columns in Unicode code points, like diagnostics;
``end_location`` is exclusive. An insertion has ``location == end_location``.
"""

from __future__ import annotations

import bisect
import difflib
import re

from dasklint.diagnostics import Location, TextEdit

__all__ = ["text_edits"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in _LINE_BREAK.finditer(text)]


def _lines(text: str) -> list[str]:
    starts = _line_starts(text)
    ends = [*starts[1:], len(text)]
    return [text[a:b] for a, b in zip(starts, ends, strict=True) if a < b or a == 0]


def text_edits(before: str, after: str) -> tuple[TextEdit, ...]:
    """The edits that turn ``before`` into ``after``, in source order, not overlapping."""
    if before == after:
        return ()
    old, new = _lines(before), _lines(after)
    starts = _line_starts(before)
    offsets = [0]
    for line in old:
        offsets.append(offsets[-1] + len(line))

    def location(offset: int) -> Location:
        row = bisect.bisect_right(starts, offset) - 1
        return Location(row + 1, offset - starts[row] + 1)

    edits = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        prefix = 0
        limit = min(len(removed), len(added))
        while prefix < limit and removed[prefix] == added[prefix]:
            prefix += 1
        suffix = 0
        while (
            suffix < limit - prefix
            and removed[len(removed) - 1 - suffix] == added[len(added) - 1 - suffix]
        ):
            suffix += 1
        start, end = offsets[i1] + prefix, offsets[i2] - suffix
        content = added[prefix : len(added) - suffix]
        edits.append(TextEdit(content, location(start), location(end)))
    return tuple(edits)
