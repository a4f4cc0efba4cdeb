"""``--output-format pylint``: ``path:row: [CODE] message`` (pylint's parseable format)."""

from __future__ import annotations

from dasklint.output.context import OutputContext


def render(ctx: OutputContext) -> str:
    return "".join(
        f"{d.filename}:{d.location.row}: [{d.code}] {d.message}\n" for d in ctx.diagnostics
    )
