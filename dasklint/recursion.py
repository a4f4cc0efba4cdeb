"""One recursion limit for the standard library's parser, whatever the process did before.

CPython's parser scales its nesting limit with the interpreter's recursion limit, and the
engine raises that limit for libcst's deep trees. Without pinning it, whether a deeply
nested file parses would depend on which files the same process linted before it, and a
parallel run could disagree with a sequential one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

CPYTHON_DEFAULT = 1000  # sys.getrecursionlimit() of a fresh interpreter


@contextmanager
def default_recursion_limit() -> Iterator[None]:
    """Run the block with a fresh interpreter's recursion limit, then restore it."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(CPYTHON_DEFAULT)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)
