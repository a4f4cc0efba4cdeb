"""Diagnostics with the offending source line and a caret underline, like ruff's ``full``."""

from __future__ import annotations

from dasklint.diagnostics import Confidence, Diagnostic
from dasklint.output.context import OutputContext, summary


def render(ctx: OutputContext) -> str:
    blocks = [_block(d, ctx) for d in ctx.diagnostics]
    if ctx.show_summary:
        blocks.append(summary(ctx.diagnostics) + "\n")
    return "".join(blocks)


def _block(d: Diagnostic, ctx: OutputContext) -> str:
    head = f"{d.filename}:{d.place}: {d.code} {d.message}\n"
    # Below high, the source does not prove the value is Dask's: say so.
    sure = "" if d.confidence is Confidence.HIGH else f"  = confidence: {d.confidence.value}\n"
    # A notebook's cells are not lines of the file: no excerpt.
    source = ctx.read_source(d.filename) if d.cell is None else None
    lines = source.splitlines() if source is not None else []
    if not 1 <= d.location.row <= len(lines):
        return head + sure + f"  = help: see `dasklint rule {d.code}`\n\n"
    text = lines[d.location.row - 1]
    gutter = len(str(d.location.row))
    start = d.location.column - 1
    if d.end_location.row == d.location.row:
        width = max(1, d.end_location.column - d.location.column)
    else:
        width = max(1, len(text) - start)
    pad = " " * gutter
    return (
        head
        + f"{pad} |\n"
        + f"{d.location.row} | {text}\n"
        + f"{pad} | {' ' * start}{'^' * width} {d.code}\n"
        + f"{pad} |\n"
        + (f"{pad}{sure[1:]}" if sure else "")
        + f"{pad} = help: see `dasklint rule {d.code}`\n\n"
    )
