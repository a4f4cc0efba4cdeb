"""Where the cache lives (the project's root) and ``dasklint clean`` (every cache below
the working directory, as ``ruff clean`` does, and the project's own)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import PROCESSES, run, write

from dasklint.engine.run.cache import CACHEDIR_TAG


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASKLINT_NO_CACHE", raising=False)
    monkeypatch.delenv("DASKLINT_CACHE_DIR", raising=False)


def _caches(root: Path) -> list[str]:
    tags = root.rglob(".dasklint_cache/CACHEDIR.TAG")
    return sorted(tag.parent.parent.relative_to(root).as_posix() for tag in tags)


@pytest.mark.parametrize(
    "marker",
    [
        {"dasklint.toml": "check-tests = false\n"},
        {".dasklint.toml": ""},
        {"pyproject.toml": "[tool.dasklint]\n"},
        {".git/HEAD": "ref: refs/heads/main\n"},
    ],
)
def test_the_cache_goes_to_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: dict[str, str]
) -> None:
    project = tmp_path / "project"
    write(project, {**marker, "src/pkg/job.py": PROCESSES, "src/other.py": PROCESSES})
    for folder in ("src/pkg", "src", "."):
        monkeypatch.chdir(project / folder)
        assert run("check").exit_code == 1
    assert _caches(tmp_path) == ["project"]


def test_a_pyproject_without_a_dasklint_table_is_not_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {".git/HEAD": "", "sub/pyproject.toml": "[tool.black]\n", "sub/a.py": PROCESSES}
    write(tmp_path, files)
    monkeypatch.chdir(tmp_path / "sub")
    run("check")
    assert _caches(tmp_path) == ["."]


def test_the_closest_configuration_is_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {".git/HEAD": "", "sub/dasklint.toml": "", "sub/deeper/a.py": PROCESSES})
    monkeypatch.chdir(tmp_path / "sub" / "deeper")
    run("check")
    assert _caches(tmp_path) == ["sub"]


def test_an_explicit_configuration_file_is_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"conf/lint.toml": "", "work/a.py": PROCESSES})
    monkeypatch.chdir(tmp_path / "work")
    run("check", "--config", "../conf/lint.toml")
    assert _caches(tmp_path) == ["conf"]


def test_without_a_project_the_cache_is_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"a.py": PROCESSES})
    monkeypatch.chdir(tmp_path)
    run("check")
    assert _caches(tmp_path) == ["."]


def _make_cache(folder: Path) -> None:
    write(folder, {".dasklint_cache/CACHEDIR.TAG": CACHEDIR_TAG, ".dasklint_cache/x/y.json": "{}"})


def test_clean_removes_every_cache_below_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {".git/HEAD": ""})
    for folder in ("", "a", "a/b", "c/d"):
        _make_cache(tmp_path / folder)
    # Not dasklint's: left alone, with a warning.
    write(tmp_path, {"e/.dasklint_cache/keep.txt": "mine\n"})
    monkeypatch.chdir(tmp_path / "a")
    result = run("clean")
    assert result.exit_code == 0, result.stderr
    # The project's cache (where `check` puts it) and every one below the working directory.
    assert _caches(tmp_path) == ["c/d"]
    assert result.stderr.splitlines() == [
        f"Removing cache at: {(tmp_path / '.dasklint_cache')}",
        "Removing cache at: .dasklint_cache",
        "Removing cache at: b/.dasklint_cache",
    ]
    monkeypatch.chdir(tmp_path)
    result = run("clean")
    assert result.exit_code == 0
    assert _caches(tmp_path) == []
    assert (tmp_path / "e/.dasklint_cache/keep.txt").is_file()
    foreign = "warning: e/.dasklint_cache is not a dasklint cache (no CACHEDIR.TAG); left alone"
    assert foreign in result.stderr.splitlines()
    again = run("clean")
    assert again.exit_code == 0
    assert "No cache found" in again.stderr


def test_clean_of_an_explicit_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _make_cache(tmp_path / "somewhere")
    (tmp_path / "somewhere/.dasklint_cache").rename(tmp_path / "elsewhere")
    _make_cache(tmp_path)
    result = run("clean", "--cache-dir", "elsewhere")
    assert result.exit_code == 0
    assert not (tmp_path / "elsewhere").exists()
    assert _caches(tmp_path) == ["."]  # only the cache named
    (tmp_path / "not-a-cache").mkdir()
    assert run("clean", "--cache-dir", "not-a-cache").exit_code != 0
    assert (tmp_path / "not-a-cache").is_dir()
