"""Fixing files on disk: read, fix, and write back atomically only what changed.

The new bytes go to a temporary file in the same directory, which gets the original
file's permission bits and then replaces it with ``os.replace`` (atomic on POSIX and
Windows): a reader sees the old or the new file, never a half-written one. Files with
nothing to fix are not opened for writing at all.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import FileResult
from dasklint.engine.fix_loop import FixOutcome, fix_source
from dasklint.engine.linter import io_error
from dasklint.semantic.project import ProjectIndex


def fix_file(
    path: Path,
    display: str,
    settings: FileSettings,
    index: ProjectIndex | None = None,
    *,
    write: bool = True,
) -> FixOutcome:
    """Fix one file; with ``write``, store the result when it differs."""
    try:
        source = path.read_bytes()
    except OSError as exc:
        return FixOutcome(b"", b"", io_error(display, f"Cannot read: {exc.strerror or exc}"))
    try:
        outcome = fix_source(source, display, settings, index)
    except Exception as exc:  # a bug in a rule must not stop the run
        return FixOutcome(source, source, FileResult(display, error=f"{type(exc).__name__}: {exc}"))
    if write and outcome.changed:
        try:
            atomic_write(path, outcome.source)
        except OSError as exc:
            outcome.result = FileResult(display, error=f"Cannot write: {exc.strerror or exc}")
            outcome.source = source
    return outcome


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` atomically, keeping its permission bits.
    A file the user may not write is refused (a rename would replace it regardless)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if not os.access(path, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
