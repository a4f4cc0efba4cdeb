"""A one-line progress display on stderr for long runs of ``dasklint check``.

It appears only for a person watching: stderr is a terminal, neither ``--quiet``/
``--silent`` nor a machine-readable output format is in use, and the run has taken
longer than :data:`DELAY` (``DASKLINT_PROGRESS_DELAY`` seconds, when set), however many
files it has: a quick run never flickers. The line is drawn as files are done (from the
first one done after the delay), redrawn in place (``\\r``) at most a few times a
second and erased when the run ends, so nothing of it is left in the terminal, and
stdout never sees it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

DELAY = 1.0  # seconds of a run before its progress is shown
DELAY_ENV = "DASKLINT_PROGRESS_DELAY"
INTERVAL = 0.1  # seconds between two redraws

T = TypeVar("T")


def wanted(*, stderr_is_tty: bool, quiet: bool, machine_output: bool) -> bool:
    """Whether a run may show progress (once it has taken :func:`delay` seconds)."""
    return stderr_is_tty and not quiet and not machine_output


def delay() -> float:
    """:data:`DELAY`, or ``DASKLINT_PROGRESS_DELAY`` when it is a number of seconds."""
    try:
        value = float(os.environ.get(DELAY_ENV, DELAY))
    except ValueError:
        return DELAY
    return value if value >= 0 else DELAY


class Progress:
    """Counts the files of a run as their results arrive and draws ``done/total``."""

    def __init__(
        self,
        stream: TextIO,
        *,
        quiet: bool,
        machine_output: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.quiet = quiet
        self.machine_output = machine_output
        self.clock = clock
        self.delay = delay()
        self.started = clock()  # the run starts before its files are found
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
            stderr_is_tty=tty, quiet=self.quiet, machine_output=self.machine_output
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
        now = self.clock()
        if now - self.started < self.delay:
            return
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
