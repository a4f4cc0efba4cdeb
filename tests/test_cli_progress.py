"""The progress line of long runs: only on a terminal's stderr, never in the output."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dasklint.cli.progress import DELAY, Progress, wanted


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    """A clock the test moves: no test waits for real time to pass."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("tty", "quiet", "machine", "expected"),
    [
        (True, False, False, True),
        (False, False, False, False),  # stderr redirected (CI, a pipe)
        (True, True, False, False),  # --quiet / --silent
        (True, False, True, False),  # JSON, SARIF, ...
    ],
)
def test_when_progress_may_be_shown(tty: bool, quiet: bool, machine: bool, expected: bool) -> None:
    assert wanted(stderr_is_tty=tty, quiet=quiet, machine_output=machine) is expected


def _run(files: int, seconds_per_file: float) -> str:
    stream, clock = _Terminal(), _Clock()
    progress = Progress(stream, quiet=False, machine_output=False, clock=clock)
    progress.start(files)

    def results() -> Iterator[int]:
        for i in range(files):
            clock.now += seconds_per_file
            yield i

    assert list(progress.track(results())) == list(range(files))
    return stream.getvalue()


def test_a_long_run_shows_progress_however_few_its_files() -> None:
    text = _run(3, DELAY)  # each file takes as long as the delay
    assert "\rdasklint: 1/3 files (33%)" in text
    assert "\rdasklint: 3/3 files (100%)" in text
    assert text.endswith("\r" + " " * len("dasklint: 3/3 files (100%)") + "\r")
    assert "\n" not in text


def test_a_short_run_shows_nothing_however_many_its_files() -> None:
    assert _run(5000, 0.0) == ""


def test_nothing_is_written_when_not_wanted() -> None:
    for stream in (io.StringIO(), _Terminal()):
        clock = _Clock()
        progress = Progress(stream, quiet=stream.isatty(), machine_output=False, clock=clock)
        progress.start(10)
        for _ in progress.track(range(10)):
            clock.now += DELAY
        assert stream.getvalue() == ""


def _tree(root: Path) -> Path:
    for i in range(20):
        (root / f"m{i}.py").write_text(f"x = {i}\n")
    (root / "job.py").write_text('import dask\ndask.compute(1, scheduler="processes")\n')
    return root


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_progress_on_a_terminal_and_not_in_a_pipe(tmp_path: Path) -> None:
    import pty

    tree = _tree(tmp_path)
    command = [sys.executable, "-m", "dasklint", "check", "--no-cache", "--isolated", "."]
    # No delay: the run is short, and the test is about where the line goes.
    env = {**os.environ, "COLUMNS": "80", "DASKLINT_PROGRESS_DELAY": "0"}
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            command, cwd=tree, stdout=subprocess.PIPE, stderr=follower, env=env, timeout=300
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    on_terminal = b"".join(chunks).decode()
    assert proc.returncode == 1
    assert "files (100%)" in on_terminal
    assert b"files (" not in proc.stdout
    assert b"DSK101" in proc.stdout

    piped = subprocess.run(command, cwd=tree, capture_output=True, env=env, timeout=300)
    assert piped.returncode == 1
    assert b"files (" not in piped.stderr + piped.stdout
