"""``--output-format grouped``: diagnostics under a heading per file, then the summary."""

from __future__ import annotations

from itertools import groupby

from dasklint.output.context import OutputContext, summary


def render(ctx: OutputContext) -> str:
    blocks = []
    for filename, group in groupby(ctx.diagnostics, key=lambda d: d.filename):
        items = list(group)
        places = [d.place for d in items]
        width = max(len(place) for place in places)
        body = "".join(
            f"  {place:<{width}} {d.code}{' [*]' if d.fixable else ''} {d.message}\n"
            for place, d in zip(places, items, strict=True)
        )
        blocks.append(f"{filename}:\n{body}\n")
    if ctx.show_summary:
        blocks.append(summary(ctx.diagnostics) + "\n")
    return "".join(blocks)
