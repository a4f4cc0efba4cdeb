"""Re-parse only the top-level statements an edit touched (the language server's path).

An editor sends the whole text again after each keystroke, and parsing a 1,000-line
module with libcst is a large part of its lint. A top-level statement starts at column 0
of a line, after a complete statement, so a run of top-level statements parses on its
own. When a new version of a document differs from the previous one only inside a span,
the statements around that span are parsed again (with one unchanged statement on each
side, so that comment and blank lines between statements are owned as a full parse owns
them) and every other statement is reused from the previous module. Anything unusual
(the first statements, where libcst detects the newline, indent and future imports; a
coding cookie other than UTF-8; a span that does not parse on its own) parses the whole
text, which is what the command line always does. ``tests/test_incremental.py`` checks
that spliced modules equal full parses node for node.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from dasklint.engine.lint.parsing import parse_module
from dasklint.semantic.facts import PartsFacts
from dasklint.semantic.tree import walk_subtree


@dataclass(frozen=True, slots=True)
class _Snapshot:
    text: str
    module: cst.Module
    # bounds[k]: where body[k] starts (its leading lines included); bounds[-1]: where the
    # footer starts. Offsets in code points of ``text``.
    bounds: tuple[int, ...]
    first_block: int  # index of the first statement with an indented block (or len(body))


class IncrementalParser:
    """Parses successive versions of one document, reusing unchanged statements."""

    def __init__(self) -> None:
        self._last: _Snapshot | None = None
        self.spliced = 0  # versions parsed by splicing (for tests and benchmarks)
        self.facts = PartsFacts()  # the module's facts, kept per top-level statement

    def parse(self, source: bytes) -> cst.Module:
        """The module for ``source``; raises what :func:`parse_module` raises."""
        text = _utf8(source)
        last = self._last
        if text is not None and last is not None:
            if text == last.text:
                self.spliced += 1
                return last.module
            spliced = _splice(last, text)
            if spliced is not None:
                self._last = spliced
                self.spliced += 1
                return spliced.module
        module = parse_module(source)
        if text is not None and module.encoding.lower() in ("utf-8", "utf8"):
            self._last = _snapshot(text, module)
        else:
            self._last = None
        return module

    def statements_of(self, module: cst.Module) -> tuple[str, tuple[int, ...]] | None:
        """The text of ``module`` and where each top-level statement starts in it (the
        footer's start last), when ``module`` is the last one this parser returned."""
        last = self._last
        if last is None or last.module is not module:
            return None
        return last.text, last.bounds


def _utf8(source: bytes) -> str | None:
    if source.startswith(b"\xef\xbb\xbf"):
        return None  # a byte-order mark: leave it to the full parse
    try:
        return source.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _snapshot(text: str, module: cst.Module) -> _Snapshot:
    lengths = [len(module.code_for_node(statement)) for statement in module.body]
    footer = sum(len(module.code_for_node(line)) for line in module.footer)
    start = len(text) - footer - sum(lengths)
    bounds = [start]
    for length in lengths:
        bounds.append(bounds[-1] + length)
    return _Snapshot(text, module, tuple(bounds), _first_block(module.body))


def _first_block(body: Sequence[cst.BaseStatement]) -> int:
    """The first statement with an indented line of code, whose indent libcst takes as the
    module's default (a one-line compound statement such as ``if x: y`` has none)."""
    return next(
        (
            i
            for i, s in enumerate(body)
            if isinstance(s, cst.BaseCompoundStatement)
            and any(isinstance(n, cst.IndentedBlock) for n in walk_subtree(s))
        ),
        len(body),
    )


def _splice(last: _Snapshot, text: str) -> _Snapshot | None:
    old, module, bounds = last.text, last.module, last.bounds
    count = len(module.body)
    prefix = _common_prefix(old, text)
    suffix = _common_suffix(old, text, min(len(old), len(text)) - prefix)
    end = len(old) - suffix  # the change is old[prefix:end] -> text[prefix:len(text)-suffix]
    if prefix == 0 or count < 3:
        return None
    # The statement holding the character before the change, and one more before it.
    first = bisect.bisect_right(bounds, prefix - 1) - 2
    if first < 1 or first <= last.first_block:
        return None  # the header and first statements decide newline, indent, futures
    # The statement holding the first unchanged character after it, and one more.
    after = bisect.bisect_right(bounds, end) + 1  # exclusive index of the last reparsed
    to_end = after >= count
    delta = len(text) - len(old)
    stop = len(text) if to_end else bounds[after] + delta
    chunk = text[bounds[first] : stop]
    try:
        parsed = cst.parse_module(chunk, module.config_for_parsing)
    except (cst.ParserSyntaxError, ValueError, RecursionError):
        return None
    body = list(parsed.body)
    if not body or (parsed.footer and not to_end) or not (to_end or parsed.has_trailing_newline):
        return None
    if parsed.header:
        body[0] = body[0].with_changes(leading_lines=[*parsed.header, *body[0].leading_lines])
    if any(_is_future_import(statement) for statement in body):
        return None
    kept_after = list(module.body[after:]) if not to_end else []
    new_module = module.with_changes(
        body=[*module.body[:first], *body, *kept_after],
        footer=parsed.footer if to_end else module.footer,
        has_trailing_newline=parsed.has_trailing_newline if to_end else module.has_trailing_newline,
    )
    new_bounds = list(bounds[: first + 1])
    for statement in body:
        new_bounds.append(new_bounds[-1] + len(new_module.code_for_node(statement)))
    if to_end:
        footer = sum(len(new_module.code_for_node(line)) for line in parsed.footer)
        if new_bounds[-1] + footer != len(text):
            return None
    else:
        if new_bounds[-1] != stop:
            return None
        new_bounds.extend(b + delta for b in bounds[after + 1 :])
    return _Snapshot(text, new_module, tuple(new_bounds), last.first_block)


def _is_future_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.ImportFrom)
        and isinstance(small.module, cst.Name)
        and small.module.value == "__future__"
        for small in statement.body
    )


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix (binary search over C-level comparisons)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix, at most ``limit``."""
    low, high = 0, max(0, limit)
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low
