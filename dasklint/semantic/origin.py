"""Where a module comes from: a script, a notebook's code cells, or a notebook export.

Code that runs in an interactive kernel (a notebook, or a file exported from one and run
cell by cell in an editor's interactive window) differs from a script in ways several
rules care about: its ``__main__`` has no file for spawned worker processes to import
(so no main guard is needed), a bare expression may be a cell's displayed value, and a
Client is meant to stay open. A notebook's cells are linted as one joined module, so a
message that cites another line must name the cell and row, not the joined module's line.

Exports are recognised by the markers the usual tools write: jupytext's YAML header and
its percent (``# %%``) and light (``# +``) cell markers, the ``# %%`` cells of VS Code and
Spyder, nbconvert's ``# In[ ]:`` prompts and ``get_ipython()`` calls, the IPython 2
``# <codecell>`` format and Databricks' ``# Databricks notebook source`` header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


class SourceKind(Enum):
    SCRIPT = "script"
    NOTEBOOK = "notebook"  # an ``.ipynb``'s code cells, joined
    NOTEBOOK_EXPORT = "notebook-export"  # a ``.py`` file written from or for a notebook

    @property
    def interactive(self) -> bool:
        """Whether the code runs in an interactive kernel rather than as a script."""
        return self is not SourceKind.SCRIPT


_EXPORT_MARKERS = re.compile(
    rb"\A(?:\xef\xbb\xbf)?# ---[ \t]*\r?\n# jupyter:"  # jupytext's YAML header
    rb"|\A(?:\xef\xbb\xbf)?# Databricks notebook source"
    rb"|^#[ \t]*%%"  # percent-format cells (jupytext, VS Code, Spyder, PyCharm)
    rb"|^# \+(?:[ \t]+(?:\{|\w+=)[^\r\n]*)?[ \t]*\r?$"  # jupytext light-format cells
    rb"|^# In\[[ \d]*\]:"  # nbconvert's prompts
    rb"|^# <codecell>"  # IPython 2's .py notebooks
    # nbconvert writes magics, shell escapes and help as calls at the line's start.
    rb"|^(?:[\w.]+[ \t]*=[ \t]*)?get_ipython\(\)\.",
    re.MULTILINE,
)


def is_notebook_export(source: bytes) -> bool:
    """Whether ``source`` carries the cell markers or calls of a notebook export."""
    return _EXPORT_MARKERS.search(source) is not None


def _cell_rows(text: str, separator: str, numbers: tuple[int, ...], line: int) -> tuple[int, int]:
    position, row = 0, 0
    for number, current in enumerate(text.splitlines()[: max(line, 1)], start=1):
        after = current[len(separator) :]
        if current.startswith(separator) and after.isdigit() and number < line:
            position, row = position + 1, 0
        else:
            row += 1
    cell = numbers[min(position, len(numbers) - 1)] if numbers else 1
    return cell, max(row, 1)


@dataclass(frozen=True)
class Origin:
    """What the module is, and for a notebook how its joined lines map to cells.

    ``text`` is the joined module as linted (it changes between fix passes, so cells are
    found from it, by ``separator`` lines, rather than from the notebook as read)."""

    kind: SourceKind = SourceKind.SCRIPT
    text: str = field(default="", repr=False)
    separator: str = ""  # how the comment line between two cells starts (a number follows)
    numbers: tuple[int, ...] = ()  # each code cell's number among all cells, in order

    @property
    def interactive(self) -> bool:
        return self.kind.interactive

    def line_name(self, line: int) -> str:
        """How a message names ``line`` of this module: "line 12", or in a notebook
        "cell 3, row 2" (the notebook's own coordinates)."""
        if self.kind is not SourceKind.NOTEBOOK or not self.separator:
            return f"line {line}"
        cell, row = _cell_rows(self.text, self.separator, self.numbers, line)
        return f"cell {cell}, row {row}"


SCRIPT = Origin()
