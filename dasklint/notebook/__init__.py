"""Jupyter notebooks (``.ipynb``): read, join code cells into one module, map findings
back to cells, and write fixes into the notebook JSON.

Split into :mod:`.jsonmap` (reading and splicing the JSON text), :mod:`.cells` (joining
and masking IPython syntax) and :mod:`.lint` (linting and fixing a notebook).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SUFFIX = ".ipynb"

_IN_NOTEBOOK: ContextVar[bool] = ContextVar("dasklint_in_notebook", default=False)


def is_notebook(filename: str) -> bool:
    return filename.lower().endswith(SUFFIX)


def in_notebook() -> bool:
    """Whether the module being linted or fixed is a notebook's code cells (for rules and
    fixes that differ between a script and a notebook kernel)."""
    return _IN_NOTEBOOK.get()


@contextmanager
def notebook_mode() -> Iterator[None]:
    token = _IN_NOTEBOOK.set(True)
    try:
        yield
    finally:
        _IN_NOTEBOOK.reset(token)


__all__ = ["SUFFIX", "in_notebook", "is_notebook", "notebook_mode"]
