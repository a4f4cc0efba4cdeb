"""The one lint path shared by the command line and the editor server.

:func:`lint_paths` discovers files, resolves each file's settings and yields one
:class:`FileResult` per file; :func:`lint_text` lints a buffer (stdin, an editor).
``dasklint check`` hands a :class:`LintRequest` to :func:`lint_request`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dasklint.config.loader import ConfigResolver
from dasklint.diagnostics import Diagnostic, FileResult, TextEdit
from dasklint.engine.run import runner
from dasklint.engine.run.cache import DEFAULT_DIR as CACHE_DIR_NAME
from dasklint.engine.run.cache import (
    Cache,
    Execute,
    caches_under,
    default_cache_dir,
    is_cache,
    lint_cached,
)
from dasklint.engine.run.cache import clean as remove_cache
from dasklint.engine.run.discovery import Discovered, discover
from dasklint.engine.run.gc_pause import collector_paused
from dasklint.semantic.project import build_index

# The linter and the fix machinery import libcst and the rules: they are imported where
# they are used, so that a run served from the cache never loads them.
if TYPE_CHECKING:
    from dasklint.engine.fix.outcome import FixOutcome as FixOutcome
    from dasklint.engine.lint.incremental import IncrementalParser as IncrementalParser


def display_name(path: Path, cwd: Path) -> str:
    """Paths relative to the working directory when inside it, as ruff prints them."""
    try:
        return os.path.relpath(path, cwd) if path.is_relative_to(cwd) else str(path)
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class LintRequest:
    """What a run over paths asks: the paths, how many processes lint (None: one per
    core), the cache that serves unchanged files (None: none) and the Dask cluster that
    lints them (None: this machine's processes)."""

    paths: tuple[Path, ...]
    workers: int | None = None
    cache: Cache | None = None
    dask_scheduler: str | None = None


def open_cache(
    cache_dir: Path | None, config_file: Path | None, *, read_only: bool = False
) -> Cache:
    """The cache in ``cache_dir``, or at the project's root (found from the working
    directory, or from ``config_file``'s folder); ``read_only``: it serves, never writes."""
    return Cache(cache_dir or default_cache_dir(Path.cwd(), config_file), read_only=read_only)


def lint_request(
    request: LintRequest,
    resolver: ConfigResolver,
    on_found: Callable[[Discovered], None] | None = None,
) -> Iterator[FileResult]:
    """The results of the files ``request`` names (see :func:`lint_paths`)."""
    return lint_paths(
        list(request.paths),
        resolver,
        workers=request.workers,
        cache=request.cache,
        dask_scheduler=request.dask_scheduler,
        on_found=on_found,
    )


def files_to_lint(paths: list[Path], resolver: ConfigResolver) -> list[Path]:
    """The files a run over ``paths`` would lint, sorted."""
    return sorted(discover(paths, resolver.for_path, resolver.overrides.get("force_exclude")).files)


def lint_paths(
    paths: list[Path],
    resolver: ConfigResolver,
    *,
    workers: int | None = None,
    cache: Cache | None = None,
    dask_scheduler: str | None = None,
    on_found: Callable[[Discovered], None] | None = None,
) -> Iterator[FileResult]:
    """Lint files and directories; missing paths become DSK002 results. ``workers``:
    how many processes lint (default: one per core). With a ``cache``, unchanged files
    are served from it (see :mod:`dasklint.engine.run.cache`). With ``dask_scheduler`` (an
    address, or ``local``), the files are linted on that Dask cluster (see
    :mod:`dasklint.engine.run.dask_runner`); the results are the same. ``on_found`` is told
    what was found, before any file is linted (progress, an empty run)."""
    if dask_scheduler is not None:
        # Imported here: only this path may import dask and distributed.
        from dasklint.engine.run.dask_runner import DaskRunner

        # Connected before any file is read, so that a wrong address fails at once.
        with DaskRunner(dask_scheduler, workers) as cluster:
            yield from _lint_paths(paths, resolver, cache, cluster.run, workers, on_found)
        return
    yield from _lint_paths(
        paths,
        resolver,
        cache,
        lambda jobs, index: runner.run(jobs, workers, index),
        workers,
        on_found,
    )


def _lint_paths(
    paths: list[Path],
    resolver: ConfigResolver,
    cache: Cache | None,
    execute: Execute,
    workers: int | None,
    on_found: Callable[[Discovered], None] | None = None,
) -> Iterator[FileResult]:
    cwd = resolver.cwd.resolve()
    found = discover(paths, resolver.for_path, resolver.overrides.get("force_exclude"))
    if on_found is not None:
        on_found(found)
    yield from _not_linted(found, cwd)
    jobs = [
        (path, display_name(path, cwd), resolver.for_path(path).for_file(path))
        for path in found.files
    ]
    if cache is not None:
        yield from lint_cached(cache, jobs, found.files, workers, execute)
        return
    # A cheap first pass over the files and their packages, for cross-module task functions.
    index = runner.build_index(found.files, workers)
    yield from execute(jobs, index)


def lint_text(
    source: bytes,
    filename: str,
    resolver: ConfigResolver,
    *,
    defer_fix_edits: bool = False,
    parser: IncrementalParser | None = None,
) -> FileResult:
    """Lint a buffer that stands for ``filename`` (which need not exist). With
    ``defer_fix_edits`` (an editor), fixes whose text edits need the whole module are
    left without them; :func:`fix_text_edits` computes them on request. ``parser``
    (from :func:`document_parser`, one per open document) reuses the statements of the
    document's previous version that an edit left alone."""
    path = Path(os.path.abspath(filename))
    settings = resolver.for_path(path).for_file(path)
    from dasklint.engine.lint.linter import lint_source

    try:
        return lint_source(
            source, filename, settings, defer_fix_edits=defer_fix_edits, parser=parser
        )
    except Exception as exc:
        return FileResult(filename, error=f"{type(exc).__name__}: {exc}")


def document_parser() -> IncrementalParser:
    """A parser for the successive versions of one document (see :func:`lint_text`)."""
    from dasklint.engine.lint.incremental import IncrementalParser

    return IncrementalParser()


def fix_text_edits(
    source: bytes, filename: str, resolver: ConfigResolver, diagnostic: Diagnostic
) -> tuple[TextEdit, ...]:
    """The text edits of the fix of ``diagnostic``, a finding of :func:`lint_text` in the
    same buffer; empty when the buffer has no such finding with a fix."""
    from dasklint.engine.fix.deferred import deferred_edits

    path = Path(os.path.abspath(filename))
    settings = resolver.for_path(path).for_file(path)
    return deferred_edits(source, filename, settings, diagnostic)


def fix_paths(
    paths: list[Path], resolver: ConfigResolver, *, write: bool = True, add_noqa: bool = False
) -> Iterator[tuple[Path | None, FixOutcome]]:
    """Fix files and directories (``write=False``: only compute the fixed bytes, for
    ``--diff``; ``add_noqa``: add a ``# noqa`` comment for each finding instead, written
    as fixes are); yields each file's path (None for a missing path) and its outcome."""
    from dasklint.engine.fix.add_noqa import ADD_NOQA
    from dasklint.engine.fix.files import fix_file
    from dasklint.engine.fix.loop import FIX
    from dasklint.engine.fix.outcome import FixOutcome

    rewrite = ADD_NOQA if add_noqa else FIX
    cwd = resolver.cwd.resolve()
    found = discover(paths, resolver.for_path, resolver.overrides.get("force_exclude"))
    for error in _not_linted(found, cwd):
        yield None, FixOutcome(b"", b"", error)
    index = build_index(found.files)
    for path in found.files:
        settings = resolver.for_path(path).for_file(path)
        shown = display_name(path, cwd)
        yield path, fix_file(path, shown, settings, index, write=write, rewrite=rewrite)


def fix_text(source: bytes, filename: str, resolver: ConfigResolver) -> FixOutcome:
    """Fix a buffer that stands for ``filename``; nothing is written."""
    from dasklint.engine.fix.loop import fix_source
    from dasklint.engine.fix.outcome import FixOutcome

    path = Path(os.path.abspath(filename))
    settings = resolver.for_path(path).for_file(path)
    try:
        return fix_source(source, filename, settings)
    except Exception as exc:
        return FixOutcome(
            source, source, FileResult(filename, error=f"{type(exc).__name__}: {exc}")
        )


def load_linter() -> None:
    """Import the linter and the rules now: a process that lints one buffer after another
    (the editor server's worker) pays for it before its first job, not during it."""
    import dasklint.engine.lint.linter  # noqa: F401


def edits_between(before: str, after: str) -> tuple[TextEdit, ...]:
    """The text edits that turn ``before`` into ``after`` (a buffer and what
    :func:`fix_text` made of it), as few and as small as a line diff finds."""
    from dasklint.engine.fix.text_edits import text_edits

    return text_edits(before, after)


# -- caches (``dasklint clean``; ``--watch`` ignores changes inside them) ------------------


def project_caches(cwd: Path) -> list[Path]:
    """The project's cache (where ``check`` keeps it) and every cache directory below
    ``cwd``; some may not exist."""
    return [default_cache_dir(cwd), *caches_under(cwd)]


# -- the baseline (``--baseline``, ``--update-baseline``) ----------------------------------


def baseline_filter(
    path: Path,
) -> Callable[[list[Diagnostic], Callable[[str], str | None]], list[Diagnostic]]:
    """A filter keeping the findings the baseline file at ``path`` does not hold; it is
    given the findings and how to read their files' text (paths relative to the working
    directory). :class:`~dasklint.errors.DasklintError` if the file cannot be read."""
    from dasklint.engine.run.baseline import Baseline, Lines

    baseline = Baseline.load(path)

    def keep(findings: list[Diagnostic], read: Callable[[str], str | None]) -> list[Diagnostic]:
        return baseline.new(findings, Lines(Path.cwd(), read))

    return keep


def record_baseline(path: Path, findings: list[Diagnostic]) -> int:
    """Write ``findings`` as the baseline file at ``path``; how many it holds."""
    from dasklint.engine.run.baseline import Baseline, Lines

    return Baseline(path).record(findings, Lines(Path.cwd()))


__all__ = [
    "CACHE_DIR_NAME",
    "Cache",
    "Discovered",
    "LintRequest",
    "baseline_filter",
    "collector_paused",
    "display_name",
    "edits_between",
    "files_to_lint",
    "fix_paths",
    "fix_text",
    "fix_text_edits",
    "io_error",
    "is_cache",
    "lint_paths",
    "lint_request",
    "lint_text",
    "load_linter",
    "open_cache",
    "project_caches",
    "record_baseline",
    "remove_cache",
]


def io_error(filename: str, message: str) -> FileResult:
    """A DSK002 result for a path that cannot be read."""
    from dasklint.engine.lint.engine_findings import io_error as read_error

    return read_error(filename, message)


def _not_linted(found: Discovered, cwd: Path) -> Iterator[FileResult]:
    """DSK002 for missing paths and directories that cannot be read; a warning on stderr
    for each special file skipped (a FIFO named ``job.py``)."""
    for missing in found.missing:
        yield io_error(str(missing), _not_found(missing))
    for directory, reason in found.unreadable:
        yield io_error(display_name(directory, cwd), f"Cannot read directory: {reason}")
    for path in found.special:
        print(f"warning: skipping {display_name(path, cwd)}: not a regular file", file=sys.stderr)


def _not_found(path: Path) -> str:
    """Why a path given on the command line does not exist (a symlink loop, say)."""
    try:
        os.stat(path)
    except OSError as exc:
        return f"{path}: {exc.strerror or 'No such file or directory'}"
    return f"{path}: No such file or directory"
