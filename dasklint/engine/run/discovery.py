"""Finding the Python files to lint: exclusions, ``.gitignore`` and explicit paths.

As in ruff, a file named on the command line is linted even when excluded, unless
``--force-exclude`` is set (pre-commit passes excluded files explicitly), and a path
named there that is not a directory is read as a file, whatever it is (``<(cat job.py)``,
``/dev/stdin``). Found while walking, a FIFO, socket or device is skipped (opening a
FIFO waits for a writer), and a directory that cannot be listed or entered is reported.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from dasklint.config.settings import Settings


@dataclass
class Discovered:
    files: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    # Directories that cannot be listed or entered, with the reason.
    unreadable: list[tuple[Path, str]] = field(default_factory=list)
    special: list[Path] = field(default_factory=list)  # not regular files: skipped
    # Paths named explicitly but excluded (`--force-exclude`, as pre-commit passes them).
    force_excluded: list[Path] = field(default_factory=list)

    @property
    def nothing_to_lint(self) -> bool:
        """No Python file under the paths given (ruff warns), none missing or unreadable,
        and none named but excluded (pre-commit passing excluded files is a clean run)."""
        return not (self.files or self.missing or self.unreadable or self.force_excluded)


class _GitIgnore:
    """The ``.gitignore`` files that apply to a directory, deepest first."""

    def __init__(self) -> None:
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}
        # Per directory: the directories at or above it, up to the repository's root,
        # that hold ignore patterns (deepest first): one walk up per directory, not file.
        self._chains: dict[Path, tuple[tuple[Path, pathspec.GitIgnoreSpec], ...]] = {}

    def _spec(self, directory: Path) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._specs:
            lines: list[str] = []
            for name in (".gitignore", ".git/info/exclude"):
                candidate = directory / name
                if candidate.is_file():
                    with contextlib.suppress(OSError):
                        text = candidate.read_text(encoding="utf-8", errors="replace")
                        lines += text.splitlines()
            self._specs[directory] = _gitignore_spec(lines) if lines else None
        return self._specs[directory]

    def _chain(self, directory: Path) -> tuple[tuple[Path, pathspec.GitIgnoreSpec], ...]:
        found = self._chains.get(directory)
        if found is None:
            spec = self._spec(directory)
            own = ((directory, spec),) if spec is not None else ()
            parent = directory.parent
            if (directory / ".git").exists() or parent == directory:
                found = own
            else:
                found = own + self._chain(parent)
            self._chains[directory] = found
        return found

    def ignored(self, path: Path, is_dir: bool) -> bool:
        if path.parent == path:  # the file system's root
            return False
        for directory, spec in self._chain(path.parent):
            rel = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                return bool(result.include)
        return False


def _gitignore_spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    """The patterns of ``.gitignore`` lines. A line that is not a valid pattern (``foo\\``,
    a lone ``!``) is skipped, as git skips it, and so is one with a reversed range
    (``[z-a]``, which git reads as its first character): one bad line never stops a run."""
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):
        pass
    return pathspec.GitIgnoreSpec.from_lines(line for line in lines if _valid(line))


def _valid(line: str) -> bool:
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except (ValueError, re.error):
        return False
    return True


def discover(
    paths: list[Path], settings_for: Callable[[Path], Settings], force_exclude: bool | None = None
) -> Discovered:
    """Expand ``paths`` into the files to lint, in a stable order."""
    found = Discovered()
    gitignore = _GitIgnore()
    seen: set[Path] = set()
    for given in paths:
        path = Path(os.path.abspath(given))
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            found.missing.append(given)
            continue
        try:
            settings = settings_for(path)
        except OSError as exc:  # its configuration cannot be looked up
            found.unreadable.append((path, exc.strerror or str(exc)))
            continue
        forced = settings.force_exclude if force_exclude is None else force_exclude
        if not is_dir:
            if forced and _excluded(path, False, settings, gitignore):
                found.force_excluded.append(path)
                continue
            if path not in seen:
                seen.add(path)
                found.files.append(path)
            continue
        if forced and _excluded(path, True, settings, gitignore):
            found.force_excluded.append(path)
            continue
        for file in _walk(path, settings_for, gitignore, found):
            if file not in seen:
                seen.add(file)
                found.files.append(file)
    return found


def _excluded(path: Path, is_dir: bool, settings: Settings, gitignore: _GitIgnore) -> bool:
    if settings.is_excluded(path, is_dir):
        return True
    return settings.respect_gitignore and gitignore.ignored(path, is_dir)


def _walk(
    root: Path,
    settings_for: Callable[[Path], Settings],
    gitignore: _GitIgnore,
    found: Discovered,
) -> Iterator[Path]:
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            files, subdirs = _list(directory, settings_for, gitignore, found.special)
        except OSError as exc:
            found.unreadable.append((directory, exc.strerror or str(exc)))
            continue
        yield from files
        stack.extend(reversed(subdirs))


def _list(
    directory: Path,
    settings_for: Callable[[Path], Settings],
    gitignore: _GitIgnore,
    special: list[Path],
) -> tuple[list[Path], list[Path]]:
    """A directory's files to lint and subdirectories to walk (special files found go to
    ``special``). OSError when it cannot be listed, or listed but not entered (its
    configuration and ``.gitignore`` cannot be looked up then)."""
    with os.scandir(directory) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    settings = settings_for(directory)
    files, subdirs = [], []
    for entry in entries:
        path = Path(entry.path)
        try:
            # As in ruff (astral-sh/ruff#280), a symlink to a directory found while
            # walking is not followed: it usually points at a virtualenv or a
            # dependency, and following it can loop. Named on the command line, it is.
            is_dir = entry.is_dir() and not entry.is_symlink()
        except OSError:
            # A symlink loop or an unreadable entry: hand it to the reader, which
            # reports it as DSK002 like any other file that cannot be read.
            is_dir = False
        if is_dir:
            if not _excluded(path, True, settings, gitignore):
                subdirs.append(path)
        elif settings.lints(entry.name) and not _excluded(path, False, settings, gitignore):
            if _is_special(entry):
                special.append(path)
            else:
                files.append(path)
    return files, subdirs


def _is_special(entry: os.DirEntry[str]) -> bool:
    """A FIFO, socket or device (a link to one included)."""
    try:
        if entry.is_file():
            return False
        mode = entry.stat().st_mode
    except OSError:
        return False  # a dangling link or a loop: the reader reports it
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))
