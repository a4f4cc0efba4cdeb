"""``dasklint check --watch``: lint, then lint again whenever a file that matters changes.

The file system is watched with watchfiles (inotify, FSEvents, ReadDirectoryChangesW,
polling where none works), from before the first run, so that no edit made while a run
goes on is missed. What matters: a file that a run would lint (by its suffix) under a
directory being linted, a file named on the command line, and a configuration file.
Each run is a complete ``dasklint check`` (the cache spares the files that did not
change); watching goes on until interrupted (Ctrl-C, exit status 130).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from dasklint.api import CACHE_DIR_NAME
from dasklint.config.loader import CONFIG_NAMES
from dasklint.errors import DasklintError

EXIT_INTERRUPTED = 130
POLL_MS = 500  # how often the watcher wakes up when nothing changes


def exit_status(command: Callable[..., Any], params: dict[str, Any]) -> int:
    """Run one ``dasklint check`` (its callback) and return its exit status."""
    try:
        command(**params)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0


class Relevant:
    """Which changed paths call for another run."""

    def __init__(self, targets: Iterable[str], lints: Callable[[str], bool]) -> None:
        self.lints = lints
        self.dirs: list[str] = []
        self.files: set[str] = set()
        for target in targets:
            real = os.path.realpath(target)
            if os.path.isdir(real):
                self.dirs.append(real)
            elif os.path.exists(real):
                self.files.add(real)

    def roots(self) -> list[str]:
        """What to watch: each directory, and the directory of each file (editors save a
        file by replacing it, which a watch on the file itself would not follow)."""
        return sorted({*self.dirs, *(os.path.dirname(f) for f in self.files)})

    def __call__(self, change: object, path: str) -> bool:
        """A change to ``path`` calls for another run."""
        real = os.path.realpath(path)
        parts = Path(real).parts
        if CACHE_DIR_NAME in parts:
            return False
        if real in self.files or os.path.basename(real) in CONFIG_NAMES:
            return True
        return self.lints(os.path.basename(real)) and any(
            real == d or real.startswith(d.rstrip(os.sep) + os.sep) for d in self.dirs
        )


def watch(targets: list[str], run_once: Callable[[], int], lints: Callable[[str], bool]) -> int:
    """Run, then run again after each relevant change, until interrupted."""
    try:
        import watchfiles
    except ImportError:
        raise DasklintError(
            "`--watch` needs the watchfiles package: pip install 'dasklint[watch]'"
        ) from None
    relevant = Relevant(targets, lints)
    roots = relevant.roots()
    if not roots:  # nothing to watch: the run says why (DSK002)
        return run_once()
    ignored = watchfiles.DefaultFilter()  # .git, .venv, __pycache__, editors' swap files

    def wanted(change: watchfiles.Change, path: str) -> bool:
        return ignored(change, path) and relevant(change, path)

    try:
        changes = watchfiles.watch(
            *roots,
            watch_filter=wanted,
            rust_timeout=POLL_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        next(changes)  # the watcher is running once it has yielded
        while True:
            run_once()
            click.echo("Watching for file changes.", err=True)
            if not any(changes):  # waits for relevant changes; ends when interrupted
                return EXIT_INTERRUPTED
            click.echo("File change detected, linting again.", err=True)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
