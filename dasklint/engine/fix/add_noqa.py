"""``dasklint check --add-noqa``: a ``# noqa: CODE`` comment on every line with a finding.

As ruff's ``--add-noqa``: the codes of a line's findings are added to its ``# noqa``
comment (after the codes already there, never twice) or in a new one after the code and
any comment the line has. A line that cannot hold a comment (it ends inside a string,
or is continued with a backslash) is left alone and its finding stays reported. Findings
of the engine (DSK001-DSK004) are not silenced this way.

The comments are added to the syntax tree (libcst keeps every other byte), and the file
is written the way ``--fix`` writes (:mod:`dasklint.engine.fix.files`): notebooks keep
every cell that gains no comment byte for byte, and a result that does not parse is
never written.
"""

from __future__ import annotations

import re
from collections import Counter

import libcst as cst

from dasklint import registry
from dasklint.config.settings import FileSettings
from dasklint.diagnostics import FileResult
from dasklint.engine.fix.apply import replace_in
from dasklint.engine.fix.loop import Rewrite
from dasklint.engine.fix.outcome import FixOutcome
from dasklint.engine.lint.linter import lint_parsed
from dasklint.engine.lint.parsing import parse_module
from dasklint.engine.lint.positions import locate
from dasklint.engine.lint.unused_noqa import directive
from dasklint.fix import Replacement
from dasklint.noqa import NOQA
from dasklint.semantic.origin import Origin
from dasklint.semantic.project import ProjectIndex

_ENGINE = "DSK0"  # codes of findings the engine makes (no source line to silence)


class _LineEnds(cst.CSTVisitor):
    """Every line end outside strings (where a comment may go)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[cst.TrailingWhitespace] = []

    def visit_TrailingWhitespace(self, node: cst.TrailingWhitespace) -> None:
        self.found.append(node)


def with_codes(comment: str | None, codes: list[str]) -> str | None:
    """The comment of a line once it silences ``codes`` too; None when it already does."""
    if comment is None:
        return f"# noqa: {', '.join(codes)}"
    match = NOQA.search(comment)
    if match is None:
        return f"{comment}  # noqa: {', '.join(codes)}"
    listed = match.group("codes")
    if listed is None:
        return None  # a bare directive silences every rule
    present: set[str] = set()
    for code in re.split(r"[\s,]+", listed):
        rule = registry.rule_for(code)  # a code or a rule's name
        present.add(rule.code if rule is not None else code.upper())
    missing = [code for code in codes if code not in present]
    if not missing:
        return None
    strict = directive(comment)
    end = strict.end if strict is not None else match.end("codes")
    return f"{comment[:end]}, {', '.join(missing)}{comment[end:]}"


class AddNoqa(Rewrite):
    """The rewrite behind ``--add-noqa``; ``fixed`` in its outcome counts, per code, the
    findings that a comment now silences."""

    respells = False

    def __call__(
        self,
        module: cst.Module,
        source: bytes,
        filename: str,
        settings: FileSettings,
        index: ProjectIndex | None,
        origin: Origin | None,
    ) -> FixOutcome:
        diagnostics, _ = lint_parsed(module, source, filename, settings, index, origin)
        wanted: dict[int, list[str]] = {}
        for finding in diagnostics:
            row = finding.noqa_row
            if row is None or finding.code.startswith(_ENGINE):
                continue
            codes = wanted.setdefault(row, [])
            if finding.code not in codes:
                codes.append(finding.code)
        unchanged = FixOutcome(source, source, FileResult(filename, diagnostics))
        if not wanted:
            return unchanged
        visitor = _LineEnds()
        module.visit(visitor)
        spans = locate(module, visitor.found).spans
        edits: dict[int, Replacement] = {}
        added: Counter[str] = Counter()
        for node in visitor.found:
            row = spans[id(node)].start_line
            if row not in wanted:
                continue
            codes = wanted.pop(row)
            codes.sort(key=registry.code_order)
            old = node.comment.value if node.comment is not None else None
            new = with_codes(old, codes)
            if new is None:
                continue
            space = node.whitespace if node.comment is not None else cst.SimpleWhitespace("  ")
            edits[id(node)] = node.with_changes(whitespace=space, comment=cst.Comment(new))
            added.update(codes)
        if not edits:
            return unchanged
        updated = replace_in(module, edits)
        assert isinstance(updated, cst.Module)
        try:
            new_module = parse_module(updated.bytes)
        except Exception:  # never write code that does not parse
            unchanged.dropped.append("`# noqa` comments that would not parse")
            return unchanged
        new_source = new_module.bytes
        remaining, _ = lint_parsed(new_module, new_source, filename, settings, index, origin)
        return FixOutcome(source, new_source, FileResult(filename, remaining), added)


ADD_NOQA = AddNoqa()
