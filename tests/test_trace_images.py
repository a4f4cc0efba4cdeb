"""The README's before/after pictures of the four-tasks example (docs/images/), drawn by
``dasklint trace``'s SVG output: the committed pictures have the structure the README
describes, the check of that structure can fail, and they can be redrawn from fresh runs.
What the pictures show depends on timing, so their structure is checked, never bytes."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import ROOT

from dasklint.trace import report_svg

SVG = "{http://www.w3.org/2000/svg}"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_trace_images", ROOT / "docs" / "generate_trace_images.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


IMAGES = _load_script()


def _report(pid: int, runs: list[tuple[int, int, float, float]]) -> dict[str, Any]:
    """A trace report of one computation of ``fetch`` tasks ``(pid, thread, start, end)``."""
    per_process: dict[str, int] = {}
    for run_pid, *_ in runs:
        per_process[str(run_pid)] = per_process.get(str(run_pid), 0) + 1
    return {
        "program": {"pid": pid, "seconds": 3.0, "argv": ["python", "four.py"]},
        "computations": [
            {
                "scheduler": "processes" if pid not in {r[0] for r in runs} else "threads",
                "start": 0.5,
                "end": 2.9,
                "functions": [{"name": "fetch", "file": None, "line": None, "runs": len(runs)}],
                "shape": {"tasks": len(runs), "tasks_per_process": per_process},
                "runs": [
                    [f"fetch-{i}", 0, "fetch", run_pid, thread, start, end, None]
                    for i, (run_pid, thread, start, end) in enumerate(runs)
                ],
            }
        ],
    }


SERIAL = _report(10, [(20, 1, 0.6 + 0.5 * i, 1.1 + 0.5 * i) for i in range(4)])
SIDE_BY_SIDE = _report(10, [(10, t, 0.6, 1.1 + (t == 0) * 1.5) for t in range(4)])


def test_the_svg_picture_holds_one_mark_per_task_run() -> None:
    picture = report_svg.render([("", SERIAL)], "four tasks", end=6.0)
    root = ET.fromstring(picture)  # a well-formed standalone SVG document
    marks = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "task"]
    assert len(marks) == 4
    assert {r.get("data-process") for r in marks} == {"pid 20"}
    assert root.find(f"{SVG}style") is not None  # its style travels with it
    text = "".join(root.itertext())
    assert "4 tasks in 1 worker process (processes); the program ran 3.00 s" in text
    assert "fetch (4)" in text
    # `end` sets the time axis (pictures drawn with one `end` share a scale): by default
    # it is the program's end, 3 s, so each 0.5 s mark is twice as wide as on a 6 s axis.
    default = ET.fromstring(report_svg.render([("", SERIAL)], "four tasks"))
    wide = [r for r in default.iter(f"{SVG}rect") if r.get("class") == "task"]
    for narrow, double in zip(marks, wide, strict=True):
        assert float(double.get("width", 0)) == pytest.approx(2 * float(narrow.get("width", 0)))


def test_the_structure_check_tells_serial_from_side_by_side() -> None:
    serial = report_svg.render([("", SERIAL)], "before")
    together = report_svg.render([("", SIDE_BY_SIDE)], "after")
    assert IMAGES.problems(serial, "before") == []
    assert IMAGES.problems(together, "after") == []
    assert IMAGES.problems(serial, "after") == [
        "tasks ran in ['pid 20'], expected the program's own",
        "tasks ran one after another, expected side by side",
    ]
    assert IMAGES.problems(together, "before") == [
        "tasks ran in ['main'], expected one worker process",
        "tasks ran side by side, expected one after another",
    ]
    three = _report(10, [(20, 1, 0.6 + 0.5 * i, 1.1 + 0.5 * i) for i in range(3)])
    assert IMAGES.problems(report_svg.render([("", three)], "b"), "before") == [
        "3 task marks, expected 4"
    ]
    assert IMAGES.problems("<svg", "before")[0].startswith("not an SVG document")


def test_the_committed_pictures_show_what_the_readme_says() -> None:
    assert IMAGES.check(IMAGES.IMAGES) == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in IMAGES.NAMES.values():
        assert f"](docs/images/{name})" in readme


def test_compare_draws_both_reports_on_one_axis_as_svg(tmp_path: Path) -> None:
    (tmp_path / "before.json").write_text(json.dumps({"dasklint_trace": 1, **SERIAL}))
    (tmp_path / "after.json").write_text(json.dumps({"dasklint_trace": 1, **SIDE_BY_SIDE}))
    command = [sys.executable, "-m", "dasklint", "trace", "--compare", "before.json"]
    done = subprocess.run(
        [*command, "after.json", "--output-format", "svg", "-o", "both.svg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    root = ET.fromstring((tmp_path / "both.svg").read_text())
    marks = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "task"]
    assert len(marks) == 8
    assert {r.get("data-process") for r in marks} == {"pid 20", "main"}
    refused = subprocess.run(
        [*command, "after.json", "--output-format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "--compare draws the reports" in refused.stderr


@pytest.mark.slow
@pytest.mark.dask_runtime
def test_the_pictures_are_redrawn_from_fresh_traces(tmp_path: Path) -> None:
    assert IMAGES.main(["--size", "0.05", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(IMAGES.NAMES.values())
    assert IMAGES.check(tmp_path) == []
