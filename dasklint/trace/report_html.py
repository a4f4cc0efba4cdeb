"""The trace report as one self-contained HTML page: inline CSS and SVG, no script, no
network. A timeline per worker process and thread (one mark per task run, coloured by
task function), each computation's graph shape, and the findings with their evidence.

``render_compare`` draws two reports' timelines on one time axis (before and after a fix).
"""

from __future__ import annotations

import colorsys
import hashlib
import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dasklint.trace.judges import byte_size, seconds

WIDTH = 960  # pixels of the time axis
LABEL = 190  # pixels of the lane labels
LANE = 18

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1d232b;
background:#fbfbfa;max-width:1220px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:18px 0 6px}code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{background:#f3f1ee;padding:10px;overflow:auto;border-left:3px solid #b33}
.meta{color:#556}.ok{color:#1b7f3a}.bad{color:#b3261e}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e4e4e4;padding:5px 8px;
text-align:left;vertical-align:top}th{font-weight:600;background:#f1f1ef}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;
white-space:nowrap}.confirmed{background:#fde2df;color:#8c1d13}.refuted{background:#dff3e4;
color:#17602d}.not-exercised,.not-judged{background:#ececec;color:#555}
.numbers{display:flex;flex-wrap:wrap;gap:6px 18px;margin:4px 0 8px}.numbers span b{font-weight:600}
svg text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#333}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;margin:6px 0}
.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}
"""


def colour(name: str) -> str:
    """A stable, readable colour per task function name."""
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    hue = digest[0] / 255
    lightness = 0.48 + digest[1] / 255 * 0.14
    r, g, b = colorsys.hls_to_rgb(hue, lightness, 0.62)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _function_name(computation: dict[str, Any], index: int, group: str) -> str:
    functions = computation["functions"]
    if 0 <= index < len(functions):
        return str(functions[index]["name"])
    return group


def _lanes(reports: Iterable[tuple[str, dict[str, Any]]]) -> list[tuple[str, str, Any, Any]]:
    """``(report label, lane label, pid, thread)`` in order of first use."""
    lanes: list[tuple[str, str, Any, Any]] = []
    for label, report in reports:
        seen: dict[tuple[Any, Any], int] = {}
        threads_of: dict[Any, int] = {}
        root = report["program"].get("pid")
        for computation in report["computations"]:
            for run in computation["runs"]:
                lane = (run[3], run[4])
                if lane in seen:
                    continue
                threads_of[run[3]] = threads_of.get(run[3], 0) + 1
                seen[lane] = len(seen)
                where = "main process" if run[3] == root else f"pid {run[3]}"
                lanes.append((label, f"{where} · thread {threads_of[run[3]]}", run[3], run[4]))
    return lanes


def time_axis_end(reports: list[tuple[str, dict[str, Any]]]) -> float:
    """Seconds from 0 to the longest program's end (or its last task run's)."""
    return max(
        [float(r["program"]["seconds"]) for _, r in reports]
        + [float(run[6]) for _, r in reports for c in r["computations"] for run in c["runs"]]
        + [1e-3]
    )


def timeline_marks(
    reports: list[tuple[str, dict[str, Any]]], end: float | None = None
) -> tuple[int, int, str]:
    """The timeline's width, height and SVG elements: a lane per (report, process,
    thread), one ``rect.task`` per task run (its ``data-process`` is ``main`` or ``pid
    N``), all on one time axis from 0 to ``end`` (by default the longest program's end)."""
    end = max(end or 0.0, time_axis_end(reports))
    scale = WIDTH / end
    lanes = _lanes(reports)
    index = {(label, pid, thread): i for i, (label, _, pid, thread) in enumerate(lanes)}
    height = LANE * max(1, len(lanes)) + 30
    parts: list[str] = []
    for i, (label, text, _, _) in enumerate(lanes):
        y = i * LANE
        shade = "#f4f4f2" if i % 2 else "#fff"
        parts.append(f'<rect x="{LABEL}" y="{y}" width="{WIDTH}" height="{LANE}" fill="{shade}"/>')
        prefix = f"{label} · " if len(reports) > 1 else ""
        parts.append(f'<text x="4" y="{y + 13}">{_e(prefix + text)}</text>')
    for label, report in reports:
        for computation in report["computations"]:
            x = LABEL + computation["start"] * scale
            last = computation["end"] if computation["end"] is not None else computation["start"]
            rows = [i for (lab, _, _), i in index.items() if lab == label]
            if rows:
                top, bottom = min(rows) * LANE, (max(rows) + 1) * LANE
                parts.append(
                    f'<rect class="computation" x="{x:.2f}" y="{top}" '
                    f'width="{max(0.5, (last - computation["start"]) * scale):.2f}" '
                    f'height="{bottom - top}" fill="none" stroke="#9aa" stroke-dasharray="3 2"/>'
                )
            for run in computation["runs"]:
                key, function, group, pid, thread, start, stop, cpu = run
                name = _function_name(computation, function, group)
                y = index[(label, pid, thread)] * LANE + 2
                cpu_text = "" if cpu is None else f", CPU {seconds(cpu)}"
                process = "main" if pid == report["program"].get("pid") else f"pid {pid}"
                parts.append(
                    f'<rect class="task" data-process="{process}" '
                    f'x="{LABEL + start * scale:.2f}" y="{y}" '
                    f'width="{max(0.6, (stop - start) * scale):.2f}" height="{LANE - 4}" '
                    f'fill="{colour(name)}" stroke="#fff" stroke-width="0.3">'
                    f"<title>{_e(name)} {_e(key)}: {seconds(stop - start)}{cpu_text}"
                    "</title></rect>"
                )
    axis = LANE * max(1, len(lanes)) + 4
    parts.append(f'<line x1="{LABEL}" y1="{axis}" x2="{LABEL + WIDTH}" y2="{axis}" stroke="#444"/>')
    for tick in range(6):
        t = end * tick / 5
        x = LABEL + t * scale
        parts.append(f'<line x1="{x:.1f}" y1="{axis}" x2="{x:.1f}" y2="{axis + 4}" stroke="#444"/>')
        anchor = "end" if tick == 5 else "start" if tick == 0 else "middle"
        parts.append(
            f'<text x="{x:.1f}" y="{axis + 16}" text-anchor="{anchor}">{seconds(t)}</text>'
        )
    return LABEL + WIDTH + 10, height, "".join(parts)


def timeline(reports: list[tuple[str, dict[str, Any]]]) -> str:
    """The timeline as an SVG element of the page (see :func:`timeline_marks`)."""
    width, height, marks = timeline_marks(reports)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="task timeline">{marks}</svg>'
    )


