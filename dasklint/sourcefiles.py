"""Reading files that others may change or replace while a run goes on.

:func:`read_regular` reads only a regular file. Opening a FIFO waits for a writer (a
FIFO named ``job.py`` in a package, or ``files.json`` in the cache, once hung a run),
and a pipe or a device can be read only once: the project index and the cache read
with it, and leave everything else to the one read that lints the file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

# Opening a FIFO this way returns at once; reading a regular file is unaffected.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_regular(path: Path | str) -> bytes:
    """The bytes of a regular file (a link to one included); OSError for anything else."""
    fd = os.open(path, _FLAGS)
    with open(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Not a regular file", os.fspath(path))
        return stream.read()


def content_hash(source: bytes) -> str:
    """What the cache keys a file's results on: a hash of the bytes that were linted."""
    return hashlib.blake2b(source, digest_size=16).hexdigest()
