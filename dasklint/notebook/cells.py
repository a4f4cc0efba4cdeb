"""Joining a notebook's code cells into one module, and splitting a fixed module back.

IPython syntax is masked line for line, so rows keep their meaning and nothing in it can
fail the parse or be reported:

* a cell magic (a cell whose first line starts with ``%%``) whose body is not Python run
  in the kernel (``%%bash``, ``%%html``, ``%%writefile``) masks the whole cell: its lines
  become comments. The body of ``%%time``, ``%%timeit`` and the other magics listed in
  :data:`PYTHON_CELL_MAGICS` is Python run in the kernel's namespace: only the magic's
  line is masked and the body is linted;
* a line magic that runs a Python statement (``%time x.compute()``, ``%timeit -n 3
  f()``) is linted as that statement: the magic and its options are cut from the line
  (:class:`Joined` keeps the columns to shift back);
* another line magic (``%matplotlib inline``), a shell escape (``!pip ...``), a help
  request (``obj?``, ``?obj``) and the assignment forms (``x = !ls``, ``t = %timeit -o
  f()``) become ``pass`` at the line's indentation, so a block whose only statement is a
  magic still parses. A line continued with a backslash is masked with the next.

A ``.py`` file written with IPython syntax is joined as one cell (``script=True``):
there, a cell magic that is not Python masks the lines up to the next blank line or cell
marker (``# %%``, ``# In[ ]:``).

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
from dasklint.notebook.magics import (
    CELL_MARKER,
    PYTHON_CELL_MAGICS,
    cell_magic,
    is_ipython_line,
    parses,
    statement_start,
)

BOM = b"\xef\xbb\xbf"
# Python's line ends (``str.splitlines`` also splits at U+2028, form feeds and more).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def lines_of(text: str) -> list[str]:
    """``text``'s lines, each with its line end, split where Python ends a line."""
    return _LINE.findall(text)


