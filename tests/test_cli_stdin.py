"""Linting standard input: `-`, `--stdin-filename` and the settings for that name."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import CLEAN, LEGACY, PROCESSES, codes, findings, json_items, run, write


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_stdin_without_name() -> None:
    result = run("check", "-", stdin=PROCESSES)
    assert result.exit_code == 1
    assert findings(result) == [("-", 4, 31, "DSK101")]


def test_stdin_clean() -> None:
    result = run("check", "-", stdin=CLEAN)
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"


def test_stdin_filename_is_reported(tmp_path: Path) -> None:
    result = run("check", "-", "--stdin-filename", "pkg/job.py", stdin=PROCESSES)
    assert result.exit_code == 1
    assert findings(result) == [("pkg/job.py", 4, 31, "DSK101")]
    items = json_items(
        run(
            "check", "-", "--stdin-filename", "pkg/job.py", "--output-format", "json",
            stdin=PROCESSES,
        )
    )  # fmt: skip
    assert items[0]["filename"] == str((tmp_path / "pkg" / "job.py").resolve())


def test_stdin_filename_alone_reads_stdin(tmp_path: Path) -> None:
    write(tmp_path, {"on_disk.py": LEGACY})  # must not be linted
    result = run("check", "--stdin-filename", "job.py", stdin=PROCESSES)
    assert findings(result) == [("job.py", 4, 31, "DSK101")]


def test_stdin_file_need_not_exist_and_disk_is_not_read(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": CLEAN})
    result = run("check", "-", "--stdin-filename", "job.py", stdin=PROCESSES)
    assert codes(result) == ["DSK101"]


def test_stdin_full_format_shows_stdin_source() -> None:
    result = run("check", "-", "--stdin-filename", "job.py", "--output-format", "full",
                 stdin=PROCESSES)  # fmt: skip
    assert '4 | dask.compute(total, scheduler="processes")' in result.stdout
    assert 'DSK101 [*] `scheduler="processes"` runs tasks serially' in result.stdout
    assert " --> job.py:4:31\n" in result.stdout


def test_stdin_per_file_ignores_from_config(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"pyproject.toml": '[tool.dasklint.per-file-ignores]\n"scripts/*.py" = ["DSK101"]\n'},
    )
    ignored = run("check", "-", "--stdin-filename", "scripts/job.py", stdin=LEGACY)
    assert codes(ignored) == ["DSK105"]
    other = run("check", "-", "--stdin-filename", "pkg/job.py", stdin=LEGACY)
    assert codes(other) == ["DSK101", "DSK105"]


def test_stdin_uses_the_config_closest_to_its_name(tmp_path: Path) -> None:
    write(tmp_path, {"sub/dasklint.toml": 'ignore = ["DSK105"]\n'})
    assert codes(run("check", "-", "--stdin-filename", "sub/a.py", stdin=LEGACY)) == ["DSK101"]
    assert codes(run("check", "-", "--stdin-filename", "a.py", stdin=LEGACY)) == [
        "DSK101",
        "DSK105",
    ]


def test_stdin_force_exclude(tmp_path: Path) -> None:
    write(tmp_path, {"dasklint.toml": 'extend-exclude = ["generated/"]\n'})
    args = ("check", "-", "--stdin-filename", "generated/job.py")
    assert codes(run(*args, stdin=PROCESSES)) == ["DSK101"]
    result = run(*args, "--force-exclude", stdin=PROCESSES)
    assert result.exit_code == 0
    assert codes(result) == []


def test_stdin_syntax_error() -> None:
    result = run("check", "-", "--stdin-filename", "job.py", stdin="import dask\n\nx = = 1\n")
    assert result.exit_code == 1
    assert [(path, row, code) for path, row, _, code in findings(result)] == [
        ("job.py", 3, "DSK001")
    ]


def test_stdin_cannot_mix_with_paths(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": CLEAN})
    result = run("check", "-", "a.py", stdin=PROCESSES)
    assert result.exit_code == 2
    assert "stdin" in result.stderr
