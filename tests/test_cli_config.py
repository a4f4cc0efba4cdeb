"""Configuration files and rule selection, end to end through `dasklint check`."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import LEGACY, PROCESSES, assert_failed, codes, findings, json_items, run, write

from dasklint import registry


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    write(tmp_path, {"job.py": LEGACY})
    return tmp_path


# -- selection on the command line ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ["DSK101", "DSK105"]),
        (["--select", "DSK105"], ["DSK105"]),
        (["--select", "legacy-scheduler-spelling"], ["DSK105"]),
        (["--select", "DSK10"], ["DSK101", "DSK105"]),
        (["--select", "DSK1"], ["DSK101", "DSK105"]),
        (["--select", "dsk105"], ["DSK105"]),
        (["--select", "DSK101,DSK105"], ["DSK101", "DSK105"]),
        (["--select", "DSK101", "--select", "DSK105"], ["DSK101", "DSK105"]),
        (["--ignore", "DSK101"], ["DSK105"]),
        (["--ignore", "processes-scheduler"], ["DSK105"]),
        (["--ignore", "DSK1"], []),
        (["--select", "DSK106"], []),
        (["--select", "DSK105", "--extend-select", "DSK101"], ["DSK101", "DSK105"]),
        (["--extend-select", "processes-scheduler"], ["DSK101", "DSK105"]),
        # More specific wins, whichever side it is on.
        (["--select", "DSK1", "--ignore", "DSK105"], ["DSK101"]),
        (["--select", "DSK105", "--ignore", "DSK1"], ["DSK105"]),
        (["--select", "DSK101", "--ignore", "DSK10"], ["DSK101"]),
        (["--select", "legacy-scheduler-spelling", "--ignore", "DSK1"], ["DSK105"]),
        # On a tie, ignore wins.
        (["--select", "DSK101", "--ignore", "DSK101"], []),
    ],
)
def test_selection(legacy: Path, args: list[str], expected: list[str]) -> None:
    result = run("check", *args)
    assert codes(result) == expected
    # DSK105 is an info: infos inform, they do not fail a run (`--fail-on`).
    assert result.exit_code == (1 if set(expected) - {"DSK105"} else 0)


def test_select_replaces_the_default_set(tmp_path: Path) -> None:
    source = "import dask\n\ndask.config.set(scheduler='synchronous')\n"
    write(tmp_path, {"job.py": source})
    # DSK106 speaks for DSK105 on the same value (one problem, one finding).
    assert codes(run("check")) == ["DSK106"]
    assert codes(run("check", "--select", "DSK106")) == ["DSK106"]
    assert codes(run("check", "--select", "sync-scheduler-left-in")) == ["DSK106"]
    assert codes(run("check", "--extend-select", "DSK106", "--ignore", "DSK106")) == ["DSK105"]


def test_cli_overrides_config_selection(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": LEGACY, "dasklint.toml": 'select = ["DSK105"]\n'})
    assert codes(run("check")) == ["DSK105"]
    assert codes(run("check", "--select", "DSK101")) == ["DSK101"]
    assert codes(run("check", "--extend-select", "DSK101")) == ["DSK101", "DSK105"]
    assert codes(run("check", "--ignore", "DSK105")) == []


def test_config_ignore_then_cli_extend_select(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": LEGACY, "dasklint.toml": 'ignore = ["DSK101"]\n'})
    assert codes(run("check")) == ["DSK105"]
    assert codes(run("check", "--extend-select", "DSK101")) == ["DSK101", "DSK105"]


# -- per-file ignores and exclusions ---------------------------------------------------


def test_per_file_ignores_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, {"jobs/a.py": LEGACY, "b.py": LEGACY})
    result = run("check", "--per-file-ignores", "jobs/*.py:DSK101,legacy-scheduler-spelling")
    assert [(path, code) for path, *_, code in findings(result)] == [
        ("b.py", "DSK101"),
        ("b.py", "DSK105"),
    ]


def test_per_file_ignores_bad_syntax() -> None:
    result = run("check", "--per-file-ignores", "DSK101")
    assert result.exit_code == 2
    assert "PATTERN:CODES" in result.stderr


def test_per_file_ignores_in_config(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "jobs/a.py": LEGACY,
            "b.py": LEGACY,
            "pyproject.toml": '[tool.dasklint.per-file-ignores]\n"jobs/**" = ["DSK1"]\n',
        },
    )
    assert [path for path, *_ in findings(run("check"))] == ["b.py", "b.py"]


def test_exclude_and_extend_exclude_in_config(tmp_path: Path) -> None:
    files = {"keep.py": PROCESSES, "gen/a.py": PROCESSES, "legacy/b.py": PROCESSES}
    write(tmp_path, {**files, "dasklint.toml": 'extend-exclude = ["gen/"]\n'})
    assert [p for p, *_ in findings(run("check"))] == ["keep.py", "legacy/b.py"]
    write(tmp_path, {"dasklint.toml": 'exclude = ["legacy"]\nextend-exclude = ["keep.py"]\n'})
    assert [p for p, *_ in findings(run("check"))] == ["gen/a.py"]


def test_exclude_replaces_the_defaults(tmp_path: Path) -> None:
    write(tmp_path, {"keep.py": PROCESSES, "build/x.py": PROCESSES, "venv/y.py": PROCESSES})
    assert [p for p, *_ in findings(run("check"))] == ["keep.py"]
    write(tmp_path, {"dasklint.toml": 'exclude = ["build"]\n'})
    assert [p for p, *_ in findings(run("check"))] == ["keep.py", "venv/y.py"]


def test_exclude_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, {"keep.py": PROCESSES, "gen/a.py": PROCESSES})
    assert [p for p, *_ in findings(run("check", "--extend-exclude", "gen"))] == ["keep.py"]
    assert [p for p, *_ in findings(run("check", "--exclude", "keep.py"))] == ["gen/a.py"]


def test_exclude_patterns_are_relative_to_the_config_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "proj/dasklint.toml": 'extend-exclude = ["/gen"]\n',
            "proj/gen/a.py": PROCESSES,
            "proj/src/gen/b.py": PROCESSES,
        },
    )
    assert [p for p, *_ in findings(run("check"))] == ["proj/src/gen/b.py"]


# -- discovery -------------------------------------------------------------------------


def test_pyproject_table(legacy: Path) -> None:
    write(legacy, {"pyproject.toml": '[tool.dasklint]\nignore = ["DSK105"]\n'})
    assert codes(run("check")) == ["DSK101"]


def test_same_directory_precedence(legacy: Path) -> None:
    write(
        legacy,
        {
            "pyproject.toml": '[tool.dasklint]\nselect = ["DSK101"]\n',
            "dasklint.toml": 'select = ["DSK105"]\n',
        },
    )
    assert codes(run("check")) == ["DSK105"]
    write(legacy, {".dasklint.toml": 'ignore = ["DSK1"]\n'})
    assert codes(run("check")) == []
    (legacy / ".dasklint.toml").unlink()
    (legacy / "dasklint.toml").unlink()
    assert codes(run("check")) == ["DSK101"]


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "dasklint.toml": 'ignore = ["DSK101"]\n',
            "pkg/pyproject.toml": '[project]\nname = "pkg"\n[tool.black]\nline-length = 88\n',
            "pkg/job.py": LEGACY,
        },
    )
    assert codes(run("check")) == ["DSK105"]
    result = run("check", "--show-settings", "pkg/job.py")
    assert f'config-file = "{(tmp_path / "dasklint.toml").resolve()}"' in result.stdout


def test_closest_config_wins_and_files_do_not_merge(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.dasklint]\nignore = ["DSK105"]\n',
            "top.py": LEGACY,
            "sub/pyproject.toml": '[tool.dasklint]\nextend-select = ["DSK106"]\n',
            "sub/inner.py": LEGACY,
            "sub/deeper/deep.py": LEGACY,
        },
    )
    result = run("check")
    assert [(p, c) for p, *_, c in findings(result)] == [
        ("sub/deeper/deep.py", "DSK101"),
        ("sub/deeper/deep.py", "DSK105"),
        ("sub/inner.py", "DSK101"),
        ("sub/inner.py", "DSK105"),
        ("top.py", "DSK101"),
    ]
    # Linting the subdirectory alone uses the same files.
    assert codes(run("check", "sub/inner.py")) == ["DSK101", "DSK105"]
    assert codes(run("check", "top.py")) == ["DSK101"]


def test_explicit_config_applies_everywhere(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.dasklint]\nignore = ["DSK105"]\n',
            "sub/dasklint.toml": 'ignore = ["DSK101"]\n',
            "sub/inner.py": LEGACY,
            "top.py": LEGACY,
            "other/settings.toml": 'select = ["DSK105"]\n',
        },
    )
    result = run("check", "--config", "other/settings.toml")
    assert sorted({(p, c) for p, *_, c in findings(result)}) == [
        ("sub/inner.py", "DSK105"),
        ("top.py", "DSK105"),
    ]


def test_explicit_pyproject_config(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"top.py": LEGACY, "cfg/pyproject.toml": '[tool.dasklint]\nignore = ["DSK101"]\n'},
    )
    assert codes(run("check", "--config", "cfg/pyproject.toml")) == ["DSK105"]


def test_isolated_ignores_config_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.dasklint]\nignore = ["DSK1"]\n',
            "sub/.dasklint.toml": "this is not toml = = =\n",
            "sub/job.py": LEGACY,
        },
    )
    assert run("check").exit_code == 2
    result = run("check", "--isolated")
    assert result.exit_code == 1
    assert codes(result) == ["DSK101", "DSK105"]
    assert codes(run("check", "--isolated", "--ignore", "DSK105")) == ["DSK101"]


def test_bad_config_in_a_subdirectory_is_reported(tmp_path: Path) -> None:
    write(tmp_path, {"ok.py": LEGACY, "sub/dasklint.toml": "selec = []\n", "sub/x.py": LEGACY})
    assert_failed(run("check"), "unknown key `selec`", "dasklint.toml")


def test_show_settings_reports_the_file_and_selection(tmp_path: Path) -> None:
    write(tmp_path, {"dasklint.toml": 'select = ["DSK105"]\n', "job.py": LEGACY})
    result = run("check", "--show-settings")
    assert result.exit_code == 0
    assert f'config-file = "{(tmp_path / "dasklint.toml").resolve()}"' in result.stdout
    assert 'enabled = [\n    "DSK105",\n]' in result.stdout


# -- rule options ----------------------------------------------------------------------


# A test module (a test function): the performance rules are off there by default.
TEST_MODULE = """\
import dask


