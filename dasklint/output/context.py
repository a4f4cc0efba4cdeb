"""What every formatter receives: sorted diagnostics and a way to read source lines."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dasklint.diagnostics import Diagnostic, Severity


@dataclass
class OutputContext:
    diagnostics: list[Diagnostic]
    cwd: Path = field(default_factory=Path.cwd)
    show_summary: bool = True
    read_source: Callable[[str], str | None] = lambda filename: None
    # LSP output: the unit of columns (utf-8, utf-16 or utf-32).
    position_encoding: str = "utf-16"
    # SARIF lists every enabled rule; None means the rules enabled by default.
    enabled_rules: frozenset[str] | None = None
    # The documentation site's base URL for each finding's link (`docs-url`); None: the
    # rule's page in the checkout (dasklint.output.rule_urls).
    docs_url: str | None = None
    # Style the human formats with ANSI colours (dasklint.output.style).
    color: bool = False

    def absolute(self, filename: str) -> str:
        if filename == "-":  # stdin without --stdin-filename
            return filename
        path = Path(filename)
        # realpath, not resolve(): it never raises on a symlink loop (Python < 3.13).
        return str(path) if path.is_absolute() else os.path.realpath(self.cwd / path)

    def relative(self, filename: str) -> str:
        """A ``/``-separated path relative to the working directory when inside it."""
        if filename == "-":
            return filename
        absolute = Path(self.absolute(filename))
        try:
            return absolute.relative_to(self.cwd.resolve()).as_posix()
        except ValueError:
            return absolute.as_posix()

    def uri(self, filename: str) -> str:
        """The ``file://`` URI of a diagnostic's file (stdin without a name: ``untitled:-``)."""
        if filename == "-":
            return "untitled:-"
        return Path(self.absolute(filename)).as_uri()


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    """The closing line, counting what it counts: ``Found 2 errors.`` (ruff's words when
    every finding is an error), ``Found 1 warning.``, ``Found 3 findings (1 error, 2
    warnings).``"""
    count = len(diagnostics)
    if count == 0:
        return "All checks passed!"
    by_severity = Counter(d.severity for d in diagnostics)
    parts = [
        _counted(n, severity)
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if (n := by_severity[severity])
    ]
    if len(parts) == 1:
        return f"Found {parts[0]}."
    return f"Found {count} findings ({', '.join(parts)})."


def _counted(count: int, severity: Severity) -> str:
    """``2 errors``, ``1 warning``, ``3 infos``."""
    return f"{count} {severity.value}{'s' if count != 1 else ''}"
