"""Inline expectation markers in fixture files.

Grammar (after ruff's mdtest): ``# error: [DSK101]``, optionally with a 1-based column
before the code and a message substring after it: ``# error: 32 [DSK101] "batches"``.
Several markers may share a comment. A comment line holding only markers applies to the
next line that is not itself a marker line. A first-lines comment
``# fixture-config: {TOML inline table}`` gives the fixture its own ``[tool.dasklint]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKER = re.compile(
    r"error:\s*(?:(?P<col>\d+)\s+)?\[(?P<code>[A-Za-z0-9\-]+)\]"
    r'(?:\s*"(?P<msg>[^"]*)")?'
)
CONFIG = re.compile(r"^#\s*fixture-config:\s*(?P<table>\{.*\})\s*$")


@dataclass(frozen=True)
class Expectation:
    line: int
    code: str
    column: int | None
    message: str | None


def parse(text: str) -> tuple[list[Expectation], str | None]:
    expectations: list[Expectation] = []
    config: str | None = None
    pending: list[re.Match[str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        config_match = CONFIG.match(stripped)
        if config_match:
            config = config_match.group("table")
            continue
        hash_at = line.find("# error:")
        own_line = stripped.startswith("# error:")
        matches = list(MARKER.finditer(line[hash_at:])) if hash_at >= 0 else []
        if own_line:
            pending.extend(matches)
            continue
        for match in [*pending, *matches]:
            expectations.append(
                Expectation(
                    line=number,
                    code=match.group("code"),
                    column=int(match.group("col")) if match.group("col") else None,
                    message=match.group("msg"),
                )
            )
        pending = []
    return expectations, config