def test_jobs():
    total = dask.delayed(sum)([1, 2])
    dask.compute(total, scheduler="processes")
"""
TEST_FILE = {"tests/test_jobs.py": TEST_MODULE}


@pytest.mark.parametrize("key", ["DSK101", "processes-scheduler"])
def test_rule_option_check_tests(tmp_path: Path, key: str) -> None:
    write(tmp_path, TEST_FILE)
    assert codes(run("check")) == []
    write(tmp_path, {"pyproject.toml": f"[tool.dasklint.rules.{key}]\ncheck-tests = true\n"})
    assert findings(run("check")) == [("tests/test_jobs.py", 6, 35, "DSK101")]


COMPUTE_IN_LOOP = """\
import dask.array as da

x = da.ones((100, 100), chunks=(10, 10))
for i in range(3):
    print((x + i).sum().compute())
"""


def test_check_tests_key_and_flag_cover_every_performance_rule(tmp_path: Path) -> None:
    """One policy: DSK101 and DSK303 are both silent in a test file and a benchmark suite,
    and both come back with `check-tests = true` or `--check-tests`; a rule about crashes
    (DSK103) is reported in tests either way."""
    crash = TEST_MODULE.replace('scheduler="processes"', 'scheduler="processes", chunksize=-1')
    benchmark = "def time_loop():\n" + "".join(
        f"    {line}\n" for line in COMPUTE_IN_LOOP.splitlines()
    )
    write(
        tmp_path,
        {
            "tests/test_jobs.py": TEST_MODULE,
            "benchmarks/bench_loop.py": benchmark,
            "tests/test_crash.py": crash,
        },
    )
    assert sorted({c for c in codes(run("check"))}) == ["DSK103"]
    everywhere = {"DSK101", "DSK103", "DSK303"}
    assert everywhere <= set(codes(run("check", "--check-tests")))
    write(tmp_path, {"pyproject.toml": "[tool.dasklint]\ncheck-tests = true\n"})
    assert everywhere <= set(codes(run("check")))
    assert "DSK101" not in codes(run("check", "--no-check-tests"))


def test_rule_option_unknown_exits_2(tmp_path: Path) -> None:
    write(tmp_path, {**TEST_FILE, "pyproject.toml": "[tool.dasklint.rules.DSK101]\nfoo = 1\n"})
    assert_failed(run("check"), "unknown option `foo` for DSK101")


def test_rule_option_wrong_type_exits_2(tmp_path: Path) -> None:
    write(
        tmp_path,
        {**TEST_FILE, "pyproject.toml": '[tool.dasklint.rules.DSK101]\ncheck-tests = "yes"\n'},
    )
    assert_failed(run("check"), "check-tests")


# -- target-dask-version -----------------------------------------------------------------

# DSK1001 at 5:15: `get=` was deprecated in Dask 0.18.0 and removed in 0.20.0.
GET_KEYWORD = """\
import dask
import dask.threaded

