"""A baseline file: the findings a project accepts for now, so that only new ones are
reported (``--baseline FILE``; ``--update-baseline`` records today's findings).

A finding is known by its rule, its file (relative to the baseline file's folder, so the
baseline works from any working directory) and a fingerprint of its source line with the
whitespace collapsed: not by its line number, so a finding that moves when lines are
added above it is still known, and re-indenting its line changes nothing. Each entry
keeps a count: a third identical finding where the baseline has two is new. A finding
in a notebook is known by the line in its cell.

The file is JSON, sorted and indented so that its changes review well.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

from dasklint.columns import split_lines
from dasklint.diagnostics import Diagnostic
from dasklint.errors import DasklintError
from dasklint.notebook import is_notebook
from dasklint.notebook.jsonmap import NotebookError, load

VERSION = 1
Key = tuple[str, str, str]  # (path, code, fingerprint)


def fingerprint(line: str) -> str:
    """A short hash of a source line, whitespace collapsed."""
    normalized = " ".join(line.split())
    return hashlib.sha256(normalized.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class Lines:
    """The source lines of the files findings are in (of the cell, in a notebook)."""

    def __init__(self, cwd: Path, read: Callable[[str], str | None] | None = None) -> None:
        self.cwd = cwd
        self.read = read or self._read
        self._files: dict[str, list[str]] = {}
        self._cells: dict[tuple[str, int], list[str]] = {}

    def _read(self, filename: str) -> str | None:
        try:
            return (self.cwd / filename).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def line(self, finding: Diagnostic) -> str:
        if finding.cell is not None and is_notebook(finding.filename):
            lines = self._cell(finding.filename, finding.cell)
        else:
            if finding.filename not in self._files:
                self._files[finding.filename] = split_lines(self.read(finding.filename) or "")
            lines = self._files[finding.filename]
        row = finding.location.row
        return lines[row - 1] if 0 < row <= len(lines) else ""

    def _cell(self, filename: str, cell: int) -> list[str]:
        key = (filename, cell)
        if key not in self._cells:
            try:
                _, cells = load((self.read(filename) or "").encode("utf-8"))
            except NotebookError:
                cells = []
            for raw in cells:
                self._cells[(filename, raw.index + 1)] = split_lines(raw.source)
        return self._cells.get(key, [])


class Baseline:
    """The accepted findings of one baseline file."""

    def __init__(self, path: Path, entries: Counter[Key] | None = None) -> None:
        self.path = path
        self.entries: Counter[Key] = entries if entries is not None else Counter()

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """The baseline stored at ``path``; :class:`DasklintError` if it cannot be read."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DasklintError(
                f"baseline file {path} does not exist (record one with `--update-baseline`)"
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DasklintError(f"cannot read baseline file {path}: {exc}") from None
        entries: Counter[Key] = Counter()
        try:
            if data["version"] != VERSION:
                raise DasklintError(
                    f"baseline file {path} has version {data['version']!r}; this dasklint "
                    f"reads version {VERSION} (record it again with `--update-baseline`)"
                )
            for item in data["findings"]:
                key = (str(item["path"]), str(item["code"]), str(item["fingerprint"]))
                entries[key] += int(item["count"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DasklintError(f"baseline file {path} is not a dasklint baseline: {exc}") from None
        return cls(path, entries)

    def _key(self, finding: Diagnostic, lines: Lines) -> Key:
        absolute = lines.cwd / finding.filename
        relative = os.path.relpath(absolute, self.path.absolute().parent)
        return (PurePath(relative).as_posix(), finding.code, fingerprint(lines.line(finding)))

    def new(self, findings: Iterable[Diagnostic], lines: Lines) -> list[Diagnostic]:
        """The findings the baseline does not hold, in order (for each kind of finding,
        the first ones are taken as the accepted ones)."""
        left = Counter(self.entries)
        out = []
        for finding in findings:
            key = self._key(finding, lines)
            if left[key] > 0:
                left[key] -= 1
            else:
                out.append(finding)
        return out

    def record(self, findings: Iterable[Diagnostic], lines: Lines) -> int:
        """Store ``findings`` as the baseline (replacing what it held); how many."""
        self.entries = Counter(self._key(finding, lines) for finding in findings)
        items = [
            {"path": path, "code": code, "fingerprint": digest, "count": count}
            for (path, code, digest), count in sorted(self.entries.items())
        ]
        text = json.dumps({"version": VERSION, "findings": items}, indent=2) + "\n"
        try:
            self.path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise DasklintError(
                f"cannot write baseline file {self.path}: {exc.strerror or exc}"
            ) from None
        return sum(self.entries.values())
