"""``dasklint trace PROGRAM``: the program started before click is imported.

Importing click and the command group takes tens of milliseconds, several percent of a
one-second program, and the program cannot start before its command line is read. For
the plain forms of trace's command line, whose reading is certain without click, the
program is started first: ``trace``, then only ``--output-format FORMAT``, ``-o PATH`` or
``--output PATH`` (each with a value click accepts), then the program, after ``--`` or
not. Click then reads the command line as always, and the command takes the started
program instead of starting it (``tests/test_early_trace.py`` checks on generated command
lines that click reads every line accepted here as this module does). Anything else
(``-m``, ``--compare``, ``--help``, an option written with ``=``, a value click would
refuse, shell completion) starts nothing here: click decides, as for every command.
"""

from __future__ import annotations

import os
import sys

from dasklint.trace import runner

# trace's options that take a value, with the values click accepts (None: a path that is
# not a folder).
OPTIONS: dict[str, tuple[str, ...] | None] = {
    "--output-format": ("html", "json", "svg"),
    "-o": None,
    "--output": None,
}


def program(args: list[str]) -> list[str] | None:
    """The program's command line when ``args`` (those after ``dasklint``) is a plain
    trace, else None."""
    if not args or args[0] != "trace" or sys.platform == "win32":  # click expands globs there
        return None
    if any(name.endswith("_COMPLETE") for name in os.environ):  # click's shell completion
        return None
    i = 1
    while i < len(args):
        arg = args[i]
        if arg == "--":
            i += 1
            break
        if not arg.startswith("-"):
            break
        if arg not in OPTIONS or i + 1 >= len(args):
            return None
        value, choices = args[i + 1], OPTIONS[arg]
        if value.startswith("-") or (value not in choices if choices else os.path.isdir(value)):
            return None
        i += 2
    command = args[i:]
    if not command:
        return None
    return runner.program_argv(command, None)


def start(args: list[str]) -> runner.Started | None:
    """Start the program of a plain trace; None when ``args`` is not one, or when the
    program cannot be started (the command then reports why)."""
    argv = program(args)
    if argv is None:
        return None
    try:
        return runner.begin(argv)
    except RuntimeError:
        return None
