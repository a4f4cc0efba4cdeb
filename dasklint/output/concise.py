"""``path:row:col: CODE message``, one line per diagnostic, then ruff's summary."""

from __future__ import annotations

from dasklint.output.context import OutputContext, summary


def render(ctx: OutputContext) -> str:
    lines = [
        f"{d.filename}:{d.place}: {d.code}{' [*]' if d.fixable else ''} {d.message}"
        for d in ctx.diagnostics
    ]
    if ctx.show_summary:
        lines.append(summary(ctx.diagnostics))
    return "\n".join(lines) + "\n" if lines else ""
