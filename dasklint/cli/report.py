"""Printing a report of findings: to stdout or ``-o FILE``, as findings or statistics."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from dasklint.cli.errors import silence_stdout
from dasklint.diagnostics import Diagnostic
from dasklint.errors import DasklintError
from dasklint.output import FORMATS, FORMATTERS, OutputContext, statistics
from dasklint.output.context import summary


def emit(
    diagnostics: list[Diagnostic],
    fmt: str,
    show_statistics: bool,
    quiet: bool,
    silent: bool,
    output_file: Path | None,
    sources: dict[str, str],
    layout: dict[str, Any] | None = None,
    color: bool | None = False,
) -> None:
    """Print the report. ``color``: True or False, or None for "when stdout is a
    terminal" (see :mod:`dasklint.cli.colour`); a file is styled only when True."""
    if silent:
        return
    machine = FORMATS[fmt].machine
    if show_statistics:
        text = statistics.render(diagnostics, as_json=machine)
        if not quiet and not machine:
            text += summary(diagnostics) + "\n"
    else:
        ctx = OutputContext(
            diagnostics,
            show_summary=not quiet and not machine,
            read_source=source_reader(sources),
            color=color is True or (color is None and output_file is None),
            **(layout or {}),
        )
        text = FORMATTERS[fmt](ctx)
    if output_file is not None:
        try:
            output_file.write_bytes(text.encode("utf-8", sys.getfilesystemencodeerrors()))
        except OSError as exc:
            raise DasklintError(f"cannot write {output_file}: {exc.strerror or exc}") from None
    else:
        try:
            # click drops the styles when `color` is None and stdout is no terminal.
            click.echo(text, nl=False, color=color)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader went away (`| head`): stop writing, but keep the exit status,
            # so that `set -o pipefail` still sees the findings.
            silence_stdout()


def source_reader(sources: dict[str, str]) -> Callable[[str], str | None]:
    def read(filename: str) -> str | None:
        if filename in sources:
            return sources[filename]
        try:
            return Path(filename).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    return read
