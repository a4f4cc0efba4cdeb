"""Adopting dasklint on an existing codebase: ``--add-noqa`` and ``--baseline``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from dasklint import api
from dasklint.cli.errors import EXIT_ERROR, EXIT_OK
from dasklint.config.loader import ConfigResolver
from dasklint.diagnostics import Diagnostic


def add_noqa(targets: list[str], resolver: ConfigResolver, quiet: bool) -> int:
    """Add ``# noqa`` comments for every finding; the exit status (2 if a file failed)."""
    if "-" in targets:
        raise click.UsageError("`--add-noqa` cannot be used with stdin (`-`)")
    added, failed = 0, False
    for _, outcome in api.fix_paths([Path(t) for t in targets], resolver, add_noqa=True):
        result = outcome.result
        if result.error:
            failed = True
            click.echo(f"error: Failed to add noqa to {result.filename}: {result.error}", err=True)
        elif outcome.changed:
            added += sum(outcome.fixed.values())
        for text in outcome.dropped:
            click.echo(f"warning: {result.filename}: not written: {text}", err=True)
    if added and not quiet:
        click.echo(f"Added {added} noqa code{'s' if added != 1 else ''}.", err=True)
    return EXIT_ERROR if failed else EXIT_OK


def baseline_path(path: Path | None, update: bool) -> Path | None:
    """The baseline file to use: ``--baseline``, else the configuration's ``baseline``
    (``path``, the setting with the command line's over the file's)."""
    if update and path is None:
        raise click.UsageError("`--update-baseline` needs `--baseline FILE` (or `baseline`)")
    return path


def new_findings_only(path: Path) -> Callable[[list[Diagnostic], dict[str, str]], list[Diagnostic]]:
    """A filter that keeps the findings the baseline at ``path`` does not hold."""
    new_only = api.baseline_filter(path)

    def keep(findings: list[Diagnostic], sources: dict[str, str]) -> list[Diagnostic]:
        return new_only(findings, _reader(sources))

    return keep


def record(path: Path, findings: list[Diagnostic], quiet: bool) -> int:
    """Write ``findings`` as the baseline at ``path``; the exit status."""
    count = api.record_baseline(path, findings)
    if not quiet:
        plural = "s" if count != 1 else ""
        click.echo(f"Recorded {count} finding{plural} in {path}.", err=True)
    return EXIT_OK


def _reader(sources: dict[str, str]) -> Callable[[str], str | None]:
    def read(filename: str) -> str | None:
        if filename in sources:
            return sources[filename]
        try:
            return (Path.cwd() / filename).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    return read
