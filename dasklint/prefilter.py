"""A byte-level test that skips files which cannot involve Dask, before any parsing.

``distributed`` is matched too: files inside distributed-based code import it without
ever writing "dask". So is ``xarray``: ``xr.open_mfdataset(...)``, ``xr.open_zarr(...)``
and ``.chunk(...)`` make Dask arrays in scripts that never name Dask.

The bytes are searched as they are, which finds the words in every encoding that writes
ASCII as ASCII (UTF-8, Latin-1, ...). UTF-16 and UTF-32 spell them with NUL bytes:
Python cannot run such a module (its coding cookie is not ASCII), and one that names
Dask is linted, and so reported as a file that cannot be decoded, not passed unread.
"""

from __future__ import annotations

TRIGGERS: tuple[bytes, ...] = (b"dask", b"distributed", b"xarray")

_WIDE: tuple[bytes, ...] = tuple(
    trigger.decode("ascii").encode(encoding)
    for trigger in TRIGGERS
    for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def may_use_dask(source: bytes) -> bool:
    if any(trigger in source for trigger in TRIGGERS):
        return True
    # Text in an ASCII-compatible encoding has no NUL byte: one search spares the others.
    return b"\0" in source and any(trigger in source for trigger in _WIDE)
