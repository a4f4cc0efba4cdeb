"""`--fix` never loses work: an interrupted write leaves the original, nothing outside the
given paths (or excluded) changes, untouched files keep their mtime, read-only files are
reported and left alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import CLEAN, LEGACY, PROCESSES, run, write
from test_cli_fix import PROCESSES_FIXED

from dasklint.engine import fix_files

NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": ["import dask\n", "dask.compute(1)"],
        }
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``root``: content, inode and mtime."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".dasklint_cache" not in path.parts:
            info = path.stat()
            out[path.relative_to(root).as_posix()] = (
                path.read_bytes(),
                info.st_ino,
                info.st_mtime_ns,
            )
    return out


@pytest.mark.parametrize("failing", ["replace", "write", "fsync", "chmod"])
def test_interrupted_write_keeps_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    write(tmp_path, {"a.py": PROCESSES, "b.py": PROCESSES})

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if failing == "write":

        class BrokenFile:
            def __init__(self, fd: int, mode: str) -> None:
                self.fd = fd

            def __enter__(self) -> BrokenFile:
                return self

            def __exit__(self, *exc: object) -> None:
                os.close(self.fd)

            def write(self, data: bytes) -> None:
                os.write(self.fd, data[: len(data) // 2])  # half of it, then the disk is full
                broken()

        monkeypatch.setattr(fix_files.os, "fdopen", BrokenFile)
    else:
        monkeypatch.setattr(fix_files.os, failing, broken)
    result = run("check", "--isolated", "--no-cache", "--fix", "a.py", "b.py")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: Failed to lint a.py: Cannot write: No space left on device",
        "error: Failed to lint b.py: Cannot write: No space left on device",
    ]
    assert (tmp_path / "a.py").read_text() == PROCESSES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]  # no temporary file


def test_process_killed_mid_write_keeps_the_original(tmp_path: Path) -> None:
    """SIGKILL while the new content is half written: the original is intact; the
    orphaned temporary file is not a Python file, so it is never linted."""
    write(tmp_path, {"a.py": PROCESSES})
    script = (
        "import os, signal\n"
        "from dasklint.engine import fix_files\n"
        "def die(fd):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "fix_files.os.fsync = die\n"
        "from dasklint.cli.main import cli\n"
        "cli(['check', '--isolated', '--no-cache', '--fix', 'a.py'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert done.returncode == -9, done.stderr
    assert (tmp_path / "a.py").read_text() == PROCESSES
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "a.py"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".a.py.")
    assert leftovers[0].endswith(".tmp")
    result = run("check", "--isolated", "--no-cache", "--show-files")
    assert result.stdout.splitlines() == ["a.py"]


def test_fixes_stay_inside_the_given_paths(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "dasklint.toml": 'extend-exclude = ["gen"]\n',
            "top.py": PROCESSES,
            "sub/inner.py": PROCESSES,
            "sub/gen/made.py": PROCESSES,
            "other/b.py": LEGACY,
            "gen/c.py": PROCESSES,
        },
    )
    before = snapshot(tmp_path)
    result = run("check", "--no-cache", "--fix", "sub")
    assert result.exit_code == 1, result.stdout + result.stderr  # an unsafe fix is left
    after = snapshot(tmp_path)
    changed = sorted(name for name in before if before[name] != after[name])
    assert changed == ["sub/inner.py"]
    assert (tmp_path / "sub/inner.py").read_text() == PROCESSES_FIXED

    # The whole tree: excluded directories are not fixed either.
    before = snapshot(tmp_path)
    run("check", "--no-cache", "--fix", ".")
    after = snapshot(tmp_path)
    assert sorted(name for name in before if before[name] != after[name]) == [
        "other/b.py",
        "top.py",
    ]
    assert after["gen/c.py"] == before["gen/c.py"]
    assert after["sub/gen/made.py"] == before["sub/gen/made.py"]


def test_force_exclude_keeps_explicit_excluded_files(tmp_path: Path) -> None:
    write(tmp_path, {"dasklint.toml": 'extend-exclude = ["gen"]\n', "gen/c.py": PROCESSES})
    before = snapshot(tmp_path)
    result = run("check", "--no-cache", "--fix", "--force-exclude", "gen/c.py")
    assert (result.exit_code, result.stdout) == (0, "All checks passed!\n")
    assert snapshot(tmp_path) == before


def test_files_without_changes_keep_their_mtime(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "clean.py": CLEAN,
            "no_dask.py": "x = 1\n",
            "broken.py": "import dask\nx = (\n",
            "suppressed.py": PROCESSES.replace('"processes")', '"processes")  # noqa: DSK101'),
            "unsafe_only.py": "import dask\n\ndask.config.set(scheduler='sync')\n",
            "nb.ipynb": json.dumps(NOTEBOOK, indent=1) + "\n",
            "a.py": PROCESSES,
        },
    )
    for path in tmp_path.iterdir():  # well in the past, so that a rewrite would show
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = snapshot(tmp_path)
    result = run("check", "--isolated", "--no-cache", "--fix")
    assert result.exit_code == 1  # DSK001 and the unsafe-only finding remain
    after = snapshot(tmp_path)
    assert sorted(name for name in before if before[name] != after[name]) == ["a.py"]
    assert run("check", "--isolated", "--no-cache", "--fix").exit_code == 1
    assert snapshot(tmp_path) == after  # fixing again writes nothing at all


def test_read_only_file_is_reported_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rename would replace a read-only file regardless of its mode: refused. Root may
    write anything, so the test makes `os.access` answer as it would for a user."""
    write(tmp_path, {"ro.py": PROCESSES, "rw.py": PROCESSES})
    (tmp_path / "ro.py").chmod(0o444)
    real = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if Path(str(path)).name == "ro.py" and mode == os.W_OK:
            return False
        return real(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(fix_files.os, "access", access)
    inode = (tmp_path / "ro.py").stat().st_ino
    result = run("check", "--isolated", "--no-cache", "--fix")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: Failed to lint ro.py: Cannot write: Permission denied"
    ]
    assert (tmp_path / "ro.py").read_text() == PROCESSES
    assert (tmp_path / "ro.py").stat().st_ino == inode
    assert (tmp_path / "rw.py").read_text() == PROCESSES_FIXED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ro.py", "rw.py"]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes anything")
def test_read_only_file_for_a_user(tmp_path: Path) -> None:
    write(tmp_path, {"ro.py": PROCESSES})
    (tmp_path / "ro.py").chmod(0o444)
    result = run("check", "--isolated", "--no-cache", "--fix")
    assert result.exit_code == 2
    assert "Cannot write: Permission denied" in result.stderr
    assert (tmp_path / "ro.py").read_text() == PROCESSES


def test_diff_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES, "nb.ipynb": json.dumps(NOTEBOOK)})
    before = snapshot(tmp_path)
    result = run("check", "--isolated", "--no-cache", "--diff", "--unsafe-fixes")
    assert result.exit_code == 1
    assert snapshot(tmp_path) == before
