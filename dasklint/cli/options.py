"""Parsing ``dasklint check``'s option values (click callbacks and splitters)."""

from __future__ import annotations

import click

from dasklint.config.extensions import Extension, parse_pair
from dasklint.config.loader import check_dask_scheduler
from dasklint.dask_version import DaskVersion, parse_dask_version


def dask_scheduler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_dask_scheduler(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select A,B --select C`` as ``(A, B, C)``."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def per_file(values: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for value in values:
        pattern, sep, selectors = value.rpartition(":")
        if not sep or not pattern:
            raise click.BadParameter(f"expected PATTERN:CODES, got {value!r}")
        out.append((pattern, codes((selectors,))))
    return tuple(out)


def extension(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Extension:
    try:
        return tuple(parse_pair(item) for item in value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def target_version(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> DaskVersion | None:
    if value is None:
        return None
    try:
        return parse_dask_version(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
