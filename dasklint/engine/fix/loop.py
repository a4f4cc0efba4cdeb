"""Fixing one source buffer: apply, re-parse, re-lint, repeat until nothing changes.

Each pass applies every applicable fix that does not overlap an earlier one (the others
wait for the next pass, when the rules report them again on the new tree). A pass whose
result does not parse is retried fix by fix; a fix that breaks the code is dropped and
reported, never written. The loop stops when no applicable fix is left or after
:data:`MAX_PASSES` passes. The bytes keep the file's encoding, BOM and newline style,
because libcst renders the module with the encoding and default newline it parsed.
"""

from __future__ import annotations

import ast
import warnings
from collections import Counter

import libcst as cst

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Diagnostic, FileResult
from dasklint.engine.fix.apply import apply_fixes
from dasklint.engine.fix.describe import is_applicable
from dasklint.engine.fix.notebook import fix_notebook
from dasklint.engine.fix.outcome import FixOutcome
from dasklint.engine.lint import async_module
from dasklint.engine.lint.linter import EXPORT, lint_parsed, lint_python, size_error
from dasklint.engine.lint.nesting import nesting_error
from dasklint.engine.lint.parsing import parse_module
from dasklint.fix import Fix
from dasklint.notebook.cells import BOM, Joined, join_script, split
from dasklint.notebook.positions import mapped
from dasklint.prefilter import may_use_dask
from dasklint.semantic.origin import Origin
from dasklint.semantic.project import ProjectIndex

MAX_PASSES = 10


class Rewrite:
    """What :func:`fix_source` does to a parsed module: apply the fixes (the default) or
    something else that writes code the same safe way (``--add-noqa``)."""

    def __call__(
        self,
        module: cst.Module,
        source: bytes,
        filename: str,
        settings: FileSettings,
        index: ProjectIndex | None,
        origin: Origin | None,
    ) -> FixOutcome:
        return _fix_module(module, source, filename, settings, index, origin)

    # Rewrites other than fixing do not respell `dask.async` (DSK1003's fix).
    respells = True


FIX = Rewrite()


def fix_source(
    source: bytes,
    filename: str,
    settings: FileSettings,
    index: ProjectIndex | None = None,
    rewrite: Rewrite = FIX,
) -> FixOutcome:
    """Fix one file's bytes: a module, or a notebook's code cells (``.ipynb``).
    ``rewrite``: what to do to each module instead of fixing it."""
    if settings.is_notebook(filename):

        def fix_module(
            module: bytes, filename: str, settings: FileSettings, origin: Origin
        ) -> FixOutcome:
            return fix_python(module, filename, settings, index, origin=origin, rewrite=rewrite)

        return fix_notebook(source, filename, settings, index, fix_module)
    return fix_python(source, filename, settings, index, rewrite=rewrite)


def fix_python(
    source: bytes,
    filename: str,
    settings: FileSettings,
    index: ProjectIndex | None = None,
    *,
    origin: Origin | None = None,
    rewrite: Rewrite = FIX,
) -> FixOutcome:
    """Apply the applicable fixes to ``source`` until none is left (never raises for bad
    input: files that do not parse are returned unchanged with their DSK001 result).
    ``origin``: see :func:`~dasklint.engine.lint.linter.lint_python`."""
    if not may_use_dask(source):
        return FixOutcome(source, source, FileResult(filename, skipped=True))
    unchanged = FixOutcome(source, source, FileResult(filename))
    if size_error(source) is not None:  # lint_python reports it (DSK002)
        unchanged.result = lint_python(source, filename, settings, index)
        return unchanged
    try:
        if nesting_error(source) is not None:
            raise RecursionError
        module = parse_module(source)
    except Exception:  # lint_python reports why (DSK001); nothing is fixed
        respelled = (  # DSK1003
            async_module.respell_for_fix(source, filename, settings) if rewrite.respells else None
        )
        if respelled is not None:
            outcome = fix_python(respelled.source, filename, settings, index)
            outcome.original = source
            outcome.fixed["DSK1003"] += len(respelled.places)
            return outcome
        masked = join_script(source) if origin is None else None
        if masked is not None:
            return _fix_ipython_script(source, masked, filename, settings, index, rewrite)
        unchanged.result = lint_python(source, filename, settings, index, origin=origin)
        return unchanged
    try:
        return rewrite(module, source, filename, settings, index, origin)
    except RecursionError:  # too deep for the rules: lint_python reports it
        unchanged.result = lint_python(source, filename, settings, index, origin=origin)
        return unchanged