total = dask.delayed(sum)([1, 2])
total.compute(get=dask.threaded.get)
"""


@pytest.mark.parametrize(
    ("config", "args", "expected"),
    [
        ("", [], [("job.py", 5, 15, "DSK1001")]),
        ('target-dask-version = "0.17"\n', [], []),
        ('target-dask-version = "0.19.1"\n', [], [("job.py", 5, 15, "DSK1001")]),
        (
            'target-dask-version = "0.17"\n',
            ["--target-dask-version", "2025.1"],
            [("job.py", 5, 15, "DSK1001")],
        ),
        ("", ["--target-dask-version", "0.17.3"], []),
    ],
)
def test_target_dask_version_gates_the_deprecation_rules(
    tmp_path: Path, config: str, args: list[str], expected: list[tuple[str, int, int, str]]
) -> None:
    write(tmp_path, {"job.py": GET_KEYWORD, "dasklint.toml": config})
    assert findings(run("check", *args)) == expected


def test_target_dask_version_sets_the_severity(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": GET_KEYWORD})
    removed = json_items(run("check", "--output-format", "json"))
    deprecated = json_items(
        run("check", "--output-format", "json", "--target-dask-version", "0.19")
    )
    assert [(d["code"], d["severity"]) for d in removed] == [("DSK1001", "error")]
    assert [(d["code"], d["severity"]) for d in deprecated] == [("DSK1001", "warning")]
    assert "removed in 0.20.0" in deprecated[0]["message"]


@pytest.mark.parametrize(
    ("value", "cause"),
    [
        ('"2025"', "is not a Dask version"),
        ('"latest"', "is not a Dask version"),
        ('"2025.13.0"', "13 is not a month"),
        ("2025.1", "in quotes"),  # a TOML float: 2025.10 would read as 2025.1
    ],
)
def test_bad_target_dask_version_exits_2(tmp_path: Path, value: str, cause: str) -> None:
    write(tmp_path, {"job.py": GET_KEYWORD, "dasklint.toml": f"target-dask-version = {value}\n"})
    assert_failed(run("check"), "dasklint.toml:1", "`target-dask-version`", cause)


def test_bad_target_dask_version_on_the_command_line_exits_2(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": GET_KEYWORD})
    result = run("check", "--target-dask-version", "soon")
    assert result.exit_code == 2
    assert "--target-dask-version" in result.stderr
    assert "is not a Dask version" in result.stderr


def test_a_whole_code_is_not_a_prefix_of_the_four_digit_codes() -> None:
    """`DSK101` names processes-scheduler only, not DSK1010/DSK1011; prefixes still work."""
    every = {rule.code for rule in registry.all_rules()}
    assert {"DSK1010", "DSK1011"} <= registry.apply_layer(every, None, (), ["DSK101"])
    assert "DSK101" not in registry.apply_layer(every, None, (), ["DSK101"])
    family = {f"DSK10{n:02d}" for n in range(1, 12)}
    assert registry.apply_layer(set(), ["DSK100"], (), ()) == family - {"DSK1010", "DSK1011"}
    assert {"DSK101", "DSK1001", "DSK1011"} <= registry.apply_layer(set(), ["DSK10"], (), ())


# -- min-confidence ----------------------------------------------------------------------

UNPROVEN_LOOP = """\
import dask
from stations import load_station

