"""The command line a ruff user expects: -v, -j, --extension, --config KEY=VALUE, the fix
selection and per-file ignores on the command line, an empty run, --show-settings,
--show-files, --statistics, and help for every option."""

from __future__ import annotations

import concurrent.futures
import json
import re
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from cli_support import CLEAN, LEGACY, PROCESSES, assert_failed, codes, findings, run, write

from dasklint.cli.main import cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASKLINT_NO_CACHE", raising=False)
    monkeypatch.delenv("DASKLINT_CACHE_DIR", raising=False)


# -- help ------------------------------------------------------------------------------


def _commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(cli)
    assert isinstance(cli, click.Group)
    found: list[tuple[str, click.Command]] = [("dasklint", cli)]
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None
        found.append((name, command))
    return found


def test_every_option_of_every_command_has_help() -> None:
    missing = [
        f"{name} {param.opts[0]}"
        for name, command in _commands()
        for param in command.params
        if isinstance(param, click.Option) and not (param.help or "").strip()
    ]
    assert [name for name, _ in _commands()] == [
        "dasklint",
        "check",
        "clean",
        "rule",
        "server",
        "trace",
    ]
    assert missing == []


# -- -j/--jobs -------------------------------------------------------------------------


def _many(root: Path, count: int = 40) -> None:
    write(root, {f"m{i}.py": PROCESSES for i in range(count)})


def test_jobs_one_lints_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _many(tmp_path)

    class NoPool:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise AssertionError("a worker pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    for args in (["-j", "1"], ["--jobs", "1"], ["--jobs=1", "--no-cache"]):
        result = run("check", *args)
        assert result.exit_code == 1, result.stderr
        assert len(findings(result)) == 40


def test_jobs_uses_that_many_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _many(tmp_path)
    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    def pool(*args: Any, max_workers: int | None = None, **kwargs: Any) -> Any:
        started.append(max_workers or 0)
        return real(*args, max_workers=max_workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)
    result = run("check", "--no-cache", "-j", "2")
    assert result.exit_code == 1, result.stderr
    assert started and set(started) == {2}


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_jobs_must_be_a_positive_number(tmp_path: Path, value: str) -> None:
    write(tmp_path, {"job.py": PROCESSES})
    result = run("check", "--jobs", value)
    assert result.exit_code == 2
    assert "--jobs" in result.stderr


# -- -v/--verbose ----------------------------------------------------------------------


def test_verbose_says_which_config_how_many_files_cache_hits_and_time(tmp_path: Path) -> None:
    write(tmp_path, {"dasklint.toml": "check-tests = false\n", "a.py": PROCESSES, "b.py": CLEAN})
    first = run("check", "-v")
    assert first.exit_code == 1
    config = (tmp_path / "dasklint.toml").resolve()
    lines = first.stderr.splitlines()
    assert f"dasklint: configuration: {config}" in lines
    assert "dasklint: 2 files to lint" in lines
    cache = (tmp_path / ".dasklint_cache").resolve()
    assert f"dasklint: cache: 0 cached, 2 linted ({cache})" in lines
    assert any(re.fullmatch(r"dasklint: checked 2 files in \d+\.\d\ds", line) for line in lines)
    assert first.stdout == run("check").stdout  # stdout is the report alone
    second = run("check", "--verbose")
    assert "dasklint: cache: 2 cached, 0 linted" in second.stderr
    no_cache = run("check", "-v", "--no-cache", "--isolated")
    assert "dasklint: configuration: none (--isolated)" in no_cache.stderr.splitlines()
    assert "dasklint: cache: off" in no_cache.stderr.splitlines()


def test_verbose_without_a_configuration_file(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES})
    result = run("check", "-v", "--no-cache")
    assert "dasklint: configuration: none (defaults)" in result.stderr.splitlines()


# -- --extension -----------------------------------------------------------------------


def _notebook(source: str) -> str:
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "outputs": [],
        "source": source.splitlines(keepends=True),
    }
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_extension_lints_other_suffixes(tmp_path: Path) -> None:
    write(tmp_path, {"job.pyw": PROCESSES, "cells.ipy": _notebook(PROCESSES), "a.py": PROCESSES})
    assert run("check", "--show-files").stdout.splitlines() == ["a.py"]
    result = run("check", "--extension", "pyw:python", "--extension", "ipy:ipynb")
    assert findings(result) == [
        ("a.py", 4, 31, "DSK101"),
        ("cells.ipy:cell 1", 4, 31, "DSK101"),
        ("job.pyw", 4, 31, "DSK101"),
    ]
    # The notebook's findings are per cell, as for an `.ipynb`.
    data = json.loads(
        run("check", "--extension", ".ipy:ipynb", "--output-format", "json", "cells.ipy").stdout
    )
    assert [item["cell"] for item in data] == [1]
    # The same mapping in the configuration file.
    write(tmp_path, {"dasklint.toml": 'extension = { pyw = "python" }\n'})
    assert [p for p, *_ in findings(run("check"))] == ["a.py", "job.pyw"]


