"""The trace timeline as one standalone SVG picture, for a README, an issue or a slide:
the HTML report's timeline (the same marks, one per task run) under a title and a
legend, with the style it needs inside the picture (no script, no network)."""

from __future__ import annotations

import html
from typing import Any

from dasklint.trace.report_html import colour, task_functions, timeline_marks

STYLE = (
    "text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#333}"
    ".title{font:600 14px system-ui,-apple-system,Segoe UI,sans-serif;fill:#1d232b}"
    ".meta{font:12px system-ui,-apple-system,Segoe UI,sans-serif;fill:#556}"
)
CHAR = 6.8  # pixels per character of the legend's 11px monospace text
HEAD = 44  # pixels of the title and the summary line


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def summary(report: dict[str, Any]) -> str:
    """One line: tasks, the processes that ran them, the schedulers and the wall time."""
    computations = report["computations"]
    tasks = sum(c["shape"]["tasks"] for c in computations)
    root = report["program"].get("pid")
    pids = {int(p) for c in computations for p in c["shape"]["tasks_per_process"]}
    if pids == {root}:
        where = "the program's own process"
    elif root in pids:
        where = f"{len(pids)} processes (the program's and worker processes)"
    else:
        where = f"{len(pids)} worker process{'' if len(pids) == 1 else 'es'}"
    schedulers = ", ".join(sorted({c["scheduler"] for c in computations})) or "no scheduler"
    return (
        f"{tasks} task{'' if tasks == 1 else 's'} in {where} ({schedulers}); the program ran "
        f"{report['program']['seconds']:.2f} s"
    )


def _legend(names: list[tuple[str, int]], width: int, top: int) -> tuple[int, str]:
    """Swatches and names, wrapped to ``width``; returns the height used and the SVG."""
    parts: list[str] = []
    x, y = 4.0, top
    for name, count in names:
        text = f"{name} ({count})"
        item = 16 + len(text) * CHAR + 14
        if x > 4 and x + item > width:
            x, y = 4.0, y + 16
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="11" height="11" fill="{colour(name)}"/>'
            f'<text x="{x + 15:.1f}" y="{y + 10}">{_e(text)}</text>'
        )
        x += item
    return (y - top + 22 if names else 0), "".join(parts)


def render(reports: list[tuple[str, dict[str, Any]]], title: str, end: float | None = None) -> str:
    """One picture of the reports' timelines on one time axis from 0 to ``end`` (by
    default the longest program's end: pictures drawn with one ``end`` share a scale)."""
    width, height, marks = timeline_marks(reports, end)
    lines = [f"{label}: {summary(r)}" if label else summary(r) for label, r in reports]
    meta = "".join(
        f'<text class="meta" x="4" y="{36 + 16 * i}">{_e(line)}</text>'
        for i, line in enumerate(lines)
    )
    top = HEAD + 16 * (len(lines) - 1)
    used, legend = _legend(task_functions(reports), width, top)
    total = top + used + height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total}" '
        f'viewBox="0 0 {width} {total}" role="img" aria-label="{_e(title)}">'
        f"<title>{_e(title)}</title><style>{STYLE}</style>"
        f'<rect width="{width}" height="{total}" fill="#fff"/>'
        f'<text class="title" x="4" y="18">{_e(title)}</text>{meta}{legend}'
        f'<g class="timeline" transform="translate(0 {top + used})">{marks}</g></svg>\n'
    )
