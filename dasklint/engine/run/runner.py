"""Running the linter over many files: in this process for a few, in worker processes
for many. Workers receive paths and small picklable settings and return only findings.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import FileResult
from dasklint.engine.run.gc_pause import collector_paused
from dasklint.semantic.project import ProjectIndex
from dasklint.sourcefiles import content_hash

if TYPE_CHECKING:
    from dasklint.semantic.facts import ModuleFacts

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 16

Job = tuple[Path, str, FileSettings]  # path to read, name to report, settings


def lint_file(
    path: Path, display: str, settings: FileSettings, index: ProjectIndex | None = None
) -> FileResult:
    """Read and lint one file; unreadable files become DSK002."""
    # Imported on first use: a run served from the cache never loads libcst or the rules.
    from dasklint.engine.lint.engine_findings import io_error
    from dasklint.engine.lint.linter import lint_source

    try:
        source = path.read_bytes()
    except OSError as exc:
        return io_error(display, f"Cannot read: {exc.strerror or exc}")
    try:
        with collector_paused():
            result = lint_source(source, display, settings, index)
    except Exception as exc:  # a bug in a rule must not stop the run
        return FileResult(display, error=f"{type(exc).__name__}: {exc}")
    result.source_hash = content_hash(source)
    return result


# The project index, handed to each worker process once (see ``_set_index``).
_WORKER_INDEX: ProjectIndex | None = None


def _set_index(index: ProjectIndex | None) -> None:
    global _WORKER_INDEX
    _WORKER_INDEX = index


def _lint_batch(jobs: list[Job]) -> list[FileResult]:
    return [lint_file(*job, _WORKER_INDEX) for job in jobs]


def run(
    jobs: list[Job], workers: int | None = None, index: ProjectIndex | None = None
) -> Iterator[FileResult]:
    """Lint every job; results come back in no particular order. ``index`` describes the
    project's modules (for task functions defined in another module)."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(jobs) < PARALLEL_THRESHOLD:
        for job in jobs:
            yield lint_file(*job, index)
        return
    # Largest files first, in small batches, so that no worker is left with a long tail.
    ordered = sorted(jobs, key=lambda job: _size(job[0]), reverse=True)
    batch = max(1, min(8, len(ordered) // (workers * 4)))
    batches = [ordered[i : i + batch] for i in range(0, len(ordered), batch)]
    # Imported here: a one-file run (pre-commit) never pays for the process machinery.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        max_workers=workers, initializer=_set_index, initargs=(index,)
    ) as pool:
        for results in pool.map(_lint_batch, batches):
            yield from results


def build_index(paths: list[Path], workers: int | None = None) -> ProjectIndex:
    """The project index of ``paths`` (:func:`dasklint.semantic.project.build_index`),
    its files read and parsed in worker processes when there are many: on one process
    the index is a serial pass of about a fifth of the lint's time before linting starts.
    The cyclic collector is paused meanwhile: the ``ast`` trees die by reference counting,
    and its collections, triggered by their allocations, found nothing but cost a
    quarter of the pass."""
    from dasklint.semantic.project import build_index as build_serially
    from dasklint.semantic.project import index_files

    workers = workers or os.cpu_count() or 1
    files = index_files(paths)
    if workers < 2 or len(files) < PARALLEL_THRESHOLD:
        with collector_paused():
            return build_serially(paths)
    from concurrent.futures import ProcessPoolExecutor

    largest_first = sorted(files, key=_size, reverse=True)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        facts_found = pool.map(_facts_of, largest_first, chunksize=8)
        found = dict(zip(largest_first, facts_found, strict=True))
    index = ProjectIndex()
    for path in files:  # in the serial pass's order: the last file of a name wins
        facts = found[path]
        if facts is not None:
            index.add(facts)
    return index


def _facts_of(path: Path) -> ModuleFacts | None:
    from dasklint.prefilter import may_use_dask
    from dasklint.semantic.project import facts_for_source
    from dasklint.sourcefiles import read_regular

    try:
        source = read_regular(path)
    except OSError:
        return None
    if not may_use_dask(source):
        return None
    with collector_paused():
        return facts_for_source(source, path)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
