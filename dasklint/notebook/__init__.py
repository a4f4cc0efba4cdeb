"""Jupyter notebooks (``.ipynb``): read, join code cells into one module, map findings
back to cells, and write fixes into the notebook JSON.

Split into :mod:`.jsonmap` (reading and splicing the JSON text), :mod:`.magics` (what a
line of IPython syntax is), :mod:`.cells` (joining and masking IPython syntax),
:mod:`.positions` (findings of the joined module in the cells' coordinates) and
:mod:`.lint` (linting and fixing a notebook). Whether a module is a notebook is the
semantic model's to say (:mod:`dasklint.semantic.origin`).
"""

from __future__ import annotations

SUFFIX = ".ipynb"


def is_notebook(filename: str) -> bool:
    return filename.lower().endswith(SUFFIX)


__all__ = ["SUFFIX", "is_notebook"]
