"""How the fix settings shape a rule's fix, and how a fix is described to output formats.

``unfixable`` drops a rule's fixes; ``extend-safe-fixes`` promotes unsafe fixes to safe and
``extend-unsafe-fixes`` demotes safe ones (ruff's keys). A fix counts as applicable
(``[*]``, applied by ``--fix``) when it is safe, or unsafe and ``--unsafe-fixes`` is on.
Display-only fixes are never applied.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst
from libcst._nodes.internal import CodegenState

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Applicability, DiagnosticFix, Location, TextEdit
from dasklint.engine.lint.positions import Layout
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


def describe_fix(
    module: cst.Module,
    fix: Fix,
    settings: FileSettings,
    layout: Layout | None = None,
    *,
    defer: bool = False,
) -> DiagnosticFix:
    """The fix for output formats; its text edits only when the settings ask for them.

    With the ``layout`` of the fix's nodes, the edits come from the top-level statements
    the fix changes (rendered before and after, then compared), which costs the size of
    those statements rather than of the module. A fix that adds or removes imports needs
    the whole module (libcst's import visitors, see :func:`whole_module_edits`); with
    ``defer`` such a fix is described without edits, for an editor to compute them only
    when a code action asks for them.
    """
    if not settings.fix_edits:
        return DiagnosticFix(fix.applicability, fix.title, caveat=fix.caveat)
    edits = statement_edits(module, fix, layout) if layout is not None else None
    if edits is None:
        if defer:
            return DiagnosticFix(fix.applicability, fix.title, caveat=fix.caveat)
        edits = whole_module_edits(module, fix)
    return DiagnosticFix(fix.applicability, fix.title, edits, fix.caveat)


def whole_module_edits(module: cst.Module, fix: Fix) -> tuple[TextEdit, ...]:
    """The fix applied alone to the module, the result compared with the module's code."""
    from dasklint.engine.fix.apply import apply_fixes
    from dasklint.engine.fix.text_edits import text_edits

    after = apply_fixes(module, [fix]).module.code
    return text_edits(module.code, after)


def statement_edits(module: cst.Module, fix: Fix, layout: Layout) -> tuple[TextEdit, ...] | None:
    """The fix's edits from the top-level statements it changes; None when they need the
    whole module (imports, a node not positioned, the module's first or last line)."""
    from dasklint.engine.fix.apply import replace_in
    from dasklint.engine.fix.text_edits import text_edits

    if fix.add_imports or fix.remove_imports or not fix.edits:
        return None
    in_line = _line_edits(module, fix, layout)
    if in_line is not None:
        return in_line
    owners = [layout.owner.get(id(edit.node)) for edit in fix.edits]
    if None in owners:
        return None
    first = min(o for o in owners if o is not None)
    last = max(o for o in owners if o is not None)
    body = module.body
    start_line = layout.statement_lines.get(first)
    if start_line is None:
        return None
    # At the module's end, its code generation may add or drop the final newline.
    at_end = last == len(body) - 1 and not module.footer
    if at_end and (not module.has_trailing_newline or (first == 0 and not module.header)):
        return None
    replacements = {id(edit.node): edit.replacement for edit in fix.edits}
    before: list[str] = []
    after: list[str] = []
    for statement in body[first : last + 1]:
        before.append(module.code_for_node(statement))
        after.append(_render(module, replace_in(statement, replacements)))
    # Top-level statements start at the start of a line: only rows move.
    shift = start_line - 1
    return tuple(
        TextEdit(
            edit.content,
            Location(edit.location.row + shift, edit.location.column),
            Location(edit.end_location.row + shift, edit.end_location.column),
        )
        for edit in text_edits("".join(before), "".join(after))
    )


def _line_edits(module: cst.Module, fix: Fix, layout: Layout) -> tuple[TextEdit, ...] | None:
    """The edits of a fix inside one simple statement line (not replacing the line
    itself): the line is rendered before and after with the indentation it has in the
    module, which is all its code depends on. None when the fix is not of that kind."""
    from dasklint.engine.fix.apply import replace_in
    from dasklint.engine.fix.text_edits import text_edits

    lines = {layout.line_owner.get(id(edit.node)) for edit in fix.edits}
    if len(lines) != 1:
        return None
    (line_id,) = lines
    if line_id is None or any(id(edit.node) == line_id for edit in fix.edits):
        return None
    found = layout.simple_lines.get(line_id)
    if found is None:
        return None
    start_line, indent, line = found
    replacements = {id(edit.node): edit.replacement for edit in fix.edits}
    changed = replace_in(line, replacements)
    if not isinstance(changed, cst.SimpleStatementLine):
        return None
    shift = start_line - 1  # a statement line starts at the start of a line
    return tuple(
        TextEdit(
            edit.content,
            Location(edit.location.row + shift, edit.location.column),
            Location(edit.end_location.row + shift, edit.end_location.column),
        )
        for edit in text_edits(_code(module, line, indent), _code(module, changed, indent))
    )


def _code(module: cst.Module, node: cst.CSTNode, indent: tuple[str, ...]) -> str:
    state = CodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        indent_tokens=list(indent),
    )
    node._codegen(state)
    return "".join(state.tokens)


def _render(
    module: cst.Module, node: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]
) -> str:
    if isinstance(node, cst.RemovalSentinel):
        return ""
    if isinstance(node, cst.FlattenSentinel):
        return "".join(module.code_for_node(child) for child in node.nodes)
    return module.code_for_node(node)
