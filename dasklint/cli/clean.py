"""``dasklint clean``: remove the cache directory."""

from __future__ import annotations

from pathlib import Path

import click

from dasklint.engine.cache import clean as remove_cache
from dasklint.engine.cache import default_cache_dir


@click.command()
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="DASKLINT_CACHE_DIR",
    help="The cache to remove (default: .dasklint_cache).",
)
def clean(cache_dir: Path | None) -> None:
    """Remove dasklint's cache (.dasklint_cache in the current directory)."""
    root = cache_dir or default_cache_dir(Path.cwd())
    try:
        removed = remove_cache(root)
    except OSError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Removed {root}" if removed else f"No cache at {root}", err=True)
