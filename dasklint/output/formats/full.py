"""Each finding with its source excerpt, ``help:``/``note:`` lines and its fix as a diff,
laid out as ruff 0.17's ``full`` format::

    DSK102 [*] These 4 tasks run one after another in 1 worker process
      --> pipeline.py:15:15
       |
    14 |     parts = [load(i) for i in range(4)]
    15 |     results = dask.compute(*parts, scheduler="processes")
       |               ^^^^^^^^^^^^ DSK102
       |
    help: pass `chunksize=1` to run them in parallel
"""

from __future__ import annotations

import difflib

from dasklint.diagnostics import Applicability, Confidence, Diagnostic, apply_text_edits
from dasklint.output.context import OutputContext, summary
from dasklint.output.format import Format
from dasklint.output.style import Styles

FORMAT = Format("full", 20, machine=False, fix_edits=True)

CONTEXT = 2  # source lines shown before and after the finding's first line


def render(ctx: OutputContext) -> str:
    style = Styles(ctx.color)
    blocks = [_block(d, ctx, style) for d in ctx.diagnostics]
    if ctx.show_summary:
        blocks.append(summary(ctx.diagnostics) + "\n")
    return "".join(blocks)


def _block(d: Diagnostic, ctx: OutputContext, style: Styles) -> str:
    marker = f" [{style.fixable('*')}]" if d.fixable else ""
    out = [f"{style.code(d.code)}{marker} {style.strong(d.message)}"]
    # A notebook's cells are not lines of the file: no excerpt.
    source = ctx.read_source(d.filename) if d.cell is None else None
    lines = source.splitlines() if source is not None else []
    shown = 1 <= d.location.row <= len(lines)
    last = min(len(lines), d.location.row + CONTEXT) if shown else d.location.row
    gutter = len(str(last)) + 1 if shown else 2
    out.append(f"{' ' * (gutter - 1)}{style.frame('-->')} {d.filename}:{d.place}")
    if shown:
        out += _excerpt(d, lines, gutter, style)
    out += [_labelled("help", d.help, style)] if d.help else []
    fix = d.fix
    if source is not None and fix is not None and fix.edits:
        if fix.message and fix.message != d.help:
            out.append(_labelled("help", fix.message, style))
        out += _diff(source, apply_text_edits(source, fix.edits), gutter, style)
        if fix.applicability is Applicability.UNSAFE:
            caveat = f": {fix.caveat}" if fix.caveat else ""
            out.append(
                _labelled("note", f"This is an unsafe fix and may change behavior{caveat}", style)
            )
    out += [_labelled("note", note, style) for note in d.notes]
    if d.confidence is not Confidence.HIGH:
        # Below high, the source does not prove the value is Dask's: say so.
        out.append(_labelled("note", f"confidence: {d.confidence.value}", style))
    out.append(_labelled("note", f"see `dasklint rule {d.code}`", style))
    return "\n".join(out) + "\n\n"


def _labelled(label: str, text: str, style: Styles) -> str:
    return f"{style.label(label)}{style.strong(': ' + text)}"


def _excerpt(d: Diagnostic, lines: list[str], gutter: int, style: Styles) -> list[str]:
    """The finding's line with carets under it, and up to ``CONTEXT`` lines either side
    (blank lines at the window's edges left out, as ruff does)."""
    row = d.location.row
    first, last = max(1, row - CONTEXT), min(len(lines), row + CONTEXT)
    while first < row and not lines[first - 1].strip():
        first += 1
    while last > row and not lines[last - 1].strip():
        last -= 1
    text = lines[row - 1]
    start = d.location.column - 1
    if d.end_location.row == row:
        width = max(1, d.end_location.column - d.location.column)
    else:
        width = max(1, len(text) - start)
    bar = style.frame("|")
    out = [f"{' ' * gutter}{bar}"]
    for number in range(first, last + 1):
        out.append(f"{style.frame(str(number).ljust(gutter))}{bar} {lines[number - 1]}".rstrip())
        if number == row:
            out.append(f"{' ' * gutter}{bar} {' ' * start}{style.code('^' * width)}")
    out.append(f"{' ' * gutter}{bar}")
    return out


def _diff(before: str, after: str, gutter: int, style: Styles) -> list[str]:
    """The fix as ruff shows it: removed lines with ``-``, added lines with ``+`` and
    their new line number, one unchanged line around each change."""
    old, new = before.splitlines(), after.splitlines()
    gutter = max(gutter, len(str(len(new))) + 1)
    bar = style.frame("|")
    out = [f"{' ' * gutter}{bar}"]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for n, group in enumerate(matcher.get_grouped_opcodes(1)):
        if n:
            out.append(f"{' ' * gutter}{style.frame('...')}")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for j in range(j1, j2):
                    out.append(f"{style.frame(str(j + 1).ljust(gutter))}{bar} {new[j]}".rstrip())
                continue
            for i in range(i1, i2):
                out.append(f"{' ' * gutter}{style.removed('- ' + old[i])}".rstrip())
            for j in range(j1, j2):
                number = style.frame(str(j + 1).ljust(gutter))
                out.append(f"{number}{style.added('+ ' + new[j])}".rstrip())
    out.append(f"{' ' * gutter}{bar}")
    return out
