"""Draw the README's before/after timelines of the four-tasks example from the reports of
``dasklint trace``.

    python docs/generate_trace_images.py           # run both programs, redraw the pictures
    python docs/generate_trace_images.py --check   # check the committed pictures' structure

``benchmarks/impact/four_tasks_processes.py`` and dasklint's own fix of it (``dasklint
check --fix --unsafe-fixes``, as the impact benchmark makes it) run under ``dasklint
trace --output-format json``; each report is drawn by ``dasklint.trace.report_svg`` on one
shared time axis, into ``docs/images/``. What the pictures show depends on timing, so
``--check`` (and the test suite) checks their structure, not their bytes: one mark per
task; before the fix all four in one worker process, one after another; after it all in
the program's own process (threads), side by side.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from dasklint.trace.report_html import time_axis_end
from dasklint.trace.report_svg import render

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "benchmarks" / "impact" / "four_tasks_processes.py"
IMAGES = ROOT / "docs" / "images"
NAMES = {"before": "trace-four-tasks-before.svg", "after": "trace-four-tasks-after.svg"}
TITLES = {
    "before": 'Before: four tasks on scheduler="processes" (four_tasks_processes.py)',
    "after": "After dasklint check --fix --unsafe-fixes: the same four tasks",
}
TASKS = 4
SIZE = "0.5"  # the impact benchmark's default size (seconds a fast task waits)
TIMEOUT = 300
SVG = "{http://www.w3.org/2000/svg}"


def _dasklint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "dasklint", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)


def trace_reports(size: str) -> dict[str, dict[str, Any]]:
    """Trace the example and dasklint's fix of it; the two JSON reports."""
    reports = {}
    with tempfile.TemporaryDirectory(prefix="dasklint-images-") as tmp:
        for variant in NAMES:
            folder = Path(tmp, variant)
            folder.mkdir()
            shutil.copy2(PROGRAM, folder)
        fixed = Path(tmp, "after", PROGRAM.name)
        done = _dasklint(
            "check", "--isolated", "--no-cache", "--exit-zero", "--fix", "--unsafe-fixes",
            fixed.name, cwd=fixed.parent,
        )  # fmt: skip
        if done.returncode != 0 or fixed.read_text() == PROGRAM.read_text():
            raise SystemExit(f"dasklint did not fix {PROGRAM.name}: {done.stdout}{done.stderr}")
        for variant in NAMES:
            folder = Path(tmp, variant)
            done = _dasklint(
                "trace", "--output-format", "json", "-o", "report.json", "--",
                sys.executable, PROGRAM.name, size, cwd=folder,
            )  # fmt: skip
            if done.returncode != 0:
                raise SystemExit(f"the {variant} program failed: {done.stderr}")
            reports[variant] = json.loads((folder / "report.json").read_text())
    return reports


def draw(reports: dict[str, dict[str, Any]], out: Path) -> list[Path]:
    """One picture per report, on one time axis (the same seconds are the same width)."""
    end = max(time_axis_end([("", report)]) for report in reports.values())
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for variant, report in reports.items():
        path = out / NAMES[variant]
        path.write_text(render([("", report)], TITLES[variant], end), encoding="utf-8")
        written.append(path)
    return written


def problems(picture: str, variant: str) -> list[str]:
    """What is wrong with a picture's structure: the count of task marks, the processes
    that ran them, and whether they ran side by side."""
    try:
        root = ET.fromstring(picture)
    except ET.ParseError as exc:
        return [f"not an SVG document: {exc}"]
    marks = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "task"]
    found = []
    if len(marks) != TASKS:
        found.append(f"{len(marks)} task marks, expected {TASKS}")
    processes = {r.get("data-process") for r in marks}
    spans = sorted(
        (float(r.get("x", 0)), float(r.get("x", 0)) + float(r.get("width", 0))) for r in marks
    )
    side_by_side = any(b[0] < a[1] - 0.5 for a, b in itertools.pairwise(spans))
    if variant == "before":
        if len(processes) != 1 or "main" in processes:
            found.append(f"tasks ran in {sorted(map(str, processes))}, expected one worker process")
        if side_by_side:
            found.append("tasks ran side by side, expected one after another")
    else:
        if processes != {"main"}:
            found.append(f"tasks ran in {sorted(map(str, processes))}, expected the program's own")
        if not side_by_side:
            found.append("tasks ran one after another, expected side by side")
    return found


def check(folder: Path) -> list[str]:
    found = []
    for variant, name in NAMES.items():
        path = folder / name
        if not path.is_file():
            found.append(f"{path}: missing (run python docs/generate_trace_images.py)")
            continue
        found.extend(f"{path}: {p}" for p in problems(path.read_text(encoding="utf-8"), variant))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check the pictures, run nothing")
    parser.add_argument("--size", default=SIZE, help="seconds a fast task waits (%(default)s)")
    parser.add_argument("--out", type=Path, default=IMAGES, help="folder of the pictures")
    args = parser.parse_args(argv)
    if not args.check:
        for path in draw(trace_reports(args.size), args.out):
            print(f"wrote {path}")
    found = check(args.out)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
