"""What every formatter receives: sorted diagnostics and a way to read source lines."""

from __future__ import annotations

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

    def absolute(self, filename: str) -> str:
        if filename == "-":  # stdin without --stdin-filename
            return filename
        path = Path(filename)
        return str(path if path.is_absolute() else (self.cwd / path).resolve())


def summary(count: int) -> str:
    """ruff's closing line."""
    if count == 0:
        return "All checks passed!"
    return f"Found {count} error{'s' if count != 1 else ''}."
