"""Click callbacks for ``dasklint check``'s options that are not settings (those are
made from their declarations: :mod:`dasklint.cli.setting_options`)."""

from __future__ import annotations

import click

from dasklint.config.loader import check_dask_scheduler


def dask_scheduler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_dask_scheduler(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
