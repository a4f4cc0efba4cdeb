"""What every formatter receives: sorted diagnostics and a way to read source lines."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dasklint.diagnostics import Diagnostic


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


def summary(count: int) -> str:
    """ruff's closing line."""
    if count == 0:
        return "All checks passed!"
    return f"Found {count} error{'s' if count != 1 else ''}."
