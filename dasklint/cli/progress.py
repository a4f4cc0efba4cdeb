"""A one-line progress display on stderr for long runs of ``dasklint check``.

It appears only for a person watching: stderr is a terminal, the run has many files, and
neither ``--quiet``/``--silent`` nor a machine-readable output format is in use. The
line is redrawn in place (``\\r``) a few times a second and erased when the run ends, so
nothing of it is left in the terminal, and stdout never sees it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

MIN_FILES = 300  # below this a run ends before a progress line would help
INTERVAL = 0.1  # seconds between two redraws

T = TypeVar("T")


def wanted(files: int, *, stderr_is_tty: bool, quiet: bool, machine_output: bool) -> bool:
    """Whether a run of ``files`` files shows progress."""
    return stderr_is_tty and not quiet and not machine_output and files >= MIN_FILES


class Progress:
    """Counts the files of a run as their results arrive and draws ``done/total``."""

    def __init__(self, stream: TextIO, *, quiet: bool, machine_output: bool) -> None:
        self.stream = stream
        self.quiet = quiet
        self.machine_output = machine_output
        self.total = 0
        self.done = 0
        self.active = False
        self._drawn = 0  # length of the line on screen
        self._last = 0.0

    def start(self, total: int) -> None:
        """Called once the files are found (``api.lint_paths(on_files=...)``)."""
        self.total = total
        try:
            tty = self.stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        self.active = wanted(
            total, stderr_is_tty=tty, quiet=self.quiet, machine_output=self.machine_output
        )

    def track(self, results: Iterable[T]) -> Iterator[T]:
        """``results`` unchanged, counting them; the line is erased at the end."""
        try:
            for result in results:
                self.done += 1
                if self.active:
                    self._draw()
                yield result
        finally:
            self._erase()

    def _draw(self) -> None:
        now = time.monotonic()
        if now - self._last < INTERVAL and self.done < self.total:
            return
        self._last = now
        percent = 100 * self.done // max(self.total, 1)
        line = f"dasklint: {self.done}/{self.total} files ({percent}%)"
        self._write("\r" + line.ljust(self._drawn))
        self._drawn = len(line)

    def _erase(self) -> None:
        if self._drawn:
            self._write("\r" + " " * self._drawn + "\r")
            self._drawn = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: stop drawing
            self.active = False
            self._drawn = 0