def task_functions(reports: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, int]]:
    """``(function name, task runs)``, most runs first, at most 40."""
    names: dict[str, int] = {}
    for _, report in reports:
        for computation in report["computations"]:
            for function in computation["functions"]:
                if function["runs"]:
                    name = str(function["name"])
                    names[name] = names.get(name, 0) + int(function["runs"])
    return sorted(names.items(), key=lambda item: -item[1])[:40]


def legend(reports: list[tuple[str, dict[str, Any]]]) -> str:
    items = "".join(
        f'<span><i style="background:{colour(n)}"></i>{_e(n)} ({count})</span>'
        for n, count in task_functions(reports)
    )
    return f'<div class="legend">{items}</div>'


def shape_chart(shape: dict[str, Any]) -> str:
    """Tasks per level of the graph, from the leaves up: its depth and width at a glance."""
    levels = shape["levels"]
    if not levels:
        return ""
    width, height = 420, 70
    bar = width / len(levels)
    top = max(levels)
    bars = "".join(
        f'<rect x="{i * bar:.2f}" y="{height - n / top * height:.2f}" '
        f'width="{max(0.5, bar - (1 if bar > 3 else 0)):.2f}" height="{n / top * height:.2f}" '
        f'fill="#5b7fa6"><title>level {i + 1}: {n} tasks</title></rect>'
        for i, n in enumerate(levels)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 16}" '
        f'role="img" aria-label="tasks per graph level">{bars}'
        f'<text x="0" y="{height + 13}">leaves</text>'
        f'<text x="{width}" y="{height + 13}" text-anchor="end">depth {len(levels)}</text></svg>'
    )


def _place(item: dict[str, Any]) -> str:
    path, line = item.get("file"), item.get("line")
    if not path:
        return ""
    shown = f"{Path(path).name}:{line}" if line else Path(path).name
    href = Path(path).as_uri() if Path(path).is_absolute() else path
    return f'<a href="{_e(href)}" title="{_e(path)}:{_e(line)}">{_e(shown)}</a>'


def _badge(verdict: str | None) -> str:
    text = verdict or "not judged"
    return f'<span class="badge {text.replace(" ", "-")}">{_e(text)}</span>'


