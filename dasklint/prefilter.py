"""A byte-level test that skips files which cannot involve Dask, before any parsing.

``distributed`` is matched too: files inside distributed-based code import it without
ever writing "dask".
"""

from __future__ import annotations

TRIGGERS: tuple[bytes, ...] = (b"dask", b"distributed")


def may_use_dask(source: bytes) -> bool:
    return any(trigger in source for trigger in TRIGGERS)
