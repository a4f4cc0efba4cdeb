"""What a line of IPython syntax is, for masking it (see :mod:`dasklint.notebook.cells`).

IPython turns these lines into calls before Python sees them (IPython's
``inputtransformer2``): ``%name args`` (a line magic), ``%%name args`` on a cell's first
line (a cell magic, which receives the rest of the cell), ``!command`` and ``x = !command``
(the shell), ``x = %name args``, and ``obj?``/``?obj`` (help). Some magics run Python code
in the kernel's namespace: ``%time``/``%timeit``/``%prun`` and their cell forms, whose
statement or body is the code a linter must see.
"""

from __future__ import annotations

import ast
import re
import warnings

# Cell magics whose body is Python code run in the kernel's namespace (IPython's
# ``%%time``, ``%%timeit``, ``%%capture``, ``%%prun``, ``%%debug``; ``%%memit`` from
# memory_profiler, ``%%lprun``/``%%mprun`` from the line and memory profilers).
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "memit", "mprun"})
# Line magics that run the Python statement after them, with the single-letter options
# of each that take a value (``%timeit -n 10 -r 3 stmt``, ``%prun -s cumulative stmt``).
STATEMENT_MAGICS: dict[str, str] = {
    "time": "",
    "timeit": "nrp",
    "prun": "DTls",
    "debug": "",
    "memit": "rt",
    "lprun": "fmDTu",
    "mprun": "fT",
}

_ASSIGNED_MAGIC = re.compile(r"^[\w.\[\]'\", ]+\s*=\s*[%!]")
_LINE_MAGIC = re.compile(r"^[%!?]")
_HELP = re.compile(r"^[A-Za-z_][\w.]*\?{1,2}$")  # `obj?`, `obj.attr??`
_CELL_MAGIC = re.compile(r"^%%(\w+)")
_STATEMENT_MAGIC = re.compile(r"%(\w+)")
_OPTION = re.compile(r"[ \t]+-(\w)(\S*)")
_WORD = re.compile(r"[ \t]+\S+")
_SPACE = re.compile(r"[ \t]*")
# Where a cell starts in a ``.py`` file saved from a notebook (percent and light formats,
# nbconvert's prompts).
CELL_MARKER = re.compile(r"^(?:#\s*%%|# \+|# In\[[ \d]*\]:)")


def is_ipython_line(stripped: str) -> bool:
    """Whether a line (without its indentation) is IPython syntax, not Python."""
    return bool(
        _LINE_MAGIC.match(stripped) or _ASSIGNED_MAGIC.match(stripped) or _HELP.match(stripped)
    )


def cell_magic(stripped: str) -> str | None:
    """The name of the cell magic a line starts (``%%timeit -n 3`` -> ``timeit``)."""
    found = _CELL_MAGIC.match(stripped)
    return found.group(1) if found is not None else None


def parses(code: str) -> bool:
    """Whether ``code`` is a complete Python statement list on its own."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like
            ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def statement_start(body: str) -> int | None:
    """Where, in ``body`` (a line without its end), the Python statement after a line
    magic such as ``%time`` or ``%timeit -n 3`` starts; None when the line is no such
    magic or what follows is not a statement of its own."""
    indent = len(body) - len(body.lstrip(" \t"))
    found = _STATEMENT_MAGIC.match(body, indent)
    if found is None or found.group(1) not in STATEMENT_MAGICS:
        return None
    takes_value = STATEMENT_MAGICS[found.group(1)]
    position = found.end()
    while (option := _OPTION.match(body, position)) is not None:
        position = option.end()
        if option.group(1) in takes_value and not option.group(2):
            value = _WORD.match(body, position)
            position = value.end() if value is not None else position
    space = _SPACE.match(body, position)
    start = space.end() if space is not None else position
    if start == position and position < len(body):
        return None  # `%timeit2`, `%time(...)`: not this magic's argument
    code = body[start:]
    if not code.strip() or code.rstrip().endswith("\\") or not parses(code):
        return None
    return start
