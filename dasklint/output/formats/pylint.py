"""``--output-format pylint``: ``path:row: [CODE] message`` (pylint's parseable format)."""

from __future__ import annotations

from dasklint.output.context import OutputContext
from dasklint.output.format import Format

FORMAT = Format("pylint", 100, file_lines=True)


def render(ctx: OutputContext) -> str:
    return "".join(
        f"{d.filename}:{d.location.row}: [{d.code}] {d.message}\n" for d in ctx.diagnostics
    )
