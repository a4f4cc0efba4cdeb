"""The process entry point: the ``dasklint`` script and ``python -m dasklint``.

It imports nothing of the command line's library before it has started the program of a
plain ``dasklint trace`` (see :mod:`dasklint.cli.early_trace`); then the command group
runs, knowing that it owns the process."""

from __future__ import annotations

import sys

from dasklint.cli import early_trace
from dasklint.trace import runner


class OwnProcess:
    """What :func:`main` hands the command group as its object: the command line runs as
    a process of its own (not inside a program that invoked ``cli``, such as a test's
    CliRunner), so a command may end the process itself; and the program a plain
    ``dasklint trace`` started before the command line was read, if any."""

    __slots__ = ("trace_started",)

    def __init__(self, trace_started: runner.Started | None = None) -> None:
        self.trace_started = trace_started


def main() -> None:
    started = early_trace.start(sys.argv[1:])
    from dasklint.cli.main import cli

    cli(prog_name="dasklint", obj=OwnProcess(started))