def _fix_ipython_script(
    source: bytes,
    joined: Joined,
    filename: str,
    settings: FileSettings,
    index: ProjectIndex | None,
    rewrite: Rewrite = FIX,
) -> FixOutcome:
    """Fix a ``.py`` file whose IPython lines are masked in ``joined``; they are written
    back as they were, and nothing is fixed when a fix would move or split one."""
    text = joined.text.encode("utf-8")
    outcome = fix_python(text, filename, settings, index, origin=EXPORT, rewrite=rewrite)
    kept = (outcome.fixed, outcome.dropped, outcome.converged)
    if not outcome.changed:
        return FixOutcome(source, source, mapped(outcome.result, joined, cells=False), *kept)
    cells = split(joined, outcome.source.decode("utf-8"))
    if cells is None:
        result = lint_python(source, filename, settings, index)
        dropped = [*outcome.dropped, "fixes that would move or split lines with IPython syntax"]
        return FixOutcome(source, source, result, dropped=dropped)
    new = (BOM if source.startswith(BOM) else b"") + cells[0].encode("utf-8")
    again = join_script(new)
    result = mapped(outcome.result, again, cells=False) if again is not None else outcome.result
    return FixOutcome(source, new, result, *kept)


def _fix_module(
    module: cst.Module,
    source: bytes,
    filename: str,
    settings: FileSettings,
    index: ProjectIndex | None,
    origin: Origin | None,
) -> FixOutcome:
    outcome = FixOutcome(source, source, FileResult(filename))
    refused: set[tuple[str, str, int]] = set()
    current = source
    diagnostics: list[Diagnostic] | None = None
    found: Counter[str] | None = None  # what ``check`` reports: the first pass's findings
    for _ in range(MAX_PASSES):
        diagnostics, pairs = lint_parsed(module, current, filename, settings, index, origin)
        if found is None:
            found = Counter(d.code for d in diagnostics)
        candidates = [
            (d, fix)
            for d, fix in pairs
            if is_applicable(fix, settings) and _key(d, fix) not in refused
        ]
        if not candidates:
            break
        applied = apply_fixes(module, [fix for _, fix in candidates])
        new_module = _parsed(applied.module)
        if new_module is None:
            kept = []
            for d, fix in candidates:
                if _parsed(apply_fixes(module, [fix]).module) is None:
                    refused.add(_key(d, fix))
                    outcome.dropped.append(f"{d.code} ({d.location.row}): {fix.title}")
                else:
                    kept.append(fix)
            if not kept:
                continue
            applied = apply_fixes(module, kept)
            new_module = _parsed(applied.module)
            if new_module is None:  # a combination breaks the code: keep the first only
                applied = apply_fixes(module, kept[:1])
                new_module = _parsed(applied.module)
                if new_module is None:
                    break
        codes = {id(fix): d.code for d, fix in candidates}
        outcome.fixed.update(codes[id(fix)] for fix in applied.applied)
        module = new_module
        current = module.bytes
        diagnostics = None
    else:
        outcome.converged = False
    if diagnostics is None:
        diagnostics, _ = lint_parsed(module, current, filename, settings, index, origin)
    outcome.source = current
    outcome.result = FileResult(filename, diagnostics)
    if outcome.fixed and found is not None:
        outcome.fixed = resolved(found, Counter(d.code for d in diagnostics))
    return outcome


def resolved(found: Counter[str], left: Counter[str]) -> Counter[str]:
    """The findings the fixes made go away, by rule, so that ``check --fix`` accounts for
    what ``check`` reported: "Found N findings (M fixed, K remaining)", N what ``check``
    found when the fixes add none. One guard fix resolves every finding of the statements
    it moves; a partial fix (DSK101's ``chunksize=1``) changes the code but leaves its
    finding, which remains."""
    return Counter({code: n - left[code] for code, n in found.items() if n > left[code]})


def _key(d: Diagnostic, fix: Fix) -> tuple[str, str, int]:
    return (d.code, fix.title, d.location.row)


def _parsed(module: cst.Module) -> cst.Module | None:
    """The rendered module parsed again, or None when the code is not valid Python."""
    data = module.bytes
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like
            ast.parse(data)
        return parse_module(data)
    except (SyntaxError, ValueError, cst.ParserSyntaxError):
        return None