def _line_end(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


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
    # Mask number -> the magic cut before a statement (``%timeit -n 3 ``), and module row
    # -> (column where that statement starts in the module line, length of the cut).
    cut: dict[int, str] = field(default_factory=dict)
    shifts: dict[int, tuple[int, int]] = field(default_factory=dict)
    masked_rows: set[int] = field(default_factory=set)  # module rows masked whole
    segments: list[list[str]] = field(default_factory=list)  # each cell's module lines
    mask_token: str = ""
    cell_token: str = ""
    # Code cells that do not parse (position -> the row from which they are masked).
    broken: dict[int, int] = field(default_factory=dict)
    everything: str = field(default="", repr=False)  # the text the tokens were chosen for

    def locate(self, row: int) -> tuple[int, int]:
        """The 1-based cell number (among all cells) and row within it of a module row."""
        if not self.rows:
            return (self.cells[0].index + 1 if self.cells else 1), 1
        return self.rows[min(max(row, 1), len(self.rows)) - 1]

    def column(self, row: int, column: int) -> int:
        """The 1-based column in the cell's own line of a module row's 1-based column."""
        shift = self.shifts.get(row)
        if shift is None or column - 1 < shift[0]:
            return column
        return column + shift[1]

    def module_row(self, position: int, row: int) -> int:
        """The module row of ``row`` in the code cell at ``position`` (0-based)."""
        number = self.cells[position].index + 1
        return self.rows.index((number, row)) + 1

    @property
    def part_token(self) -> str:
        """The token after a line whose magic was cut (distinct from whole masks)."""
        return self.mask_token + "p"


def join(
    cells: list[RawCell],
    everything: str,
    *,
    script: bool = False,
    broken: dict[int, int] | None = None,
) -> Joined:
    """Join the code cells; ``everything`` (the notebook's text) picks unused tokens.
    ``script``: the one cell is a ``.py`` file; ``broken``: code cells that do not parse
    (position -> the row from which they are masked as comments), so that the rest is
    linted."""
    broken = dict(broken or {})
    code = [cell for cell in cells if cell.cell_type == "code"]
    joined = Joined(
        "",
        code,
        mask_token=_token(everything, "nbmask"),
        cell_token=_token(everything, "nbcell"),
        broken=broken,
        everything=everything,
    )
    out: list[str] = []
    for position, cell in enumerate(code):
        number = cell.index + 1
        if position:
            out.append(f"# {joined.cell_token} {position}\n")
            last = joined.rows[-1] if joined.rows else (number, 0)
            # A syntax error running past a cell's end is reported just after it.
            joined.rows.append((last[0], last[1] + 1))
        segment = _mask_cell(joined, cell.source, len(out) + 1, script, broken.get(position))
        joined.rows.extend((number, row) for row in range(1, len(segment) + 1))
        joined.segments.append(segment)
        out.extend(segment)
    joined.text = "".join(out)
    return joined


def _mask_cell(
    joined: Joined, source: str, first_row: int, script: bool, broken: int | None
) -> list[str]:
    """One cell's module lines (``first_row``: the module row of its first line;
    ``broken``: the row from which the cell is masked as comments)."""
    lines = lines_of(source) or [""]
    opening = cell_magic(lines[0].lstrip())
    whole = opening is not None and opening not in PYTHON_CELL_MAGICS
    continued = False
    segment: list[str] = []
    for number, line in enumerate(lines, start=1):
        row = first_row + number - 1
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if broken is not None and number >= broken:
            whole = True
        elif script:
            if whole and (not stripped or CELL_MARKER.match(stripped)):
                whole = False  # a `.py` file's cell magic ends at a blank line or marker
            opening = cell_magic(stripped)
            whole = whole or (opening is not None and opening not in PYTHON_CELL_MAGICS)
        start = None if whole or continued else statement_start(body)
        if start is not None:
            key = len(joined.masked)
            joined.masked[key] = body
            indent = body[: len(body) - len(body.lstrip())]
            joined.cut[key] = body[len(indent) : start]
            joined.shifts[row] = (len(indent), start - len(indent))
            segment.append(f"{indent}{body[start:]}  # {joined.part_token} {key}\n")
        elif whole or continued or is_ipython_line(stripped):
            key = len(joined.masked)
            joined.masked[key] = body
            joined.masked_rows.add(row)
            indent = body[: len(body) - len(body.lstrip())]
            if whole:
                joined.whole.add(key)
                segment.append(f"# {joined.mask_token} {key}\n")
            else:
                segment.append(f"{indent}pass  # {joined.mask_token} {key}\n")
            continued = body.endswith("\\")
        else:
            segment.append(body + "\n")
    return segment


def join_script(source: bytes) -> Joined | None:
    """A ``.py`` file as one cell with its IPython lines masked (its rows stay); None
    when it is not UTF-8 or has no IPython line."""
    try:
        text = source.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError:
        return None
    joined = join([RawCell(0, "code", text)], text, script=True)
    return joined if joined.masked else None


def split(joined: Joined, fixed: str) -> dict[int, str] | None:
    """The new source of each code cell (by cell index) in ``fixed``, magics restored and
    each cell's own end-of-text kept; None when a separator or a masked line was lost, or
    a statement after a cut magic no longer stands on its line alone."""
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
    masks = _Masks(joined)
    restored: set[int] = set()
    out = {}
    for cell, segment, lines in zip(joined.cells, joined.segments, parts, strict=True):
        restored.update(key for line in lines if (key := masks.key(line)) is not None)
        if lines == segment:
            out[cell.index] = cell.source
            continue
        changed = _changed_cell(masks, cell.source, segment, lines)
        if changed is None:
            return None
        out[cell.index] = changed
    if restored != set(joined.masked):
        return None
    return out


class _Masks:
    """Finds the masked lines of a fixed module and gives them their IPython back."""

    def __init__(self, joined: Joined) -> None:
        self.joined = joined
        self.whole = re.compile(rf"^(\s*)(?:pass  )?# {re.escape(joined.mask_token)} (\d+)$")
        self.cut = re.compile(rf"^(\s*)(.*?)  # {re.escape(joined.part_token)} (\d+)$")

    def key(self, line: str) -> int | None:
        body = line.rstrip("\r\n")
        found = self.whole.match(body)
        if found is not None:
            return int(found.group(2))
        found = self.cut.match(body)
        return int(found.group(3)) if found is not None else None

    def restore(self, body: str) -> str | None:
        """``body`` with its magic back (at the indentation it now has), ``body`` when it
        is no masked line; None when a cut statement no longer stands alone."""
        found = self.whole.match(body)
        if found is not None:
            key = int(found.group(2))
            original = self.joined.masked[key]
            keep = key in self.joined.whole or not original.strip()
            return original if keep else found.group(1) + original.lstrip()
        found = self.cut.match(body)
        if found is None:
            return body
        code = found.group(2)
        if not parses(code):
            return None
        return found.group(1) + self.joined.cut[int(found.group(3))] + code


def _changed_cell(masks: _Masks, source: str, segment: list[str], lines: list[str]) -> str | None:
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
            body = masks.restore(line.rstrip("\r\n"))
            if body is None:
                return None
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
