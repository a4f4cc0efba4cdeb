"""Running the linter over many files: in this process for a few, in worker processes
for many. Workers receive paths and small picklable settings and return only findings.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import FileResult
from dasklint.engine.linter import io_error, lint_source
from dasklint.semantic.project import ProjectIndex

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 16

Job = tuple[Path, str, FileSettings]  # path to read, name to report, settings


def lint_file(
    path: Path, display: str, settings: FileSettings, index: ProjectIndex | None = None
) -> FileResult:
    """Read and lint one file; unreadable files become DSK002."""
    try:
        source = path.read_bytes()
    except OSError as exc:
        return io_error(display, f"Cannot read: {exc.strerror or exc}")
    try:
        return lint_source(source, display, settings, index)
    except Exception as exc:  # a bug in a rule must not stop the run
        return FileResult(display, error=f"{type(exc).__name__}: {exc}")


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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
