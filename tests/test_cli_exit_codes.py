"""Exit statuses: 0 clean, 1 findings, 2 for anything the user has to fix first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import CLEAN, LEGACY, PROCESSES, assert_failed, codes, run, write

from dasklint import __version__


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_clean_exits_0(tmp_path: Path) -> None:
    write(tmp_path, {"clean.py": CLEAN})
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"


def test_findings_exit_1(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": PROCESSES})
    result = run("check")
    assert result.exit_code == 1
    assert codes(result) == ["DSK101"]


def test_exit_zero_hides_findings_status_only(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": PROCESSES})
    for flag in ("--exit-zero", "-e"):
        result = run("check", flag)
        assert result.exit_code == 0
        assert codes(result) == ["DSK101"]


@pytest.mark.parametrize(
    ("args", "cause"),
    [
        (["--select", "DSK999"], "`DSK999`"),
        (["--select", "FOO"], "`FOO`"),
        (["--ignore", "no-such-rule"], "`no-such-rule`"),
        (["--extend-select", "DSK101,XYZ"], "`XYZ`"),
        (["--per-file-ignores", "*.py:DSK8X"], "`DSK8X`"),
    ],
)
def test_unknown_selector_exits_2(tmp_path: Path, args: list[str], cause: str) -> None:
    write(tmp_path, {"bad.py": PROCESSES})
    assert_failed(run("check", *args), cause)
    assert_failed(run("check", "--exit-zero", *args), cause)


@pytest.mark.parametrize(
    ("toml", "cause"),
    [
        ("[tool.dasklint]\nselct = ['DSK1']\n", "unknown key `selct`"),
        ("[tool.dasklint]\nselect = 'DSK101'\n", "key `select`: expected a list of strings"),
        ("[tool.dasklint]\nrespect-gitignore = 'yes'\n", "expected true or false"),
        ("[tool.dasklint]\noutput-format = 'xml'\n", "key `output-format`"),
        ("[tool.dasklint]\nselect = ['DSK1'\n", "is not valid TOML"),
        ("[tool.dasklint]\nignore = ['DSK777']\n", "`DSK777`"),
        ("[tool.dasklint]\nper-file-ignores = {'a.py' = 'DSK101'}\n", "per-file-ignores"),
        ("[tool.dasklint]\nseverity = {DSK101 = 'fatal'}\n", "unknown severity"),
        ("[tool.dasklint]\nseverity = {DSK101 = 3}\n", "expected a string"),
        ("[tool.dasklint.rules.DSK101]\ncheck-test = true\n", "unknown option `check-test`"),
        ("[tool.dasklint.rules.DSK101]\ncheck-tests = 'yes'\n", "check-tests"),
        ("[tool.dasklint.rules.no-such-rule]\nx = 1\n", "names no rule"),
        ("[tool]\ndasklint = 3\n", "must be a table"),
    ],
)
def test_bad_config_exits_2(tmp_path: Path, toml: str, cause: str) -> None:
    write(tmp_path, {"pyproject.toml": toml, "bad.py": PROCESSES})
    result = run("check")
    assert_failed(result, cause, "pyproject.toml")
    assert result.stdout == ""
    assert_failed(run("check", "--exit-zero"), cause)


def test_unknown_config_path_exits_2(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": PROCESSES})
    assert_failed(run("check", "--config", "missing.toml"), "missing.toml", "does not exist")
    assert_failed(run("check", "--exit-zero", "--config", "missing.toml"), "does not exist")


def test_unknown_rule_exits_2() -> None:
    assert_failed(run("rule", "DSK999"), "unknown rule `DSK999`")
    assert_failed(run("rule", "not-a-rule"), "unknown rule `not-a-rule`")


def test_bad_flag_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", "--no-such-flag")
    assert result.exit_code == 2
    assert "No such option" in result.stderr
    result = run("check", "--output-format", "xml")
    assert result.exit_code == 2


def test_missing_path_is_dsk002_and_exit_1(tmp_path: Path) -> None:
    write(tmp_path, {"clean.py": CLEAN})
    result = run("check", "clean.py", "nope.py")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "nope.py:1:1: DSK002 nope.py: No such file or directory"
    assert "Found 1 error." in result.stdout


def test_syntax_error_is_dsk001_and_other_files_still_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a_broken.py": "import dask\n\nvalue = = 1\n",
            "b_bad.py": PROCESSES,
            "c_legacy.py": LEGACY,
        },
    )
    result = run("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("a_broken.py:3:")
    assert " DSK001 Cannot parse: " in lines[0]
    assert codes(result) == ["DSK001", "DSK101", "DSK105"]
    assert run("check", "--exit-zero").exit_code == 0


def test_syntax_error_in_the_middle_of_a_file_has_its_line(tmp_path: Path) -> None:
    """Not the line after it, where libcst's parser stops (Instagram/LibCST#1028, #1112)."""
    write(tmp_path, {"broken.py": "import dask\n\nvalue = (1,\nother = 2\n\nlast = 3\n"})
    result = run("check")
    assert result.exit_code == 1
    assert result.stdout.startswith("broken.py:3:"), result.stdout
    assert codes(result) == ["DSK001"]


