"""``path:row:col: CODE message``, one line per diagnostic, then ruff's summary."""

from __future__ import annotations

from dasklint.diagnostics import Diagnostic
from dasklint.output.context import OutputContext, summary
from dasklint.output.format import Format
from dasklint.output.style import Styles

FORMAT = Format("concise", 10, machine=False)


def render(ctx: OutputContext) -> str:
    style = Styles(ctx.color)
    lines = [line(d, style) for d in ctx.diagnostics]
    if ctx.show_summary:
        lines.append(summary(ctx.diagnostics))
    return "\n".join(lines) + "\n" if lines else ""


def line(d: Diagnostic, style: Styles) -> str:
    """One finding: its place, code, ``[*]`` when fixable, and the short message."""
    colon = style.separator(":")
    where = colon.join([style.filename(d.filename), *d.place.split(":")])
    marker = f" [{style.fixable('*')}]" if d.fixable else ""
    return f"{where}{colon} {style.code(d.code)}{marker} {d.message}"
