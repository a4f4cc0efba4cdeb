"""Which files get linted: directories, exclusions, `.gitignore` and `--force-exclude`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_support import CLEAN, PROCESSES, findings, run, write


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _paths(*args: str) -> list[str]:
    return [path for path, *_ in findings(run("check", *args))]


def _git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)


def test_walks_python_files_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.py": PROCESSES,
            "stubs/b.pyi": PROCESSES,
            "notes.txt": PROCESSES,
            "script": PROCESSES,
            "pkg/deep/c.py": PROCESSES,
            "clean.py": CLEAN,
        },
    )
    assert _paths() == ["a.py", "pkg/deep/c.py", "stubs/b.pyi"]
    assert run("check", "--show-files").stdout.splitlines() == [
        "a.py",
        "clean.py",
        "pkg/deep/c.py",
        "stubs/b.pyi",
    ]


def test_default_exclusions(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.py": PROCESSES,
            ".venv/lib/x.py": PROCESSES,
            "node_modules/y.py": PROCESSES,
            ".git/hooks/z.py": PROCESSES,
            "build/lib/gen.py": PROCESSES,
            "src/pkg/build_tools.py": PROCESSES,
        },
    )
    assert _paths() == ["a.py", "src/pkg/build_tools.py"]


def test_same_file_twice_is_linted_once(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES})
    assert _paths("a.py", ".", "./a.py") == ["a.py"]


def test_explicit_excluded_file_is_linted_unless_force_exclude(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "dasklint.toml": 'extend-exclude = ["generated/", "skip_me.py"]\n',
            "generated/a.py": PROCESSES,
            "skip_me.py": PROCESSES,
            "kept.py": PROCESSES,
        },
    )
    assert _paths() == ["kept.py"]
    assert _paths("generated/a.py", "skip_me.py", "kept.py") == [
        "generated/a.py",
        "kept.py",
        "skip_me.py",
    ]
    result = run("check", "--force-exclude", "generated/a.py", "skip_me.py", "kept.py")
    assert [p for p, *_ in findings(result)] == ["kept.py"]
    assert _paths("--force-exclude", "generated") == []
    # Nothing left to lint is a clean run, not an error.
    result = run("check", "--force-exclude", "skip_me.py")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"


def test_force_exclude_from_config(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.dasklint]\nextend-exclude = ["skip_me.py"]\n'
            "force-exclude = true\n",
            "skip_me.py": PROCESSES,
        },
    )
    assert _paths("skip_me.py") == []
    assert _paths("--no-force-exclude", "skip_me.py") == ["skip_me.py"]


def test_gitignore_is_respected(tmp_path: Path) -> None:
    _git_init(tmp_path)
    write(
        tmp_path,
        {
            ".gitignore": "ignored_dir/\n*_gen.py\n",
            "ignored_dir/a.py": PROCESSES,
            "job_gen.py": PROCESSES,
            "job.py": PROCESSES,
            "pkg/.gitignore": "local.py\n!keep_gen.py\n",
            "pkg/local.py": PROCESSES,
            "pkg/keep_gen.py": PROCESSES,
            "pkg/other.py": PROCESSES,
        },
    )
    assert _paths() == ["job.py", "pkg/keep_gen.py", "pkg/other.py"]
    assert _paths("--no-respect-gitignore") == [
        "ignored_dir/a.py",
        "job.py",
        "job_gen.py",
        "pkg/keep_gen.py",
        "pkg/local.py",
        "pkg/other.py",
    ]


def test_git_info_exclude_is_respected(tmp_path: Path) -> None:
    _git_init(tmp_path)
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("private.py\n", encoding="utf-8")
    write(tmp_path, {"private.py": PROCESSES, "public.py": PROCESSES})
    assert _paths() == ["public.py"]


def test_respect_gitignore_false_in_config(tmp_path: Path) -> None:
    _git_init(tmp_path)
    write(
        tmp_path,
        {
            ".gitignore": "job_gen.py\n",
            "job_gen.py": PROCESSES,
            "dasklint.toml": "respect-gitignore = false\n",
        },
    )
    assert _paths() == ["job_gen.py"]
    assert _paths("--respect-gitignore") == []


def test_gitignored_file_named_explicitly(tmp_path: Path) -> None:
    _git_init(tmp_path)
    write(tmp_path, {".gitignore": "job_gen.py\n", "job_gen.py": PROCESSES})
    assert _paths("job_gen.py") == ["job_gen.py"]
    assert _paths("--force-exclude", "job_gen.py") == []


def test_gitignore_outside_the_repository_does_not_apply(tmp_path: Path) -> None:
    write(tmp_path, {".gitignore": "*.py\n", "repo/job.py": PROCESSES})
    _git_init(tmp_path / "repo")
    assert _paths("repo") == ["repo/job.py"]


def test_paths_outside_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"project/job.py": PROCESSES, "elsewhere/.keep": ""})
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = run("check", str(tmp_path / "project"))
    assert findings(result) == [(str(tmp_path / "project" / "job.py"), 4, 31, "DSK101")]
    result = run("check", "../project")
    assert findings(result) == [(str(tmp_path / "project" / "job.py"), 4, 31, "DSK101")]


@pytest.mark.parametrize("line", ["foo\\", "!", "[z-a]", "job[z-a].py"])
def test_gitignore_lines_git_rejects_are_skipped(tmp_path: Path, line: str) -> None:
    """A line that is not a valid pattern ignores nothing (a run once ended with exit 2),
    and the other lines still apply: the files listed are the ones git lists. (git reads
    the reversed range ``[z-a]`` as ``z``; no file here is named so.)"""
    _git_init(tmp_path)
    write(
        tmp_path,
        {
            ".gitignore": f"{line}\nignored.py\n",
            "ignored.py": PROCESSES,
            "job.py": PROCESSES,
            "foo.py": PROCESSES,
            "pkg/.gitignore": f"{line}\n",
            "pkg/foo.py": PROCESSES,
        },
    )
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "*.py"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert sorted(untracked) == ["foo.py", "job.py", "pkg/foo.py"]
    result = run("check", "--show-files")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == sorted(untracked)
    assert _paths() == sorted(untracked)
    assert run("check", "--exit-zero").exit_code == 0
