"""The progress line of long runs: only on a terminal's stderr, never in the output."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dasklint.cli.progress import MIN_FILES, Progress, wanted


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("files", "tty", "quiet", "machine", "expected"),
    [
        (MIN_FILES, True, False, False, True),
        (MIN_FILES - 1, True, False, False, False),  # a short run
        (MIN_FILES, False, False, False, False),  # stderr redirected (CI, a pipe)
        (MIN_FILES, True, True, False, False),  # --quiet / --silent
        (MIN_FILES, True, False, True, False),  # JSON, SARIF, ...
    ],
)
def test_when_progress_is_shown(
    files: int, tty: bool, quiet: bool, machine: bool, expected: bool
) -> None:
    assert wanted(files, stderr_is_tty=tty, quiet=quiet, machine_output=machine) is expected


def test_the_line_counts_and_is_erased_at_the_end() -> None:
    stream = _Terminal()
    progress = Progress(stream, quiet=False, machine_output=False)
    progress.start(MIN_FILES)
    assert list(progress.track(range(MIN_FILES))) == list(range(MIN_FILES))
    text = stream.getvalue()
    assert f"\rdasklint: {MIN_FILES}/{MIN_FILES} files (100%)" in text
    assert text.endswith("\r" + " " * len(f"dasklint: {MIN_FILES}/{MIN_FILES} files (100%)") + "\r")
    assert "\n" not in text


def test_nothing_is_written_when_not_wanted() -> None:
    for stream in (io.StringIO(), _Terminal()):
        progress = Progress(stream, quiet=stream.isatty(), machine_output=False)
        progress.start(MIN_FILES * 2)
        assert len(list(progress.track(range(MIN_FILES * 2)))) == MIN_FILES * 2
        assert stream.getvalue() == ""


def _tree(root: Path) -> Path:
    for i in range(MIN_FILES + 5):
        (root / f"m{i}.py").write_text(f"x = {i}\n")
    (root / "job.py").write_text('import dask\ndask.compute(1, scheduler="processes")\n')
    return root


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_progress_on_a_terminal_and_not_in_a_pipe(tmp_path: Path) -> None:
    import pty

    tree = _tree(tmp_path)
    command = [sys.executable, "-m", "dasklint", "check", "--no-cache", "--isolated", "."]
    env = {**os.environ, "COLUMNS": "80"}
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
