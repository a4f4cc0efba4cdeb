"""The HTML report of ``dasklint trace`` opened in a real browser: Debian's Chromium,
headless (``.ci/run`` installs it with apt-get; without it the test is skipped). The page
renders without errors, the timeline in the rendered DOM holds one mark per task run,
and a screenshot of it is kept as a test artifact (``test-artifacts/``, git-ignored)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

from dasklint.trace.report_html import colour, render

pytestmark = pytest.mark.dask_runtime
PIL = pytest.importorskip("PIL.Image", reason="the screenshot check needs Pillow (test extra)")
BROWSER = next((b for b in ("chromium", "chromium-browser") if shutil.which(b)), None)
NO_BROWSER = "chromium is not installed: `apt-get install chromium` (.ci/run does)"
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT = 180
WINDOW = (1280, 900)

PROGRAM = """\
import time

import dask


def fetch(index):
    time.sleep(0.1)
    return index


if __name__ == "__main__":
    tasks = [dask.delayed(fetch)(i) for i in range(6)]
    print(dask.compute(*tasks, scheduler="threads", num_workers=3))
"""


def _browser(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a fresh profile and its console on standard error."""
    assert BROWSER is not None
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",  # the CI container runs as root
        "--disable-gpu",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)


def _page_errors(stderr: str, page: Path) -> list[str]:
    """What the page itself logged on the browser's console (the browser's own noise,
    such as a missing D-Bus, is not the page's)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line and page.name in line]


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tasks: list[dict[str, str | None]] = []
        self.timelines = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "svg" and values.get("aria-label") == "task timeline":
            self.timelines += 1
        if tag == "rect" and values.get("class") == "task":
            self.tasks.append(values)


@pytest.mark.skipif(BROWSER is None, reason=NO_BROWSER)
def test_the_report_renders_in_chromium_with_one_mark_per_task(tmp_path: Path) -> None:
    (tmp_path / "six.py").write_text(PROGRAM)
    command = [sys.executable, "-m", "dasklint", "trace", "--output-format", "json"]
    traced = subprocess.run(
        [*command, "-o", "r.json", "six.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert traced.returncode == 0, traced.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    runs = [run for c in report["computations"] for run in c["runs"]]
    assert len(runs) == 6
    page = tmp_path / "report.html"
    page.write_text(render(report), encoding="utf-8")

    dumped = _browser(tmp_path / "profile", "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr
    assert _page_errors(dumped.stderr, page) == []
    dom = _Dom()
    dom.feed(dumped.stdout)
    assert "<title>dasklint trace: six.py</title>" in dumped.stdout
    assert dom.timelines == 1
    assert len(dom.tasks) == len(runs)  # one mark per task run, as the browser built it
    assert {t["data-process"] for t in dom.tasks} == {"main"}

    shot = tmp_path / "report.png"
    taken = _browser(
        tmp_path / "profile",
        f"--screenshot={shot}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        page.as_uri(),
    )
    assert taken.returncode == 0, taken.stderr
    assert _page_errors(taken.stderr, page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    kept = ARTIFACTS / "trace-report.png"
    shutil.copyfile(shot, kept)
    print(f"screenshot of the trace report: {kept}")
    with PIL.open(shot) as image:
        assert image.size == WINDOW
        counts = image.convert("RGB").getcolors(WINDOW[0] * WINDOW[1])
    # The marks are drawn: pixels of the task function's colour fill a good part of the
    # six marks (each 14 pixels high).
    wanted = tuple(int(colour("fetch")[i : i + 2], 16) for i in (1, 3, 5))
    painted = sum(n for n, rgb in counts or [] if rgb == wanted)
    assert painted > 6 * 14 * 10, painted


@pytest.mark.skipif(BROWSER is None, reason=NO_BROWSER)
def test_the_console_check_sees_a_page_error(tmp_path: Path) -> None:
    """The check above is not blind: an error the page logs shows on the console."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom')</script>")
    dumped = _browser(tmp_path / "profile", "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr
    assert len(_page_errors(dumped.stderr, page)) == 1


def test_artifacts_are_ignored_by_git() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(ARTIFACTS / "trace-report.png")],
        cwd=ROOT,
        timeout=60,
    )
    assert ignored.returncode == 0
