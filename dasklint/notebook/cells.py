"""Joining a notebook's code cells into one module, and splitting a fixed module back.

IPython syntax is masked line for line, so rows keep their meaning and nothing in it can
fail the parse or be reported:

* a cell magic (a cell whose first line starts with ``%%``, such as ``%%timeit`` or
  ``%%bash``) masks the whole cell: its lines become comments;
* a line magic (``%time ...``), a shell escape (``!pip ...``), a help request (``obj?``,
  ``?obj``) and the assignment forms (``x = !ls``, ``t = %timeit -o f()``) become
  ``pass`` at the line's indentation, so a block whose only statement is a magic still
  parses. A line continued with a backslash is masked with the next.

Each masked line carries a numbered token, and a comment line with another token
separates the cells; both survive libcst's rewrites (comments stay with their
statement), which is how :func:`split` puts the original magics back and finds the
cells of the fixed module. A cell whose lines come back as they were joined keeps its
source byte for byte; in a changed cell, the lines no fix touched keep theirs (line
endings included) and new lines take the cell's usual line ending.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from dasklint.notebook.jsonmap import RawCell

_ASSIGNED_MAGIC = re.compile(r"^[\w.\[\]'\", ]+\s*=\s*[%!]")
_LINE_MAGIC = re.compile(r"^[%!?]")
_HELP = re.compile(r"^[A-Za-z_][\w.]*\?{1,2}$")  # `obj?`, `obj.attr??`
# Python's line ends (``str.splitlines`` also splits at U+2028, form feeds and more).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def lines_of(text: str) -> list[str]:
    """``text``'s lines, each with its line end, split where Python ends a line."""
    return _LINE.findall(text)


def _line_end(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def _is_ipython_line(stripped: str) -> bool:
    return bool(
        _LINE_MAGIC.match(stripped) or _ASSIGNED_MAGIC.match(stripped) or _HELP.match(stripped)
    )


def _token(text: str, base: str) -> str:
    token = base
    counter = 0
    while token in text:
        counter += 1
        token = f"{base}{counter}"
    return token


@dataclass
class Joined:
    """One module made of the code cells, and how to map its rows back."""

    text: str
    cells: list[RawCell]  # the code cells, in order
    rows: list[tuple[int, int]] = field(default_factory=list)  # row-1 -> (cell no., row)
    masked: dict[int, str] = field(default_factory=dict)  # mask number -> original line
    whole: set[int] = field(default_factory=set)  # mask numbers of cell-magic cells' lines
    segments: list[list[str]] = field(default_factory=list)  # each cell's module lines
    mask_token: str = ""
    cell_token: str = ""

    def locate(self, row: int) -> tuple[int, int]:
        """The 1-based cell number (among all cells) and row within it of a module row."""
        if not self.rows:
            return (self.cells[0].index + 1 if self.cells else 1), 1
        return self.rows[min(max(row, 1), len(self.rows)) - 1]


def join(cells: list[RawCell], everything: str) -> Joined:
    """Join the code cells; ``everything`` (the notebook's text) picks unused tokens."""
    code = [cell for cell in cells if cell.cell_type == "code"]
    joined = Joined(
        "", code, mask_token=_token(everything, "nbmask"), cell_token=_token(everything, "nbcell")
    )
    out: list[str] = []
    for position, cell in enumerate(code):
        number = cell.index + 1
        if position:
            out.append(f"# {joined.cell_token} {position}\n")
            last = joined.rows[-1] if joined.rows else (number, 0)
            # A syntax error running past a cell's end is reported just after it.
            joined.rows.append((last[0], last[1] + 1))
        lines = lines_of(cell.source) or [""]
        whole = lines[0].lstrip().startswith("%%")
        continued = False
        segment: list[str] = []
        for row, line in enumerate(lines, start=1):
            body = line.rstrip("\r\n")
            stripped = body.strip()
            if whole or continued or _is_ipython_line(stripped):
                key = len(joined.masked)
                joined.masked[key] = body
                indent = body[: len(body) - len(body.lstrip())]
                if whole:
                    joined.whole.add(key)
                    segment.append(f"# {joined.mask_token} {key}\n")
                else:
                    segment.append(f"{indent}pass  # {joined.mask_token} {key}\n")
                continued = body.endswith("\\")
            else:
                segment.append(body + "\n")
            joined.rows.append((number, row))
        joined.segments.append(segment)
        out.extend(segment)
    joined.text = "".join(out)
    return joined


def split(joined: Joined, fixed: str) -> dict[int, str] | None:
    """The new source of each code cell (by cell index) in ``fixed``, magics restored and
    each cell's own end-of-text kept; None when a separator or a masked line was lost."""
    cell_line = re.compile(rf"^# {re.escape(joined.cell_token)} (\d+)\n?$")
    parts: list[list[str]] = [[]]
    for line in lines_of(fixed):
        found = cell_line.match(line)
        if found is not None:
            if int(found.group(1)) != len(parts):
                return None
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) != len(joined.cells):
        return None
    mask_line = re.compile(rf"^(\s*)(?:pass  )?# {re.escape(joined.mask_token)} (\d+)$")
    restored: set[int] = set()
    out = {}
    for cell, segment, lines in zip(joined.cells, joined.segments, parts, strict=True):
        restored.update(int(key) for line in lines for key in _masks(mask_line, line))
        if lines == segment:
            out[cell.index] = cell.source
        else:
            out[cell.index] = _changed_cell(joined, mask_line, cell.source, segment, lines)
    if restored != set(joined.masked):
        return None
    return out


def _masks(mask_line: re.Pattern[str], line: str) -> list[str]:
    found = mask_line.match(line.rstrip("\r\n"))
    return [found.group(2)] if found is not None else []


def _changed_cell(
    joined: Joined, mask_line: re.Pattern[str], source: str, segment: list[str], lines: list[str]
) -> str:
    """A changed cell's new source: the lines the fix left as they were keep their bytes
    (line end included), the others get their magics back and the cell's usual end."""
    originals = lines_of(source) or [""]
    ends = Counter(_line_end(line) for line in originals if _line_end(line))
    usual = ends.most_common(1)[0][0] if ends else "\n"
    new: list[tuple[str, str]] = []  # (line without its end, end)
    for tag, a_start, a_end, b_start, b_end in _opcodes(segment, lines):
        if tag == "equal":
            for line in originals[a_start:a_end]:
                new.append((line.rstrip("\r\n"), _line_end(line) or usual))
            continue
        for line in lines[b_start:b_end]:
            body = line.rstrip("\r\n")
            mask = mask_line.match(body)
            if mask is not None:
                key = int(mask.group(2))
                original = joined.masked[key]
                keep = key in joined.whole or not original.strip()
                body = original if keep else mask.group(1) + original.lstrip()
            new.append((body, usual if _line_end(line) else ""))
    text = "".join(body + end for body, end in new)
    # Keep the cell's own ending (blank lines a fix left at the end go).
    return text.rstrip("\r\n") + _line_end(source)


def _opcodes(a: list[str], b: list[str]) -> Iterator[tuple[str, int, int, int, int]]:
    """``difflib``'s opcodes from ``a`` to ``b``; the common head and tail are matched
    first (a fix changes a few lines), so the diff only sees what lies between."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    if head:
        yield "equal", 0, head, 0, head
    matcher = SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail])
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        yield tag, head + a_start, head + a_end, head + b_start, head + b_end
    if tail:
        yield "equal", len(a) - tail, len(a), len(b) - tail, len(b)
