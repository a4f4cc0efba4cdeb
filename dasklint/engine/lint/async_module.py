"""DSK1003: ``dask.async``, which no Python since 3.7 (and no libcst) can parse.

When a file fails to parse, the engine looks for ``dask . async`` in its tokens. If it
finds some, it lints the file with each ``async`` there spelled ``local`` (the same
length, so every position stays valid, and what the module was renamed to) and adds a
DSK1003 finding per spelling; the fix loop starts from the respelled bytes, so the fix is
the respelling itself. Anything else that does not parse is still DSK001.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Applicability, Diagnostic, DiagnosticFix, Location, TextEdit
from dasklint.engine.lint import suppressions
from dasklint.rules.deprecations.dask_async_module import (
    ASYNC_MODULE,
    CONSEQUENCE,
    FIX_TITLE,
    DaskAsyncModule,
)
from dasklint.semantic.async_spelling import Respelled, respell_dask_async

_NEW = "local"


def respell(
    source: bytes,
    settings: FileSettings,
    only: frozenset[tuple[int, int]] | None = None,
) -> Respelled | None:
    """None unless DSK1003 is enabled, the target version has the deprecation, and the
    source spells ``dask.async`` somewhere (among the places ``only``, when given)."""
    if DaskAsyncModule.code not in settings.enabled:
        return None
    if ASYNC_MODULE.severity(settings.target_dask_version) is None:
        return None
    return respell_dask_async(source, only)


def can_fix(settings: FileSettings) -> bool:
    """The fix settings let ``--fix`` apply DSK1003's (safe) fix."""
    code = DaskAsyncModule.code
    if code in settings.unfixable:
        return False
    return code not in settings.demoted_fixes or settings.unsafe_fixes


def _ignored(found: suppressions.Suppressions, row: int, names_rule: Callable[[str], bool]) -> bool:
    """``# dasklint: ignore[...]`` on the line, or on comment lines right above it."""
    rows = [row]
    while rows[-1] - 1 in found.own_line:
        rows.append(rows[-1] - 1)
    return any(r in found.ignore and found.covers(found.ignore[r], names_rule) for r in rows)


def _suppressions(respelled: Respelled, settings: FileSettings) -> suppressions.Suppressions:
    if settings.ignore_noqa:
        return suppressions.Suppressions()
    return suppressions.scan(respelled.source.decode("utf-8", errors="replace"))


def silenced_rows(respelled: Respelled, settings: FileSettings) -> dict[int, set[str]]:
    """The rows whose ``# noqa`` silences a DSK1003 finding (for DSK004, which judges
    the comments in the respelled module, where DSK1003 is not reported)."""
    found = _suppressions(respelled, settings)
    rule = DaskAsyncModule
    return {
        row: {rule.code}
        for row, _ in respelled.places
        if row in found.noqa
        and found.covers(found.noqa[row], lambda key: key.upper() == rule.code or key == rule.name)
    }


def diagnostics(
    respelled: Respelled, filename: str, settings: FileSettings, parses: bool = True
) -> list[Diagnostic]:
    """One DSK1003 finding per ``dask.async``, after ``# noqa`` and file-level comments;
    with a fix unless the respelled file still does not parse (``parses``)."""
    rule = DaskAsyncModule
    found = _suppressions(respelled, settings)

    def names_rule(key: str) -> bool:
        return key.upper() == rule.code or key == rule.name

    if found.file_level and found.covers(found.file_level, names_rule):
        return []
    target = settings.target_dask_version
    severity = settings.severity_for(rule.code) or ASYNC_MODULE.severity(target)
    assert severity is not None, "respell() checked the target version"
    message = ASYNC_MODULE.message(target, CONSEQUENCE)
    out = []
    for row, column in respelled.places:
        if row in found.noqa and found.covers(found.noqa[row], names_rule):
            continue
        if _ignored(found, row, names_rule):
            continue
        start, end = Location(row, column + 1), Location(row, column + 1 + len(_NEW))
        level = Applicability.SAFE
        if rule.code in settings.demoted_fixes:
            level = Applicability.UNSAFE
        fix = None
        if parses and rule.code not in settings.unfixable:
            edits = (TextEdit(_NEW, start, end),) if settings.fix_edits else ()
            fix = DiagnosticFix(level, FIX_TITLE, edits)
        out.append(
            Diagnostic(
                code=rule.code,
                name=rule.name,
                message=message.message,
                help=message.help,
                notes=message.notes,
                filename=filename,
                location=start,
                end_location=end,
                severity=severity,
                noqa_row=row,
                fixable=fix is not None and can_fix(settings),
                fix=fix,
            )
        )
    return out


def respell_for_fix(source: bytes, filename: str, settings: FileSettings) -> Respelled | None:
    """The source with the fixable ``dask.async`` spellings (not suppressed, fixes allowed)
    respelled, when the result parses: a fix never writes code that does not parse."""
    found = respell(source, settings)
    if found is None or not can_fix(settings):
        return None
    fixable = frozenset(
        (d.location.row, d.location.column - 1)
        for d in diagnostics(found, filename, settings)
        if d.fixable
    )
    fixed = respell(source, settings, fixable) if fixable else None
    if fixed is None:
        return None
    try:
        cst.parse_module(fixed.source)
    except Exception:  # another syntax error, or a suppressed `dask.async` left
        return None
    return fixed