def test_show_settings_and_show_files_exit_0(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": PROCESSES, "pkg/other.py": LEGACY})
    result = run("check", "--show-settings")
    assert result.exit_code == 0
    assert "Resolved settings for:" in result.stdout
    assert "DSK101" in result.stdout
    result = run("check", "--show-files")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["bad.py", os.path.join("pkg", "other.py")]


def test_no_cache_is_accepted(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": PROCESSES})
    for flag in ("--no-cache", "-n"):
        result = run("check", flag)
        assert result.exit_code == 1
        assert codes(result) == ["DSK101"]


def test_version_via_python_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dasklint", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"dasklint, version {__version__}"


def _many_findings(root: Path, files: int) -> Path:
    project = root / "many"
    write(project, {f"module_{i:03}.py": LEGACY * 10 for i in range(files)})
    return project


def test_broken_pipe_through_head(tmp_path: Path) -> None:
    project = _many_findings(tmp_path, 20)  # enough to lint in worker processes
    result = subprocess.run(
        f"{sys.executable} -m dasklint check many | head -1",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.startswith("many/module_000.py:4:"), result.stdout
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr
    assert project.is_dir()


@pytest.mark.parametrize("fmt", ["concise", "full", "json", "json-lines"])
def test_broken_pipe_keeps_exit_status(tmp_path: Path, fmt: str) -> None:
    """A reader that went away must not turn findings into success (`set -o pipefail`)."""
    _many_findings(tmp_path, 3)
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now fails with EPIPE
    try:
        result = subprocess.run(
            [sys.executable, "-m", "dasklint", "check", "many", "--output-format", fmt],
            cwd=tmp_path,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr
    assert result.returncode == 1


INFO_ONLY = (
    'import dask\n\ntotal = dask.delayed(sum)([1, 2])\ntotal.compute(scheduler="threading")\n'
)


def test_infos_do_not_fail_a_run_unless_asked(tmp_path: Path) -> None:
    """DSK105 is an info: reported, exit 0; `--fail-on info` (or `fail-on = "info"`) fails
    on it; `--fail-on error` passes a warning."""
    write(tmp_path, {"info.py": INFO_ONLY})
    result = run("check")
    assert result.exit_code == 0
    assert "DSK105" in result.stdout and "Found 1 info." in result.stdout
    assert run("check", "--fail-on", "info").exit_code == 1
    write(tmp_path, {"pyproject.toml": '[tool.dasklint]\nfail-on = "info"\n'})
    assert run("check").exit_code == 1
    assert run("check", "--fail-on", "warning").exit_code == 0
    write(tmp_path, {"pyproject.toml": "", "warn.py": PROCESSES})
    assert run("check").exit_code == 1
    assert run("check", "--fail-on", "error").exit_code == 0
    write(tmp_path, {"pyproject.toml": '[tool.dasklint]\nfail-on = "fatal"\n'})
    assert run("check").exit_code == 2


def test_fix_run_passes_when_only_infos_remain(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"info.py": INFO_ONLY, "pyproject.toml": '[tool.dasklint]\nunfixable = ["DSK105"]\n'},
    )
    result = run("check", "--fix")
    assert "DSK105" in result.stdout
    assert result.exit_code == 0
    assert run("check", "--fix", "--fail-on", "info").exit_code == 1
