"""Jupyter notebooks (``.ipynb``): read, join code cells into one module, map findings
back to cells, and write fixes into the notebook JSON.

Split into :mod:`.jsonmap` (reading and splicing the JSON text), :mod:`.magics` (what a
line of IPython syntax is), :mod:`.cells` (joining and masking IPython syntax),
:mod:`.positions` (findings of the joined module in the cells' coordinates).
Linting and fixing a notebook is the engine's (:mod:`dasklint.engine.lint.notebook`), which
runs the linter on the joined cells. Whether a module is a notebook is the
semantic model's to say (:mod:`dasklint.semantic.origin`).
"""

from __future__ import annotations

SUFFIX = ".ipynb"


def is_notebook(filename: str) -> bool:
    return filename.lower().endswith(SUFFIX)


__all__ = ["SUFFIX", "is_notebook"]
