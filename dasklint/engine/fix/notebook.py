"""Fixing a notebook: its code cells fixed as one module, then spliced back.

Fixes run through the same fix loop as ``.py`` files (passed in as ``fix_module``: the
loop hands notebooks here). The fixed cells are spliced into the notebook's JSON text
(:func:`dasklint.notebook.jsonmap.splice`), leaving every other byte alone; findings are
reported per cell as when linting (:mod:`dasklint.engine.lint.notebook`).
"""

from __future__ import annotations

from collections.abc import Callable

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Diagnostic, FileResult
from dasklint.engine.fix.outcome import FixOutcome
from dasklint.engine.lint.linter import lint_python
from dasklint.engine.lint.notebook import (
    origin_of,
    read,
    unparsed,
    with_broken,
    without_broken_cells,
)
from dasklint.notebook.cells import BOM, join, split
from dasklint.notebook.jsonmap import load, splice
from dasklint.notebook.positions import mapped
from dasklint.semantic.origin import Origin
from dasklint.semantic.project import ProjectIndex

# Fixes one module's bytes (the cells joined) as the module ``origin`` says.
FixModule = Callable[[bytes, str, FileSettings, Origin], FixOutcome]


def fix_notebook(
    source: bytes,
    filename: str,
    settings: FileSettings,
    index: ProjectIndex | None,
    fix_module: FixModule,
) -> FixOutcome:
    """Fix the code cells with ``fix_module`` (the fix loop, which hands notebooks here)."""
    joined = read(source, filename, settings)
    if isinstance(joined, FileResult):
        return FixOutcome(source, source, joined)
    module = joined.text.encode("utf-8")
    origin = origin_of(joined)
    outcome = fix_module(module, filename, settings, origin)
    broken: list[Diagnostic] = []
    if not outcome.changed and unparsed(outcome.result):
        split_up = without_broken_cells(joined, filename, settings)
        if split_up is not None:
            joined, broken = split_up
            module, origin = joined.text.encode("utf-8"), origin_of(joined)
            outcome = fix_module(module, filename, settings, origin)
    if not outcome.changed:
        result = with_broken(broken, mapped(outcome.result, joined), joined)
        return FixOutcome(source, source, result, outcome.fixed, outcome.dropped, outcome.converged)
    cells = split(joined, outcome.source.decode("utf-8"))
    if cells is None:
        # A fix moved a cell separator or lost a masked magic: keep the notebook as it was.
        result = lint_python(module, filename, settings, index, origin=origin)
        result = with_broken(broken, mapped(result, joined), joined)
        dropped = [*outcome.dropped, "fixes that would move code across notebook cells"]
        return FixOutcome(source, source, result, dropped=dropped)
    originals = {cell.index: cell.source for cell in joined.cells}
    changed = {i: text for i, text in cells.items() if text != originals[i]}
    bom = BOM if source.startswith(BOM) else b""
    text = source[len(bom) :].decode("utf-8")
    new_bytes = bom + splice(text, changed).encode("utf-8")
    # The remaining findings are rows of the fixed module: map them with the new cells.
    new_text, new_cells = load(new_bytes)
    new_joined = join(new_cells, new_text, broken=joined.broken)
    result = with_broken(broken, mapped(outcome.result, new_joined), joined)
    return FixOutcome(source, new_bytes, result, outcome.fixed, outcome.dropped, outcome.converged)
