"""DSK004 unused-noqa: the dasklint codes of ``# noqa`` comments that suppressed nothing.

ruff's RUF100 for dasklint's codes only. A ``# noqa`` comment is often shared with other
tools (``# noqa: E501, DSK101``), so only dasklint's codes in it are judged: ``DSK``
codes and rule names. A bare ``# noqa`` is never judged (it may silence another tool).

The code list is read as ruff reads it: codes separated by commas or spaces, up to the
first word that is not a code; what follows is the directive's explanation. The fix
removes the codes that suppressed nothing, and the directive (with its explanation) when
no code is left, keeping any other comment on the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst

from dasklint import registry
from dasklint.diagnostics import Confidence, Severity
from dasklint.engine.lint.positions import Layout, locate
from dasklint.engine.lint.suppressions import ALL, Suppressions
from dasklint.fix import safe
from dasklint.noqa import NOQA
from dasklint.rule import Report
from dasklint.rules.engine_rules import UnusedNoqa

_TOKEN = re.compile(r"[A-Za-z0-9_\-]+")
_SEPARATOR = re.compile(r"[\s,]+")
_CODE_SHAPE = re.compile(r"[A-Za-z]+[0-9]+")  # a rule code of any tool, as ruff reads one


@dataclass(frozen=True, slots=True)
class Directive:
    """A ``# noqa: CODES`` directive inside one comment (offsets in the comment)."""

    start: int  # where the directive starts (its `#`)
    end: int  # the end of its last code
    codes: tuple[str, ...]


def _is_code(token: str) -> bool:
    return _CODE_SHAPE.fullmatch(token) is not None or registry.rule_for(token) is not None


def directive(comment: str) -> Directive | None:
    """The ``# noqa`` directive with codes in ``comment``; None for none or a bare one."""
    match = NOQA.search(comment)
    if match is None or match.group("codes") is None:
        return None
    codes: list[str] = []
    position = end = match.start("codes")
    while (token := _TOKEN.match(comment, position)) is not None and _is_code(token.group()):
        codes.append(token.group())
        end = token.end()
        separator = _SEPARATOR.match(comment, end)
        if separator is None:
            break
        position = separator.end()
    return Directive(match.start(), end, tuple(codes)) if codes else None


def without_codes(comment: str, found: Directive, removed: Iterable[int]) -> str | None:
    """``comment`` without the codes at positions ``removed`` of the directive's list;
    None when nothing is left of it."""
    gone = set(removed)
    kept = [code for index, code in enumerate(found.codes) if index not in gone]
    head, tail = comment[: found.start], comment[found.end :]
    if kept:
        return f"{head}# noqa: {', '.join(kept)}{tail}"
    # No code left: the directive goes, and the explanation after its codes with it.
    rest = tail.strip()
    pieces = [piece for piece in (head.rstrip(), rest if rest.startswith("#") else "") if piece]
    return "  ".join(pieces) or None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What is wrong with one directive's dasklint codes (each list in comment order)."""

    unused: tuple[str, ...] = ()
    non_enabled: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    duplicated: tuple[str, ...] = ()
    removed: tuple[int, ...] = ()  # their positions in the directive's code list

    def message(self) -> str:
        """ruff's RUF100 wording."""
        parts = [
            f"{label}: {', '.join(f'`{code}`' for code in codes)}"
            for label, codes in (
                ("unused", self.unused),
                ("non-enabled", self.non_enabled),
                ("unknown", self.unknown),
                ("duplicated", self.duplicated),
            )
            if codes
        ]
        return f"Unused `noqa` directive ({'; '.join(parts)})"


def judge(codes: tuple[str, ...], used: set[str], enabled: frozenset[str]) -> Verdict:
    """Sort a directive's dasklint codes: ``used`` holds the codes of the rules whose
    findings it suppressed; other tools' codes are left out."""
    lists: dict[str, list[str]] = {"unused": [], "non": [], "unknown": [], "dup": []}
    removed: list[int] = []
    seen: set[str] = set()
    for index, code in enumerate(codes):
        rule = registry.rule_for(code)
        if rule is None:
            kind = "unknown" if code.upper().startswith("DSK") else None
        elif rule.code in seen:
            kind = "dup"
        elif rule.code not in used:
            kind = "non" if rule.code not in enabled else "unused"
        else:
            kind = None
        if rule is not None:
            seen.add(rule.code)
        if kind is not None:
            lists[kind].append(code)
            removed.append(index)
    return Verdict(
        unused=tuple(lists["unused"]),
        non_enabled=tuple(lists["non"]),
        unknown=tuple(lists["unknown"]),
        duplicated=tuple(lists["dup"]),
        removed=tuple(removed),
    )


class _Comments(cst.CSTVisitor):
    """The line-end and own-line comments that hold ``noqa``, with the node holding each."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[cst.TrailingWhitespace | cst.EmptyLine, cst.Comment]] = []

    def _add(self, node: cst.TrailingWhitespace | cst.EmptyLine) -> None:
        if node.comment is not None and "noqa" in node.comment.value.lower():
            self.found.append((node, node.comment))

    def visit_TrailingWhitespace(self, node: cst.TrailingWhitespace) -> None:
        self._add(node)

    def visit_EmptyLine(self, node: cst.EmptyLine) -> None:
        self._add(node)


def reports(
    module: cst.Module,
    found: Suppressions,
    used: dict[int, set[str]],
    enabled: frozenset[str],
) -> tuple[list[Report], Layout]:
    """A DSK004 report (on the comment, with its fix) for each directive with dasklint
    codes that suppressed nothing, and the layout of the reported and edited nodes."""
    verdicts: dict[int, tuple[Directive, Verdict]] = {}
    for line, text in found.noqa_comments.items():
        if found.noqa[line] is ALL:
            continue
        parsed = directive(text)
        if parsed is None:
            continue
        verdict = judge(parsed.codes, used.get(line, set()), enabled)
        if verdict.removed:
            verdicts[line] = (parsed, verdict)
    if not verdicts:
        return [], locate(module, ())
    visitor = _Comments()
    module.visit(visitor)
    layout = locate(module, [node for pair in visitor.found for node in pair])
    out: list[Report] = []
    for holder, comment in visitor.found:
        span = layout.spans.get(id(comment))
        if span is None or span.start_line not in verdicts:
            continue
        parsed, verdict = verdicts.pop(span.start_line)
        replacement = _replacement(holder, without_codes(comment.value, parsed, verdict.removed))
        fix = safe("Remove unused `noqa` directive", holder, replacement)
        out.append(
            Report(UnusedNoqa, comment, verdict.message(), Severity.WARNING, fix, Confidence.HIGH)
        )
    return out, layout


def _replacement(
    holder: cst.TrailingWhitespace | cst.EmptyLine, comment: str | None
) -> cst.CSTNode | cst.RemovalSentinel:
    if comment is not None:
        return holder.with_changes(comment=cst.Comment(comment))
    if isinstance(holder, cst.EmptyLine):
        return cst.RemoveFromParent()
    return holder.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)
