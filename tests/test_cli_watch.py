"""``dasklint check --watch``: lints, then lints again when a watched file changes."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import CLEAN, PROCESSES, run, write

WAIT = 120.0  # seconds: generous, for a loaded machine; never a timing assertion


class Lines:
    """The lines a process prints, read by a thread so that waiting can time out."""

    def __init__(self, stream: object) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str) -> list[str]:
        """The lines printed up to the first one containing ``text``."""
        got: list[str] = []
        while True:
            try:
                line = self._queue.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"no {text!r} after {self.seen}") from None
            if line is None:
                raise AssertionError(f"the process ended before {text!r}: {self.seen}")
            self.seen.append(line)
            got.append(line)
            if text in line:
                return got


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Lines]]:
    write(tmp_path, {"job.py": CLEAN, "pkg/other.py": CLEAN})
    command = [sys.executable, "-m", "dasklint", "check", "--watch", "--isolated", "."]
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        yield proc, Lines(proc.stdout)
    finally:
        proc.terminate()
        proc.wait(timeout=WAIT)


def test_watch_mode_sees_an_edit(
    tmp_path: Path, watching: tuple[subprocess.Popen[str], Lines]
) -> None:
    proc, lines = watching
    first = lines.wait_for("Watching for file changes")
    assert "All checks passed!" in first
    (tmp_path / "pkg" / "other.py").write_text(PROCESSES, encoding="utf-8")
    second = lines.wait_for("Watching for file changes")
    assert any(line.startswith("pkg/other.py:4:31: DSK101 ") for line in second), second
    assert "Found 1 warning." in second
    # The next edit is seen too (a file that is not Python is not linted).
    (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "pkg" / "other.py").write_text(CLEAN, encoding="utf-8")
    third = lines.wait_for("Watching for file changes")
    assert "All checks passed!" in third
    assert not any("DSK101" in line for line in third)
    assert proc.poll() is None  # it keeps watching


def test_watch_cannot_read_stdin(tmp_path: Path) -> None:
    result = run("check", "--watch", "-", stdin=PROCESSES)
    assert result.exit_code == 2
    assert "--watch" in result.stderr