def findings_table(report: dict[str, Any]) -> str:
    rows = []
    order = {"confirmed": 0, "refuted": 1, "not exercised": 2, None: 3}
    for f in sorted(
        report["findings"], key=lambda f: (order.get(f["verdict"], 3), f["file"], f["line"])
    ):
        rows.append(
            f"<tr><td>{_badge(f['verdict'])}</td><td><b>{_e(f['code'])}</b></td>"
            f"<td>{_place(f)}</td><td>{_e(f['message'])}"
            f"<div class='meta'>{_e(f['summary'])}</div></td></tr>"
        )
    if not rows:
        return "<p class='meta'>No static findings in the files the program ran.</p>"
    return (
        "<table><tr><th>verdict</th><th>rule</th><th>line</th><th>finding and evidence</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _created(sites: list[dict[str, Any]]) -> str:
    """Where the tasks were created, linked to the lines."""
    if not sites:
        return ""
    lines = ", ".join(f"{_place(site)} ({site['tasks']} tasks)" for site in sites)
    return f"<div class='meta'>tasks created at {lines}</div>"


def unreported_list(report: dict[str, Any]) -> str:
    items = [
        f"<li><b>{_e(u['kind'])}</b> at {_place({'file': u['filename'], 'line': u['line']})}: "
        f"{_e(u['summary'])}{_created(u.get('created') or [])}</li>"
        for u in report["unreported"]
    ]
    if not items:
        return "<p class='meta'>Nothing: every pattern the trace looks for was reported.</p>"
    return "<ul>" + "".join(items) + "</ul>"


def computation_section(number: int, c: dict[str, Any]) -> str:
    s = c["shape"]
    site = _place(c["stack"][0]) if c["stack"] else "(no line of the program on the stack)"
    pool = ""
    if c["scheduler"] == "processes":
        pool = f" (pool of {c['workers']}, batches of {c['chunksize']})"
    elif c["workers"]:
        pool = f" ({c['workers']} workers)"
    numbers = {
        "tasks run": s["tasks"],
        "graph size": c["graph_size"],
        "depth": s["depth"],
        "width": s["width"],
        "span": seconds(s["span"]),
        "total work": seconds(s["total_work"]),
        "critical path": seconds(s["critical_path"]),
        "median task": seconds(s["median_task"]),
        "processes": s["processes"],
        "threads": s["threads"],
    }
    if s["cpu"] is not None:
        numbers["CPU"] = seconds(s["cpu"])
    if c.get("argument_bytes"):
        numbers["task arguments"] = byte_size(c["argument_bytes"])
    if c["scheduler"] == "processes":
        numbers["queued behind a sibling"] = s["queued_behind_sibling"]
        numbers["idle pool processes"] = s["idle_pool_processes"]
    spans = "".join(f"<span>{_e(k)} <b>{_e(v)}</b></span>" for k, v in numbers.items())
    failed = " <span class='bad'>(failed)</span>" if c["failed"] else ""
    dropped = (
        f"<p class='meta'>{c['runs_dropped']} task runs are not drawn (report size).</p>"
        if c["runs_dropped"]
        else ""
    )
    return (
        f"<h3>Computation {number}: {_e(c['scheduler'])}{_e(pool)} at {site}{failed}</h3>"
        f"<div class='numbers'>{spans}</div>{shape_chart(s)}{dropped}"
    )


def _program(report: dict[str, Any]) -> str:
    program = report["program"]
    status = program["exit_status"]
    state = (
        f"<span class='ok'>exit status {status}</span>"
        if status == 0
        else f"<span class='bad'>exit status {status}"
        + (f" (signal {program['signal']})" if program["signal"] else "")
        + "</span>"
    )
    parts = [
        f"<p class='meta'><code>{_e(' '.join(program['argv']))}</code> · {state} · "
        f"{seconds(program['seconds'])} · {len(report['computations'])} computations · "
        f"{report['machine']['cpus']} CPUs</p>"
    ]
    if not program["instrumented"]:
        parts.append(
            "<p class='bad'>The program ran without the instrumentation (an interpreter that "
            "ignores PYTHONPATH, such as <code>python -I</code> or <code>-E</code>?): "
            "nothing was recorded.</p>"
        )
    if program["traceback"]:
        parts.append(f"<pre>{_e(program['traceback'])}</pre>")
    return "".join(parts)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def render(report: dict[str, Any]) -> str:
    name = " ".join(report["program"]["argv"][1:3]) or "program"
    body = [
        f"<h1>dasklint trace: {_e(name)}</h1>",
        _program(report),
        "<h2>Timeline</h2>",
        "<p class='meta'>One row per worker process and thread; one mark per task run, "
        "coloured by task function; dashed boxes are computations.</p>",
        legend([("", report)]),
        timeline([("", report)]),
        "<h2>Findings and evidence</h2>",
        findings_table(report),
        "<h2>What the run shows that no finding reported</h2>",
        unreported_list(report),
        "<h2>Computations</h2>",
        *(computation_section(i, c) for i, c in enumerate(report["computations"], 1)),
    ]
    return _page(f"dasklint trace: {name}", "".join(body))


def render_compare(before: dict[str, Any], after: dict[str, Any]) -> str:
    reports = [("before", before), ("after", after)]
    rows = "".join(
        f"<tr><td><b>{label}</b></td><td>{seconds(r['program']['seconds'])}</td>"
        f"<td>{r['program']['exit_status']}</td><td>{len(r['computations'])}</td>"
        f"<td>{sum(c['shape']['tasks'] for c in r['computations'])}</td>"
        f"<td>{len({run[3] for c in r['computations'] for run in c['runs']})}</td>"
        f"<td>{sum(1 for f in r['findings'] if f['verdict'] == 'confirmed')}</td></tr>"
        for label, r in reports
    )
    body = [
        "<h1>dasklint trace: before and after</h1>",
        "<table><tr><th></th><th>wall time</th><th>exit status</th><th>computations</th>"
        f"<th>tasks</th><th>worker processes</th><th>confirmed findings</th></tr>{rows}</table>",
        "<h2>Timelines on one time axis</h2>",
        legend(reports),
        timeline(reports),
        "<h2>Before: findings</h2>",
        findings_table(before),
        "<h2>After: findings</h2>",
        findings_table(after),
    ]
    return _page("dasklint trace: before and after", "".join(body))