def test_the_extension_mapping_travels_to_dask_workers(tmp_path: Path) -> None:
    from dasklint.config.settings import Settings
    from dasklint.engine.run import dask_wire

    mapping = (("ipy", "ipynb"), ("pyw", "python"))
    settings = Settings(root=tmp_path, extension=mapping).for_file(tmp_path / "cells.ipy")
    assert settings.is_notebook("cells.ipy")
    shared = dask_wire.decode_shared(dask_wire.encode_shared("code", [settings], None))
    assert shared.settings == (settings,)


@pytest.mark.parametrize("value", ["pyw", "pyw:cobol", ":python"])
def test_bad_extension_exits_2(tmp_path: Path, value: str) -> None:
    write(tmp_path, {"a.py": PROCESSES})
    result = run("check", "--extension", value)
    assert result.exit_code == 2
    assert "--extension" in result.stderr


def test_bad_extension_in_config_exits_2(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES, "dasklint.toml": 'extension = { pyw = "cobol" }\n'})
    assert_failed(run("check"), "extension", "cobol")


# -- --config KEY = VALUE --------------------------------------------------------------


def test_config_key_value_overrides_the_file(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": LEGACY, "dasklint.toml": 'select = ["DSK101"]\n'})
    assert codes(run("check")) == ["DSK101"]
    assert codes(run("check", "--config", "select = ['DSK105']")) == ["DSK105"]
    assert codes(run("check", "--config", 'extend-select=["DSK105"]')) == ["DSK101", "DSK105"]
    # Several overrides, and an explicit file with them: the overrides win.
    write(tmp_path, {"other.toml": 'select = ["DSK101", "DSK105"]\n'})
    result = run(
        "check", "--config", "other.toml", "--config", "ignore = ['DSK105']", "--config",
        'output-format = "json"',
    )  # fmt: skip
    assert [item["code"] for item in json.loads(result.stdout)] == ["DSK101"]


def test_config_override_of_a_nested_table(tmp_path: Path) -> None:
    test_module = "import dask\n\n\ndef test_jobs():\n" + "".join(
        f"    {line}\n" for line in PROCESSES.splitlines()[1:] if line
    )
    write(tmp_path, {"tests/test_jobs.py": test_module})
    assert codes(run("check")) == []
    override = "rules.processes-scheduler.check-tests = true"
    assert codes(run("check", "--config", override)) == ["DSK101"]
    # With --isolated the overrides still apply.
    assert codes(run("check", "--isolated", "--config", override)) == ["DSK101"]


@pytest.mark.parametrize(
    ("value", "cause"),
    [
        ("selec = ['DSK101']", "unknown key `selec`"),
        ("select = 1", "key `select`: expected a list of strings"),
        ("select = ['DSK999']", "DSK999"),
        ("fail-on = 'never'", "key `fail-on`"),
        ("select = [", "not valid TOML"),
        ("dask-scheduler = 'local'", "dask-scheduler"),
        ("no-such-file.toml", "no-such-file.toml"),
    ],
)
def test_bad_config_override_exits_2(tmp_path: Path, value: str, cause: str) -> None:
    write(tmp_path, {"job.py": LEGACY})
    result = run("check", "--config", value)
    assert_failed(result, cause)
    assert cause in result.stderr
    assert "Traceback" not in result.stderr


def test_two_config_files_exit_2(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": LEGACY, "a.toml": "", "b.toml": ""})
    result = run("check", "--config", "a.toml", "--config", "b.toml")
    assert result.exit_code == 2
    assert "one configuration file" in result.stderr


# -- fix selection and per-file ignores ------------------------------------------------


def test_unfixable_and_fixable_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": LEGACY})
    statistics = run("check", "--statistics", "--unfixable", "DSK101").stdout.splitlines()
    assert "1\tDSK101\t[ ] processes-scheduler" in statistics
    assert "1\tDSK105\t[*] legacy-scheduler-spelling" in statistics
    statistics = run("check", "--statistics", "--fixable", "DSK101").stdout.splitlines()
    assert "1\tDSK101\t[*] processes-scheduler" in statistics
    assert "1\tDSK105\t[ ] legacy-scheduler-spelling" in statistics
    # Unknown selectors are usage errors, as for --select.
    assert run("check", "--unfixable", "DSK999").exit_code == 2
    # `--fix` leaves an unfixable rule's code alone.
    run("check", "--fix", "--unfixable", "processes-scheduler")
    assert 'scheduler="multiprocessing"' in (tmp_path / "job.py").read_text()


def test_command_line_fix_selection_replaces_the_files(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": LEGACY, "dasklint.toml": 'unfixable = ["DSK105"]\n'})
    statistics = run("check", "--statistics").stdout.splitlines()
    assert "1\tDSK105\t[ ] legacy-scheduler-spelling" in statistics
    statistics = run("check", "--statistics", "--unfixable", "DSK101").stdout.splitlines()
    assert "1\tDSK101\t[ ] processes-scheduler" in statistics
    assert "1\tDSK105\t[*] legacy-scheduler-spelling" in statistics


def test_per_file_ignores_replace_and_extend_per_file_ignores_add(tmp_path: Path) -> None:
    config = '[per-file-ignores]\n"a.py" = ["DSK101"]\n'
    write(tmp_path, {"a.py": PROCESSES, "b.py": PROCESSES, "dasklint.toml": config})
    assert [p for p, *_ in findings(run("check"))] == ["b.py"]
    # As in ruff: --per-file-ignores replaces the configuration's, --extend-... adds to it.
    replaced = run("check", "--per-file-ignores", "b.py:DSK101")
    assert [p for p, *_ in findings(replaced)] == ["a.py"]
    extended = run("check", "--extend-per-file-ignores", "b.py:DSK101")
    assert findings(extended) == []
    assert extended.exit_code == 0
    assert run("check", "--extend-per-file-ignores", "b.py").exit_code == 2


# -- an empty run ----------------------------------------------------------------------


def test_no_python_files_is_a_warning_not_a_pass(tmp_path: Path) -> None:
    write(tmp_path, {"empty/notes.txt": "x\n"})
    result = run("check", "empty")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "warning: No Python files found under the given path(s)\n"
    quiet = run("check", "-q", "empty")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    # Machine formats still print their empty document.
    assert json.loads(run("check", "--output-format", "json", "empty").stdout) == []
    # A file named explicitly and excluded (pre-commit) is a pass, as in ruff.
    write(tmp_path, {"skip.py": PROCESSES})
    forced = run("check", "--force-exclude", "--extend-exclude", "skip.py", "skip.py")
    assert (forced.exit_code, forced.stdout) == (0, "All checks passed!\n")


# -- --show-settings, --show-files, --statistics ---------------------------------------


def test_show_settings_is_stable_readable_toml(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "dasklint.toml": (
                'select = ["DSK105", "DSK101"]\nfail-on = "info"\n'
                'target-dask-version = "2025.1"\nextension = { pyw = "python" }\n'
                '[per-file-ignores]\n"scripts/*.py" = ["DSK101"]\n'
                '[severity]\nDSK105 = "error"\n'
                "[rules.processes-scheduler]\ncheck-tests = true\n"
            ),
            "job.py": LEGACY,
        },
    )
    result = run("check", "--show-settings", "job.py")
    assert result.exit_code == 0
    header, _, body = result.stdout.partition("\n")
    assert header == "Resolved settings for: job.py"
    for python_repr in ("PosixPath", "<Severity", "<Confidence", "(", "None"):
        assert python_repr not in body
    data = tomllib.loads(body)
    assert data["config-file"] == str((tmp_path / "dasklint.toml").resolve())
    assert data["root"] == str(tmp_path.resolve())
    assert data["enabled"] == ["DSK101", "DSK105"]
    assert data["fail-on"] == "info"
    assert data["min-confidence"] == "medium"
    assert data["target-dask-version"] == "2025.1.0"
    assert data["per-file-ignores"] == {"scripts/*.py": ["DSK101"]}
    assert data["severity"] == {"DSK105": "error"}
    assert data["rules"] == {"DSK101": {"check-tests": True}}
    assert data["extension"] == {"pyw": "python"}
    assert data["fixable"] == ["ALL"]
    assert data["respect-gitignore"] is True
    assert ".venv" in data["exclude"]
    assert run("check", "--show-settings", "job.py").stdout == result.stdout
    keys = [line.split(" = ")[0] for line in body.splitlines() if " = " in line]
    assert keys[:3] == ["config-file", "root", "enabled"]


def test_show_settings_without_a_configuration_file(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": LEGACY})
    data = tomllib.loads(run("check", "--show-settings").stdout.partition("\n")[2])
    assert data["config-file"] == ""
    assert data["per-file-ignores"] == {}


def test_show_files_is_sorted(tmp_path: Path) -> None:
    write(tmp_path, {"b.py": CLEAN, "a/z.py": CLEAN, "c.py": CLEAN, "a/b/y.py": CLEAN})
    result = run("check", "--show-files", "c.py", ".")
    assert result.stdout.splitlines() == ["a/b/y.py", "a/z.py", "b.py", "c.py"]


def test_statistics_closes_with_the_summary(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": LEGACY, "more.py": PROCESSES})
    result = run("check", "--statistics")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2\tDSK101\t[*] processes-scheduler",
        "1\tDSK105\t[*] legacy-scheduler-spelling",
        "Found 3 findings (2 warnings, 1 info).",
        "[*] 3 fixable with the `--fix` option.",
    ]
    assert run("check", "--statistics", "-q").stdout.splitlines() == result.stdout.splitlines()[:2]
    write(tmp_path, {"job.py": CLEAN, "more.py": CLEAN})
    assert run("check", "--statistics").stdout == "All checks passed!\n"
