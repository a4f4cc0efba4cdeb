"""``--output-format grouped``: diagnostics under a heading per file, then the summary."""

from __future__ import annotations

from itertools import groupby

from dasklint.output.context import OutputContext, summary
from dasklint.output.format import Format
from dasklint.output.style import Styles

FORMAT = Format("grouped", 50, machine=False)


def render(ctx: OutputContext) -> str:
    style = Styles(ctx.color)
    blocks = []
    for filename, group in groupby(ctx.diagnostics, key=lambda d: d.filename):
        items = list(group)
        places = [d.place for d in items]
        width = max(len(place) for place in places)
        body = "".join(
            f"  {place:<{width}} {style.code(d.code)}"
            f"{' [' + style.fixable('*') + ']' if d.fixable else ''} {d.message}\n"
            for place, d in zip(places, items, strict=True)
        )
        blocks.append(f"{style.filename(filename)}:\n{body}\n")
    if ctx.show_summary:
        blocks.append(summary(ctx.diagnostics) + "\n")
    return "".join(blocks)