for name in ["a", "b"]:
    print(load_station(name).mean().compute())
for part in [[1, 2], [3, 4]]:
    print(dask.delayed(sum)(part).compute())
"""


def _confidences(result: object) -> list[tuple[int, str, str]]:
    return sorted(
        (d["location"]["row"], d["code"], d["confidence"])
        for d in json_items(result)  # type: ignore[arg-type]
    )


def test_min_confidence_key_and_flag(tmp_path: Path) -> None:
    """`.compute()` on a value the source does not prove to be Dask's is a medium finding:
    shown at `min-confidence = "medium"` or `"low"`, hidden at `"high"`, in a file or on
    the command line (which wins)."""
    write(tmp_path, {"job.py": UNPROVEN_LOOP})
    both = [(5, "DSK303", "medium"), (7, "DSK303", "high")]
    assert _confidences(run("check", "--output-format", "json", "--min-confidence", "low")) == both
    high = run("check", "--output-format", "json", "--min-confidence", "high")
    assert _confidences(high) == [(7, "DSK303", "high")]
    write(tmp_path, {"pyproject.toml": '[tool.dasklint]\nmin-confidence = "high"\n'})
    assert _confidences(run("check", "--output-format", "json")) == [(7, "DSK303", "high")]
    medium = run("check", "--output-format", "json", "--min-confidence", "medium")
    assert _confidences(medium) == both


@pytest.mark.parametrize("value", ['"sure"', "2", "true"])
def test_min_confidence_bad_value_exits_2(tmp_path: Path, value: str) -> None:
    write(
        tmp_path,
        {"job.py": UNPROVEN_LOOP, "pyproject.toml": f"[tool.dasklint]\nmin-confidence = {value}\n"},
    )
    assert_failed(run("check"), "min-confidence", "high, medium, low")


def test_min_confidence_flag_rejects_unknown_level(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": UNPROVEN_LOOP})
    result = run("check", "--min-confidence", "sure")
    assert result.exit_code == 2 and "sure" in result.stderr
