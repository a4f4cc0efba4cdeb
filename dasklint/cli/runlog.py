"""What one ``dasklint check`` run found and did: ``-v/--verbose`` lines on stderr (the
configuration files, how many files, the cache's hits, the time) and whether it found
no Python file at all (ruff's "No Python files found" warning)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from dasklint.api import Cache, Discovered
from dasklint.config.loader import ConfigResolver

NO_FILES = "warning: No Python files found under the given path(s)"


class RunLog:
    def __init__(self, verbose: bool, *, isolated: bool) -> None:
        self.verbose = verbose
        self.isolated = isolated
        self.started = time.perf_counter()
        self.files: int | None = None  # None: not a run over paths (stdin, fixes)
        self.nothing_to_lint = False
        self._configured = False

    def found(self, found: Discovered, resolver: ConfigResolver) -> None:
        """Called once the files are found, before any is linted."""
        self.files = len(found.files)
        self.nothing_to_lint = found.nothing_to_lint
        self._configuration(resolver)
        self._say(f"{self.files} file{'s' if self.files != 1 else ''} to lint")

    def finish(self, resolver: ConfigResolver, cache: Cache | None) -> None:
        """Called when the run is done, before the report is printed."""
        self._configuration(resolver)
        if cache is None:
            self._say("cache: off")
        else:
            hits, linted = len(cache.stats.hits), len(cache.stats.linted)
            self._say(f"cache: {hits} cached, {linted} linted ({cache.root.resolve()})")
        elapsed = time.perf_counter() - self.started
        files = "" if self.files is None else f" {self.files} file{'s' if self.files != 1 else ''}"
        self._say(f"checked{files} in {elapsed:.2f}s")

    def _configuration(self, resolver: ConfigResolver) -> None:
        if self._configured:
            return
        self._configured = True
        used: list[Path] = resolver.config_files()
        if not used:
            self._say(
                "configuration: none (--isolated)"
                if self.isolated
                else "configuration: none (defaults)"
            )
        for path in used:
            self._say(f"configuration: {path}")

    def _say(self, line: str) -> None:
        if self.verbose:
            click.echo(f"dasklint: {line}", err=True)
