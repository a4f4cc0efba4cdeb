"""Dask release numbers, for the `target-dask-version` setting.

Dask and distributed use calendar versions ``YEAR.MONTH.PATCH`` (``2025.1.0``) since
2021, and plain ``MAJOR.MINOR.PATCH`` numbers before (``0.20.0``); both compare correctly
as integer tuples. ``packaging`` is not a dependency, and these two shapes are all a
target version needs, so the parsing is done here.
"""

from __future__ import annotations

import re

DaskVersion = tuple[int, int, int]

# The newest release the deprecation rules describe (their facts were checked against it).
DEFAULT_TARGET_DASK_VERSION: DaskVersion = (2026, 8, 0)

_SHAPE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")
_FIRST_CALENDAR_YEAR = 2000  # majors from here on are years, so the minor is a month


def parse_dask_version(text: str) -> DaskVersion:
    """``"2025.1"`` -> ``(2025, 1, 0)``; raises ValueError for anything else."""
    match = _SHAPE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f'{text!r} is not a Dask version; write it like "2025.1" or "2025.1.0"')
    major, minor, patch = int(match[1]), int(match[2]), int(match[3] or 0)
    if major >= _FIRST_CALENDAR_YEAR and not 1 <= minor <= 12:
        raise ValueError(f"{text!r} is not a Dask version: {minor} is not a month (1-12)")
    return major, minor, patch


def format_dask_version(version: DaskVersion) -> str:
    return ".".join(str(part) for part in version)
