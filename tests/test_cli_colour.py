"""Colour on a terminal: ``--color auto|always|never``, ``NO_COLOR`` and ``FORCE_COLOR``.

The terminal is a real pseudo-terminal: ``dasklint`` runs in a child process whose
standard output is the pty, so click's own terminal detection decides under ``auto``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from cli_support import PROCESSES, write

pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")

ESC = "\x1b["


def _check(cwd: Path, *args: str, terminal: bool, **env: str) -> str:
    """What `dasklint check bad.py` prints on stdout, to a pty or to a pipe."""
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update(env)
    command = [sys.executable, "-m", "dasklint", "check", "--no-cache", "bad.py", *args]
    if not terminal:
        done = subprocess.run(command, cwd=cwd, env=environ, capture_output=True, check=False)
        assert done.returncode == 1, done.stderr
        return done.stdout.decode()
    leader, follower = pty.openpty()
    with subprocess.Popen(
        command, cwd=cwd, env=environ, stdout=follower, stderr=subprocess.PIPE
    ) as child:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert child.wait() == 1
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")  # the terminal's line ends


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, {"bad.py": PROCESSES})
    return tmp_path


def test_colour_on_a_terminal_by_default(project: Path) -> None:
    shown = _check(project, terminal=True)
    # The code is styled as ruff styles it; the words are the same as without colour.
    assert click.style("DSK101", fg="bright_red", bold=True) in shown
    plain = _check(project, "--color", "never", terminal=True)
    assert ESC not in plain
    assert click.unstyle(shown) == plain


def test_no_colour_through_a_pipe_unless_forced(project: Path) -> None:
    assert ESC not in _check(project, terminal=False)
    assert ESC in _check(project, terminal=False, FORCE_COLOR="1")
    assert ESC in _check(project, "--color", "always", terminal=False)


def test_no_color_is_honoured_and_the_option_wins(project: Path) -> None:
    assert ESC not in _check(project, terminal=True, NO_COLOR="1")
    assert ESC in _check(project, terminal=True, NO_COLOR="")  # empty: not set (no-color.org)
    assert ESC in _check(project, "--color", "always", terminal=True, NO_COLOR="1")
    assert ESC not in _check(project, "--color", "never", terminal=False, FORCE_COLOR="1")
