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
``# <codecell>`` format and Databricks' ``# Databricks notebook source`` header. A file
without markers that shows values the way only an interactive session does (module-level
statements that are a bare name or attribute, such as ``client`` or ``df.dtypes``, which
a script computes and throws away) is a scratch file run in an interactive window.

A file under ``tests/`` is usually a module a test runner imports; one that is a program
run on its own (a ``__main__`` block that does not only start the runner, or module-level
work and no tests: ``tests/demo.py`` with a module-level ``Client()``) is linted as the
program it is (:func:`runs_as_script`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

import libcst as cst
from libcst.helpers import get_full_name_for_node


class SourceKind(Enum):
    SCRIPT = "script"
    NOTEBOOK = "notebook"  # an ``.ipynb``'s code cells, joined
    NOTEBOOK_EXPORT = "notebook-export"  # a ``.py`` file written from or for a notebook

    @property
    def interactive(self) -> bool:
        """Whether the code runs in an interactive kernel rather than as a script."""
        return self is not SourceKind.SCRIPT


# (a byte string the marker holds, the marker after a line end): most files hold none
# of the strings, and an expression that starts with a literal is searched for quickly.
_MARKERS = (
    (b"%%", re.compile(rb"\n#[ \t]*%%")),  # percent-format cells (jupytext, VS Code, Spyder)
    (b"# +", re.compile(rb"\n# \+(?:[ \t]+(?:\{|\w+=)[^\r\n]*)?[ \t]*(?:\n|\Z)")),  # light
    (b"# In[", re.compile(rb"\n# In\[[ \d]*\]:")),  # nbconvert's prompts
    (b"# <codecell>", re.compile(rb"\n# <codecell>")),  # IPython 2's .py notebooks
    # nbconvert writes magics, shell escapes and help as calls at the line's start.
    (b"get_ipython()", re.compile(rb"\n(?:[\w.]+[ \t]*=[ \t]*)?get_ipython\(\)\.")),
)
_HEADERS = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:# ---[ \t]*\r?\n# jupyter:|# Databricks notebook source)"
)


def is_notebook_export(source: bytes) -> bool:
    """Whether ``source`` carries the cell markers or calls of a notebook export."""
    if _HEADERS.match(source) is not None:
        return True
    lines: bytes | None = None
    for needle, marker in _MARKERS:
        if needle in source:
            lines = lines if lines is not None else b"\n" + source.replace(b"\r\n", b"\n")
            if marker.search(lines) is not None:
                return True
    return False


# Two displayed values, so that one stray statement does not make a script interactive.
DISPLAYS = 2
_DISPLAYED = (cst.Name, cst.Attribute, cst.Subscript)


def displays_values(module: cst.Module) -> bool:
    """Whether the module has :data:`DISPLAYS` module-level statements that only show a
    value (``client``, ``df.dtypes``, ``x[0]``), as notebook cells and interactive
    windows do; a script would compute them and throw them away."""
    count = 0
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Expr) and isinstance(small.value, _DISPLAYED):
                    count += 1
                    if count >= DISPLAYS:
                        return True
    return False


_LINE_END = re.compile(r"\r\n|\r|\n")  # Python's (``str.splitlines`` splits at more)


def _cell_rows(text: str, separator: str, numbers: tuple[int, ...], line: int) -> tuple[int, int]:
    position, row = 0, 0
    for number, current in enumerate(_LINE_END.split(text)[: max(line, 1)], start=1):
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


def is_main_guard(node: cst.CSTNode) -> bool:
    """``if __name__ == "__main__":``"""
    if not isinstance(node, cst.If) or not isinstance(node.test, cst.Comparison):
        return False
    test = node.test
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = {_text(test.left), _text(test.comparisons[0].comparator)}
    return sides in ({"__name__", '"__main__"'}, {"__name__", "'__main__'"})


def _text(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    return node.value if isinstance(node, cst.SimpleString) else ""


def runs_as_script(module: cst.Module, filename: str) -> bool:
    """A file among the tests that is run as a program, not collected by a test runner:
    it has a ``__main__`` block (one that does not only start a test runner:
    ``unittest.main()``), or it defines no tests (no ``test*`` function, no ``Test*``
    class, is not a ``conftest.py``) and does things at module level for their effect
    (``print(...)``, a loop, a ``with`` block), as demo scripts do. A helper module that
    only binds names stays a module that the runner imports."""
    if filename.replace("\\", "/").rsplit("/", 1)[-1] == "conftest.py":
        return False
    statements = list(module.body)
    guards = [statement for statement in statements if is_main_guard(statement)]
    if guards:
        return not all(_starts_test_runner(guard) for guard in guards)
    effects = False
    for statement in statements:
        if isinstance(statement, cst.FunctionDef) and statement.name.value.startswith("test"):
            return False
        if isinstance(statement, cst.ClassDef) and statement.name.value.startswith("Test"):
            return False
        if isinstance(statement, (cst.For, cst.While, cst.With)):
            effects = True  # a loop or a block that runs when the file does
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                    effects = True
                if isinstance(small, (cst.Import, cst.ImportFrom)) and _imports_runner(small):
                    return False
    return effects


def _starts_test_runner(guard: cst.CSTNode) -> bool:
    """The guard's body calls ``unittest.main()`` or ``pytest.main(...)``."""
    assert isinstance(guard, cst.If)
    for statement in guard.body.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            value = small.value if isinstance(small, cst.Expr) else None
            if isinstance(value, cst.Call):
                name = get_full_name_for_node(value.func) or ""
                if name.split(".")[0] in ("unittest", "pytest") and name.endswith("main"):
                    return True
    return False


def _imports_runner(node: cst.Import | cst.ImportFrom) -> bool:
    if isinstance(node, cst.Import):
        names = [get_full_name_for_node(alias.name) or "" for alias in node.names]
    else:
        names = [get_full_name_for_node(node.module) or ""] if node.module is not None else []
    return any(name.split(".", 1)[0] in ("pytest", "unittest") for name in names)
