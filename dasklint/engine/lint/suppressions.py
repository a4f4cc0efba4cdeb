"""``# noqa``, ``# dasklint: ignore[...]`` and file-level ``# dasklint: noqa`` comments.

Comments are found with :mod:`tokenize`, so ``"# noqa"`` inside a string does not count.
A file-level ``# dasklint: noqa`` counts only on a line of its own (as in ruff).
This runs only for files that have findings and hold the word "noqa" or "dasklint".
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass, field

from dasklint.columns import split_lines
from dasklint.noqa import CODES, NOQA

FILE_NOQA = re.compile(r"^#\s*dasklint:\s*noqa(?::\s*" + CODES + r")?\s*$", re.IGNORECASE)
IGNORE = re.compile(r"#\s*dasklint:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)

ALL = frozenset({"*"})

# Every suppression comment holds one of these words (in any case): a file without them
# is not tokenized.
_WORDS = re.compile(rb"noqa|dasklint", re.IGNORECASE)


def may_suppress(source: bytes) -> bool:
    """Whether ``source`` may hold a suppression comment (a cheap byte search)."""
    return _WORDS.search(source) is not None


def _split(codes: str | None) -> frozenset[str]:
    if not codes:
        return ALL
    return frozenset(c for c in re.split(r"[\s,]+", codes.strip()) if c)


@dataclass
class Suppressions:
    """Where comments silence which rules, by 1-based line."""

    noqa: dict[int, frozenset[str]] = field(default_factory=dict)
    noqa_comments: dict[int, str] = field(default_factory=dict)  # the comment of each noqa
    ignore: dict[int, frozenset[str]] = field(default_factory=dict)
    own_line: set[int] = field(default_factory=set)  # lines holding only a comment
    file_level: frozenset[str] = frozenset()

    @staticmethod
    def covers(codes: frozenset[str], matches: Callable[[str], bool]) -> bool:
        return codes is ALL or "*" in codes or any(matches(c) for c in codes)


def scan(text: str) -> Suppressions:
    """Collect every suppression comment of a module."""
    found = Suppressions()
    file_codes: set[str] = set()
    file_all = False
    for line, comment, own_line in _comments(text):
        if own_line:
            found.own_line.add(line)
        file_match = FILE_NOQA.match(comment)
        if file_match:
            if not own_line:
                # After code, a file-level directive is almost surely a mistake for a
                # line-level one; ruff ignores it rather than silence the whole file.
                continue
            codes = _split(file_match.group("codes"))
            if codes is ALL:
                file_all = True
            else:
                file_codes.update(codes)
            continue
        ignore = IGNORE.search(comment)
        if ignore:
            found.ignore[line] = _split(ignore.group("codes"))
        noqa = NOQA.search(comment)
        if noqa and not comment.lstrip("#").strip().lower().startswith("dasklint"):
            found.noqa[line] = _split(noqa.group("codes"))
            found.noqa_comments[line] = comment
    found.file_level = ALL if file_all else frozenset(file_codes)
    return found


def _comments(text: str) -> list[tuple[int, str, bool]]:
    out: list[tuple[int, str, bool]] = []
    try:
        # newline="": lines end at "\r" too, as the parser reads them.
        tokens = list(tokenize.generate_tokens(io.StringIO(text, newline="").readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Newer syntax than this Python's tokenizer knows: fall back to a line scan.
        for number, line in enumerate(split_lines(text), start=1):
            index = line.find("#")
            if index >= 0:
                out.append((number, line[index:], not line[:index].strip()))
        return out
    for token in tokens:
        if token.type == tokenize.COMMENT:
            row, col = token.start
            out.append((row, token.string, not token.line[:col].strip()))
    return out
