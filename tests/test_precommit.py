"""The pre-commit manifest is valid, and the hook really runs through pre-commit."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"

BAD = """\
import dask

total = dask.delayed(sum)([1, 2, 3])
dask.compute(total, scheduler="processes")
"""

GOOD = """\
import dask

total = dask.delayed(sum)([1, 2, 3])
dask.compute(total)
"""


def _pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(
        [
            "git",
            "-c", "user.name=dasklint tests",
            "-c", "user.email=tests@example.invalid",
            "-c", "commit.gpgsign=false",
            "-c", "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
    )  # fmt: skip


def _index_host() -> tuple[str, int]:
    """The package index pip will use: ``PIP_INDEX_URL`` when set, else PyPI."""
    url = os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple/"
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "pypi.org", port


def _index_reachable() -> tuple[bool, str]:
    host, port = _index_host()
    try:
        with socket.create_connection((host, port), timeout=3):
            return True, f"{host}:{port}"
    except OSError as exc:
        return False, f"{host}:{port} ({exc})"


def _snapshot_repo(dest: Path) -> None:
    """Copy this repository's files (tracked and new, not ignored) into a fresh git repo.

    ``pre-commit try-repo`` installs a local repository from a commit. Committing a copy
    makes the test see the working tree as it is, whether or not it is committed yet.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    dest.mkdir()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.is_file():  # deleted in the work tree
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    _git("init", "-q", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("commit", "-q", "-m", "snapshot", cwd=dest)


def test_manifest_validates() -> None:
    result = _pre_commit("validate-manifest", str(MANIFEST), cwd=ROOT, env=dict(os.environ))
    assert result.returncode == 0, result.stdout + result.stderr


def test_manifest_hook_ids_match_docs() -> None:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["dasklint", "dasklint-fix"]
    assert hooks[0]["entry"] == "dasklint check --force-exclude"
    assert hooks[1]["entry"] == "dasklint check --fix --exit-non-zero-on-fix --force-exclude"
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "pyi", "jupyter"]
        assert hook["require_serial"] is True
        assert hook["minimum_pre_commit_version"] == "2.9.2"
    assert "safe fixes" in hooks[1]["description"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "- id: dasklint\n" in readme


@pytest.mark.slow
@pytest.mark.network
def test_hook_runs_through_pre_commit(tmp_path: Path) -> None:
    reachable, where = _index_reachable()
    if not reachable:
        pytest.skip(f"package index {where} cannot be reached; try-repo installs from it")

    hook_repo = tmp_path / "hook-repo"
    _snapshot_repo(hook_repo)

    project = tmp_path / "project"
    project.mkdir()
    (project / "bad_module.py").write_text(BAD, encoding="utf-8")
    (project / "good_module.py").write_text(GOOD, encoding="utf-8")
    _git("init", "-q", cwd=project)
    _git("add", "-A", cwd=project)

    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env.pop("PRE_COMMIT", None)
    result = _pre_commit(
        "try-repo", str(hook_repo), "dasklint", "--all-files", "--color", "never",
        cwd=project, env=env,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "dasklint" in output and "Failed" in output, output
    assert "bad_module.py:4:" in output, output
    assert "DSK101" in output, output
    assert "good_module.py" not in output, output


def test_fix_hook_entry_fixes_and_fails_on_change(tmp_path: Path) -> None:
    """The `dasklint-fix` entry, run as pre-commit runs it (files as arguments): it fixes,
    exits 1 because it changed a file, and exits 0 once nothing is left to fix or report."""
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    entry = hooks[1]["entry"].split()
    assert entry[0] == "dasklint"
    (tmp_path / "bad_module.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "good_module.py").write_text(GOOD, encoding="utf-8")
    args = [sys.executable, "-m", "dasklint", *entry[1:], "--isolated"]
    files = ["bad_module.py", "good_module.py"]
    first = subprocess.run([*args, *files], cwd=tmp_path, capture_output=True, text=True)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "- bad_module.py" in first.stdout
    assert "chunksize=1" in (tmp_path / "bad_module.py").read_text(encoding="utf-8")
    assert (tmp_path / "good_module.py").read_text(encoding="utf-8") == GOOD
    second = subprocess.run(
        [*args, "--ignore", "DSK101", *files], cwd=tmp_path, capture_output=True, text=True
    )
    assert second.returncode == 0, second.stdout + second.stderr
