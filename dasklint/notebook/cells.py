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
cells of the fixed module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dasklint.notebook.jsonmap import RawCell

_ASSIGNED_MAGIC = re.compile(r"^[\w.\[\]'\", ]+\s*=\s*[%!]")
_LINE_MAGIC = re.compile(r"^[%!?]")
_HELP = re.compile(r"^[A-Za-z_][\w.]*\?{1,2}$")  # `obj?`, `obj.attr??`


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
        lines = cell.source.splitlines(keepends=True) or [""]
        whole = lines[0].lstrip().startswith("%%")
        continued = False
        for row, line in enumerate(lines, start=1):
            body = line.rstrip("\r\n")
            stripped = body.strip()
            if whole or continued or _is_ipython_line(stripped):
                key = len(joined.masked)
                joined.masked[key] = body
                indent = body[: len(body) - len(body.lstrip())]
                if whole:
                    out.append(f"# {joined.mask_token} {key}\n")
                else:
                    out.append(f"{indent}pass  # {joined.mask_token} {key}\n")
                continued = body.endswith("\\")
            else:
                out.append(body + "\n")
            joined.rows.append((number, row))
    joined.text = "".join(out)
    return joined


def split(joined: Joined, fixed: str) -> dict[int, str] | None:
    """The new source of each code cell (by cell index) in ``fixed``, magics restored and
    each cell's own end-of-text kept; None when a separator or a masked line was lost."""
    cell_line = re.compile(rf"^# {re.escape(joined.cell_token)} (\d+)\n?$")
    mask_line = re.compile(rf"^(\s*)(?:pass  )?# {re.escape(joined.mask_token)} (\d+)$")
    parts: list[list[str]] = [[]]
    for line in fixed.splitlines(keepends=True):
        found = cell_line.match(line)
        if found is not None:
            if int(found.group(1)) != len(parts):
                return None
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) != len(joined.cells):
        return None
    restored: set[int] = set()
    out = {}
    for cell, lines in zip(joined.cells, parts, strict=True):
        new_lines = []
        for line in lines:
            body = line.rstrip("\r\n")
            mask = mask_line.match(body)
            if mask is not None:
                key = int(mask.group(2))
                restored.add(key)
                original = joined.masked[key]
                indent = mask.group(1)
                body = indent + original.lstrip() if original.strip() else original
            new_lines.append(body + line[len(line.rstrip("\r\n")) :])
        text = "".join(new_lines)
        if text != cell.source + "\n":
            # Keep the cell's own ending (blank lines a fix left at the end go).
            ending = cell.source[len(cell.source.rstrip("\r\n")) :]
            text = text.rstrip("\r\n") + ending
        else:
            text = cell.source
        out[cell.index] = text
    if restored != set(joined.masked):
        return None
    return out
