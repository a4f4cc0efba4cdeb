"""The one lint path shared by the command line and the editor server.

:func:`lint_paths` discovers files, resolves each file's settings and yields one
:class:`FileResult` per file; :func:`lint_text` lints a buffer (stdin, an editor).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from dasklint.config.loader import ConfigResolver
from dasklint.diagnostics import FileResult
from dasklint.engine import runner
from dasklint.engine.cache import Cache, lint_cached
from dasklint.engine.discovery import discover
from dasklint.engine.fix_files import fix_file
from dasklint.engine.fix_loop import FixOutcome, fix_source
from dasklint.engine.linter import io_error, lint_source
from dasklint.semantic.project import build_index


def display_name(path: Path, cwd: Path) -> str:
    """Paths relative to the working directory when inside it, as ruff prints them."""
    try:
        return os.path.relpath(path, cwd) if path.is_relative_to(cwd) else str(path)
    except ValueError:
        return str(path)


def lint_paths(
    paths: list[Path],
    resolver: ConfigResolver,
    *,
    workers: int | None = None,
    cache: Cache | None = None,
) -> Iterator[FileResult]:
    """Lint files and directories; missing paths become DSK002 results. With a
    ``cache``, unchanged files are served from it (see :mod:`dasklint.engine.cache`)."""
    cwd = resolver.cwd.resolve()
    found = discover(paths, resolver.for_path, resolver.overrides.force_exclude)
    for missing in found.missing:
        yield io_error(str(missing), _not_found(missing))
    jobs = [
        (path, display_name(path, cwd), resolver.for_path(path).for_file(path))
        for path in found.files
    ]
    if cache is not None:
        yield from lint_cached(cache, jobs, found.files, workers)
        return
    # A cheap first pass over the files and their packages, for cross-module task functions.
    index = build_index(found.files)
    yield from runner.run(jobs, workers, index)


def lint_text(source: bytes, filename: str, resolver: ConfigResolver) -> FileResult:
    """Lint a buffer that stands for ``filename`` (which need not exist)."""
    path = Path(os.path.abspath(filename))
    settings = resolver.for_path(path).for_file(path)
    try:
        return lint_source(source, filename, settings)
    except Exception as exc:
        return FileResult(filename, error=f"{type(exc).__name__}: {exc}")


def fix_paths(
    paths: list[Path], resolver: ConfigResolver, *, write: bool = True
) -> Iterator[tuple[Path | None, FixOutcome]]:
    """Fix files and directories (``write=False``: only compute the fixed bytes, for
    ``--diff``); yields each file's path (None for a missing path) and its outcome."""
    cwd = resolver.cwd.resolve()
    found = discover(paths, resolver.for_path, resolver.overrides.force_exclude)
    for missing in found.missing:
        error = io_error(str(missing), _not_found(missing))
        yield None, FixOutcome(b"", b"", error)
    index = build_index(found.files)
    for path in found.files:
        settings = resolver.for_path(path).for_file(path)
        yield path, fix_file(path, display_name(path, cwd), settings, index, write=write)


def fix_text(source: bytes, filename: str, resolver: ConfigResolver) -> FixOutcome:
    """Fix a buffer that stands for ``filename``; nothing is written."""
    path = Path(os.path.abspath(filename))
    settings = resolver.for_path(path).for_file(path)
    try:
        return fix_source(source, filename, settings)
    except Exception as exc:
        return FixOutcome(
            source, source, FileResult(filename, error=f"{type(exc).__name__}: {exc}")
        )


__all__ = ["display_name", "fix_paths", "fix_text", "io_error", "lint_paths", "lint_text"]


def _not_found(path: Path) -> str:
    """Why a path given on the command line does not exist (a symlink loop, say)."""
    try:
        os.stat(path)
    except OSError as exc:
        return f"{path}: {exc.strerror or 'No such file or directory'}"
    return f"{path}: No such file or directory"
