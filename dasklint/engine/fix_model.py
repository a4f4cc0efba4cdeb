"""How the fix settings shape a rule's fix, and how a fix is described to output formats.

``unfixable`` drops a rule's fixes; ``extend-safe-fixes`` promotes unsafe fixes to safe and
``extend-unsafe-fixes`` demotes safe ones (ruff's keys). A fix counts as applicable
(``[*]``, applied by ``--fix``) when it is safe, or unsafe and ``--unsafe-fixes`` is on.
Display-only fixes are never applied.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Applicability, DiagnosticFix
from dasklint.fix import Fix


def effective_fix(fix: Fix | None, code: str, settings: FileSettings) -> Fix | None:
    """The fix after the settings: None when the rule is unfixable."""
    if fix is None:
        return None
    if code in settings.unfixable:
        return None
    level = fix.applicability
    if level is Applicability.UNSAFE and code in settings.promoted_fixes:
        level = Applicability.SAFE
    elif level is Applicability.SAFE and code in settings.demoted_fixes:
        level = Applicability.UNSAFE
    return fix if level is fix.applicability else replace(fix, applicability=level)


def is_applicable(fix: Fix, settings: FileSettings) -> bool:
    if fix.applicability is Applicability.SAFE:
        return True
    return fix.applicability is Applicability.UNSAFE and settings.unsafe_fixes


def describe_fix(module: cst.Module, fix: Fix, settings: FileSettings) -> DiagnosticFix:
    """The fix for output formats; its text edits only when the settings ask for them."""
    if not settings.fix_edits:
        return DiagnosticFix(fix.applicability, fix.title)
    from dasklint.engine.fixes import apply_fixes
    from dasklint.engine.text_edits import text_edits

    after = apply_fixes(module, [fix]).module.code
    return DiagnosticFix(fix.applicability, fix.title, text_edits(module.code, after))
