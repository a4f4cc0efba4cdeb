"""`--fix` never loses work: an interrupted write leaves the original, nothing outside the
given paths (or excluded) changes, untouched files keep their mtime, read-only files are
reported and left alone, symlinks, hard links and owners stay, and an edit saved while
the fix runs is kept.
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

from dasklint.engine.fix import files as fix_files

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
        "from dasklint.engine.fix import files as fix_files\n"
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


def leftovers(*folders: Path) -> list[str]:
    """Temporary files a write left behind."""
    return [p.name for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
@pytest.mark.parametrize("target", ["proj", "proj/job.py"])
def test_symlink_is_fixed_through_to_its_target(tmp_path: Path, target: str) -> None:
    """As in ruff, the file a link points to is fixed and the link stays a link."""
    write(tmp_path, {"shared/job.py": PROCESSES, "proj/keep.txt": ""})
    os.symlink("../shared/job.py", tmp_path / "proj" / "job.py")
    result = run("check", "--isolated", "--no-cache", "--fix-only", target)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "- proj/job.py" in result.stdout
    link = tmp_path / "proj" / "job.py"
    assert link.is_symlink() and os.readlink(link) == "../shared/job.py"
    assert (tmp_path / "shared" / "job.py").read_text() == PROCESSES_FIXED
    assert leftovers(tmp_path / "proj", tmp_path / "shared") == []


def test_hard_links_are_kept(tmp_path: Path) -> None:
    """A file with several names is rewritten in place: every name sees the fix."""
    write(tmp_path, {"a.py": PROCESSES})
    os.link(tmp_path / "a.py", tmp_path / "b.py")
    (tmp_path / "a.py").chmod(0o640)
    inode = (tmp_path / "a.py").stat().st_ino
    result = run("check", "--isolated", "--no-cache", "--fix-only", "a.py")
    assert result.exit_code == 0, result.stdout + result.stderr
    for name in ("a.py", "b.py"):
        info = (tmp_path / name).stat()
        assert (info.st_ino, info.st_nlink, info.st_mode & 0o777) == (inode, 2, 0o640)
        assert (tmp_path / name).read_text() == PROCESSES_FIXED
    assert leftovers(tmp_path) == []


def give_to_nobody(path: Path) -> tuple[int, int]:
    import pwd

    nobody = pwd.getpwnam("nobody")
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
    path.chmod(0o640)
    return nobody.pw_uid, nobody.pw_gid


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() != 0, reason="needs root to chown")
def test_owner_group_and_mode_are_kept_as_root(tmp_path: Path) -> None:
    """Run as root (CI, Docker), a fixed file still belongs to its owner."""
    write(tmp_path, {"a.py": PROCESSES})
    owner = give_to_nobody(tmp_path / "a.py")
    result = run("check", "--isolated", "--no-cache", "--fix-only", "a.py")
    assert result.exit_code == 0, result.stdout + result.stderr
    info = (tmp_path / "a.py").stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (*owner, 0o640)
    assert (tmp_path / "a.py").read_text() == PROCESSES_FIXED


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() != 0, reason="needs root to chown")
def test_owner_that_cannot_be_kept_means_writing_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user may write a file of another owner (group-writable) but not give a new file
    away: then the file is rewritten in place rather than taken over."""
    write(tmp_path, {"a.py": PROCESSES})
    owner = give_to_nobody(tmp_path / "a.py")
    inode = (tmp_path / "a.py").stat().st_ino

    def chown(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(fix_files.os, "chown", chown)
    result = run("check", "--isolated", "--no-cache", "--fix-only", "a.py")
    assert result.exit_code == 0, result.stdout + result.stderr
    info = (tmp_path / "a.py").stat()
    assert (info.st_uid, info.st_gid, info.st_ino) == (*owner, inode)
    assert (tmp_path / "a.py").read_text() == PROCESSES_FIXED
    assert leftovers(tmp_path) == []


EDITED = PROCESSES.replace("[1, 2]", "[3, 4]")  # the same size


def save(path: Path, how: str) -> None:
    """An editor saving ``EDITED`` over ``path``."""
    if how == "rename":  # a new file renamed over the old one
        (path.parent / "new").write_text(EDITED)
        os.replace(path.parent / "new", path)
    elif how == "same-size":  # written in place within the same mtime tick
        info = path.stat()
        path.write_text(EDITED)
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    else:
        path.write_text(EDITED + "print(1)\n")


@pytest.mark.parametrize("how", ["write", "same-size", "rename", "hard-linked"])
def test_edit_saved_while_fixing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The file is replaced only if it still holds what was read and fixed; otherwise it
    is left alone and reported (exit 2), and the other files are fixed."""
    write(tmp_path, {"a.py": PROCESSES, "b.py": PROCESSES})
    if how == "hard-linked":
        os.link(tmp_path / "a.py", tmp_path / "a_link.py")
    real = fix_files.fix_source

    def edited_meanwhile(source: bytes, name: str, *args: object) -> object:
        outcome = real(source, name, *args)  # type: ignore[arg-type]
        if name == "a.py":
            save(tmp_path / "a.py", how)
        return outcome

    monkeypatch.setattr(fix_files, "fix_source", edited_meanwhile)
    saved = EDITED + "print(1)\n" if how in ("write", "hard-linked") else EDITED
    result = run("check", "--isolated", "--no-cache", "--fix-only", "a.py", "b.py")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "error: Failed to lint a.py: Not written: the file changed while it was being fixed "
        "(run the fix again)"
    ]
    assert (tmp_path / "a.py").read_text() == saved
    assert (tmp_path / "b.py").read_text() == PROCESSES_FIXED
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_interrupted_write_in_place_keeps_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A hard-linked file is rewritten in place: when that fails part way (the disk full
    as the file grows), its original bytes are put back."""
    write(tmp_path, {"a.py": PROCESSES})
    os.link(tmp_path / "a.py", tmp_path / "b.py")
    inode = (tmp_path / "a.py").stat().st_ino
    real = getattr(os, failing)
    calls = []

    def broken(handle: int, *args: bytes) -> object:
        calls.append(handle)
        if len(calls) > 1:
            return real(handle, *args)
        if args:
            real(handle, args[0][:-5])  # all but the end
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fix_files.os, failing, broken)
    result = run("check", "--isolated", "--no-cache", "--fix-only", "a.py")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: Failed to lint a.py: Cannot write: No space left on device"
    ]
    for name in ("a.py", "b.py"):
        assert (tmp_path / name).read_text() == PROCESSES
        assert (tmp_path / name).stat().st_ino == inode
    assert leftovers(tmp_path) == []
