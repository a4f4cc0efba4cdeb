"""Fixing files on disk: read, fix, and write back only what changed, losing nothing.

A file is written only if it still holds what was read and fixed (same file, same
bytes): an edit saved meanwhile is kept and reported. The new bytes go to a temporary
file in the same directory, which gets the original's owner, group and permission bits
and then replaces it with ``os.replace`` (atomic on POSIX and Windows): a reader sees
the old or the new file, never a half-written one. A file with several hard links, or
whose owner cannot be given to a new file, is rewritten in place instead (as ruff
writes), so its links and owner stay. A symlink is followed: its target is fixed and
the link stays a link. Files with nothing to fix are not opened for writing at all.
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
from dasklint.engine.fix.loop import FIX, Rewrite, fix_source
from dasklint.engine.fix.outcome import FixOutcome
from dasklint.engine.lint.engine_findings import io_error
from dasklint.semantic.project import ProjectIndex

CHANGED_MESSAGE = "Not written: the file changed while it was being fixed (run the fix again)"

Identity = tuple[int, int]  # (st_dev, st_ino) of the file that was read


class FileChangedError(Exception):
    """The file no longer holds what was read and fixed."""


def fix_file(
    path: Path,
    display: str,
    settings: FileSettings,
    index: ProjectIndex | None = None,
    *,
    write: bool = True,
    rewrite: Rewrite = FIX,
) -> FixOutcome:
    """Fix one file (or ``rewrite`` it: see :func:`fix_source`); with ``write``, store the
    result when it differs."""
    try:
        source, identity = read_file(path)
    except OSError as exc:
        return FixOutcome(b"", b"", io_error(display, f"Cannot read: {exc.strerror or exc}"))
    try:
        outcome = fix_source(source, display, settings, index, rewrite)
    except Exception as exc:  # a bug in a rule must not stop the run
        return FixOutcome(source, source, FileResult(display, error=f"{type(exc).__name__}: {exc}"))
    if write and outcome.changed:
        try:
            replace_content(path, source, identity, outcome.source)
        except FileChangedError:
            outcome.result = FileResult(display, error=CHANGED_MESSAGE)
            outcome.source = source
        except OSError as exc:
            outcome.result = FileResult(display, error=f"Cannot write: {exc.strerror or exc}")
            outcome.source = source
    return outcome


def read_file(path: Path) -> tuple[bytes, Identity]:
    """The file's bytes and which file they came from (through symlinks)."""
    with open(path, "rb") as stream:
        info = os.fstat(stream.fileno())
        return stream.read(), (info.st_dev, info.st_ino)


def replace_content(path: Path, original: bytes, identity: Identity, data: bytes) -> None:
    """Replace the content of ``path`` (or of the file it links to), which held
    ``original``, with ``data``; :class:`FileChangedError` when it no longer does.
    A file the user may not write is refused (a rename would replace it regardless)."""
    target = Path(os.path.realpath(path))
    if not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    info = os.stat(target)
    if (info.st_dev, info.st_ino) != identity:
        raise FileChangedError
    if info.st_nlink > 1 or not _replace(target, original, identity, data, info):
        _write_in_place(target, original, identity, data)


def _replace(
    target: Path, original: bytes, identity: Identity, data: bytes, info: os.stat_result
) -> bool:
    """Write a new file and rename it over ``target``; False (nothing done) when the
    new file cannot be given ``target``'s owner and group."""
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        made = os.stat(temporary)
        if (made.st_uid, made.st_gid) != (info.st_uid, info.st_gid):
            try:
                os.chown(temporary, info.st_uid, info.st_gid)
            except PermissionError:
                os.unlink(temporary)
                return False
        os.chmod(temporary, stat.S_IMODE(info.st_mode))  # after chown, which clears set-id bits
        _check_unchanged(target, original, identity)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return True


def _check_unchanged(target: Path, original: bytes, identity: Identity) -> None:
    with open(target, "rb") as stream:
        info = os.fstat(stream.fileno())
        if (info.st_dev, info.st_ino) != identity or stream.read() != original:
            raise FileChangedError


def _write_in_place(target: Path, original: bytes, identity: Identity, data: bytes) -> None:
    """Overwrite ``target`` through one open handle, after checking what it holds; if the
    write fails part way, the original bytes are put back (they fitted before)."""
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(target, flags)
    try:
        info = os.fstat(handle)
        if (info.st_dev, info.st_ino) != identity or _read_all(handle) != original:
            raise FileChangedError
        try:
            _overwrite(handle, data)
            os.fsync(handle)
        except BaseException:
            with contextlib.suppress(OSError):
                _overwrite(handle, original)
            raise
    finally:
        os.close(handle)


def _read_all(handle: int) -> bytes:
    chunks = []
    while chunk := os.read(handle, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _overwrite(handle: int, data: bytes) -> None:
    os.lseek(handle, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]
    os.ftruncate(handle, len(data))
