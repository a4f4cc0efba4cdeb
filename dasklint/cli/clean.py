"""``dasklint clean``: remove the caches, as ``ruff clean`` does."""

from __future__ import annotations

import os
from pathlib import Path

import click

from dasklint import api


@click.command()
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="DASKLINT_CACHE_DIR",
    help="Remove only this cache (default: the project's, and every one below the "
    "current directory).",
)
def clean(cache_dir: Path | None) -> None:
    """Remove dasklint's caches: the project's (where `check` keeps it) and every
    .dasklint_cache below the current directory."""
    cwd = Path.cwd()
    found = [cache_dir] if cache_dir is not None else _unique(api.project_caches(cwd))
    removed = 0
    for root in found:
        shown = _shown(root, cwd)
        if not root.is_dir():
            continue
        if not api.is_cache(root):
            message = f"{shown} is not a dasklint cache (no CACHEDIR.TAG)"
            if cache_dir is not None:
                raise click.ClickException(message)
            click.echo(f"warning: {message}; left alone", err=True)
            continue
        click.echo(f"Removing cache at: {shown}", err=True)
        try:
            removed += api.remove_cache(root)
        except OSError as exc:
            raise click.ClickException(str(exc)) from None
    if not removed:
        click.echo("No cache found", err=True)


def _unique(paths: list[Path]) -> list[Path]:
    seen: set[str] = set()
    out = []
    for path in paths:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _shown(path: Path, cwd: Path) -> str:
    """Relative to the working directory when inside it, as ruff prints it."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(cwd).as_posix()
    except ValueError:
        return str(absolute)
