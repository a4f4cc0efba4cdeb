"""Refusing sources nested too deeply to parse safely.

libcst's native parser recurses once per nesting level and overflows the C stack on
deeply nested input (about 1,300 nested brackets, or thousands of chained unary
operators or lambdas): the process dies with a segmentation fault, which no ``except``
can catch (Instagram/LibCST#619, #1000). CPython itself refuses such files: it allows
at most 200 nested brackets ("too many nested parentheses") and its parser gives up on
long chains ("too complex"). So a file is checked before libcst sees it:

- a bracket nested more than 200 levels deep is reported with CPython's message;
- a logical line longer than :data:`LONG_LINE` bytes (the only way to nest thousands
  of levels without brackets) is first parsed by the standard library's parser
  (parsing only, nothing is executed); when that parser fails for lack of stack, the
  file is reported as too deeply nested. The standard library's tree keeps
  ``a and b and c ...`` flat where libcst nests it one level per operator, so a chain
  of about 8,000 ``and``s parses in CPython but crashes libcst: such chains count
  one level per operator (:data:`MAX_CHAIN_DEPTH`).
"""

from __future__ import annotations

import ast
import re
import warnings

from dasklint.recursion import default_recursion_limit

MAX_BRACKET_DEPTH = 200  # CPython's tokenizer limit (MAXLEVEL)
LONG_LINE = 4096
# libcst crashed at 8,000 chained ``and``s and at 7,000 chained ``+`` on the
# reference machine (8 MB stack); CPython's own parser stops nesting near 3,000.
MAX_CHAIN_DEPTH = 5000

# Strings (with any prefix) and comments are skipped whole; brackets, backslash
# continuations and newlines are what the scan looks at.
_TOKENS = re.compile(
    rb"""[rRbBuUfFtT]{0,2}(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\""""
    rb"""|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")"""
    rb"|#[^\r\n]*|\\\r?\n|[(\[{]|[)\]}]|\r?\n",
    re.DOTALL,
)


def nesting_error(source: bytes) -> tuple[int, int, str] | None:
    """``(row, column, message)`` when ``source`` is nested too deeply to parse, else None."""
    depth = 0
    line_start = 0  # offset where the current logical line starts
    deepest: int | None = None  # offset of the first bracket past the limit
    long_line: int | None = None
    for match in _TOKENS.finditer(source):
        char = source[match.start()]
        if char in b"([{":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                deepest = match.start()
                break
        elif char in b")]}":
            depth = max(depth - 1, 0)
        elif char in b"\r\n" and depth == 0:
            if match.start() - line_start > LONG_LINE and long_line is None:
                long_line = line_start
            line_start = match.end()
    else:
        if len(source) - line_start > LONG_LINE and long_line is None:
            long_line = line_start
    if deepest is None and long_line is None:
        return None
    try:
        with warnings.catch_warnings(), default_recursion_limit():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except SyntaxError as error:
        if "too many nested parentheses" in error.msg and error.lineno:
            return error.lineno, error.offset or 1, f"Cannot parse: {error.msg}"
        if deepest is not None:  # newer syntax than this Python's parser knows, say
            row, column = offset_position(source, deepest)
            return row, column, "Cannot parse: too many nested parentheses"
        return None  # libcst may accept syntax newer than this Python's
    except ValueError:  # null bytes: libcst reports them
        return None
    except (RecursionError, MemoryError):
        offset = deepest if deepest is not None else long_line or 0
        row, column = offset_position(source, offset)
        return row, column, "Cannot parse: the code is nested too deeply"
    too_deep = _deepest_chain(tree)
    if too_deep is not None:
        return (
            too_deep.lineno,
            too_deep.col_offset + 1,
            "Cannot parse: the code is nested too deeply",
        )
    return None  # the scan was misled (by an f-string, say): the parser accepts it


def _deepest_chain(tree: ast.AST) -> ast.expr | None:
    """The first expression libcst would nest deeper than :data:`MAX_CHAIN_DEPTH`.

    Iterative, so the check itself cannot run out of stack.
    """
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.BoolOp):
            depth += len(node.values) - 1
            if depth > MAX_CHAIN_DEPTH:
                return node
        else:
            depth += 1
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))
    return None


_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"


def offset_position(source: bytes, offset: int) -> tuple[int, int]:
    """The 1-based row and column (in code points) of a byte offset. Lines end at
    ``\\r\\n``, ``\\r`` or ``\\n``, as Python's tokenizer reads them; a BOM takes no column."""
    row, line_start = 1, 0
    for match in _LINE_BREAK.finditer(source, 0, offset):
        row, line_start = row + 1, match.end()
    if line_start == 0 and source.startswith(_BOM):
        line_start = min(len(_BOM), offset)
    column = len(source[line_start:offset].decode("utf-8", errors="replace")) + 1
    return row, column
