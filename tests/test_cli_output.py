"""Output formats: concise, full, json, json-lines, statistics, quiet and silent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import (
    CLEAN,
    CONCISE_LINE,
    LEGACY,
    PROCESSES,
    findings,
    json_items,
    run,
    write,
)

JSON_KEYS = {
    "code", "name", "message", "filename", "location", "end_location", "fix", "url",
    "severity", "confidence", "noqa_row", "cell", "help", "notes",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Findings in several files and lines, written in an order that is not sorted."""
    write(
        tmp_path,
        {
            "zeta.py": PROCESSES,
            "alpha.py": LEGACY + 'dask.compute(total, scheduler="processes")\n',
            "pkg/mod.py": PROCESSES,
            "clean.py": CLEAN,
        },
    )
    return tmp_path


def test_concise_exact_lines_sorted(project: Path) -> None:
    result = run("check", "--output-format", "concise")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-2:] == [
        "Found 5 findings (4 warnings, 1 info).",
        "[*] 5 fixable with the `--fix` option.",
    ]
    assert [CONCISE_LINE.match(line) is not None for line in lines] == [True] * 5 + [False] * 2
    assert findings(result) == [
        ("alpha.py", 4, 31, "DSK101"),
        ("alpha.py", 5, 31, "DSK105"),
        ("alpha.py", 6, 31, "DSK101"),
        ("pkg/mod.py", 4, 31, "DSK101"),
        ("zeta.py", 4, 31, "DSK101"),
    ]
    assert lines[1] == 'alpha.py:5:31: DSK105 [*] `scheduler="threading"` is a legacy spelling'
    assert lines[0] == "alpha.py:4:31: DSK101 [*] " + (
        '`scheduler="multiprocessing"` runs tasks serially in batches of 6'
    )
    assert result.stderr == ""


def test_concise_is_the_default(project: Path) -> None:
    assert run("check").stdout == run("check", "--output-format", "concise").stdout


def test_summary_singular_and_clean(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": PROCESSES})
    assert run("check").stdout.splitlines()[-2] == "Found 1 warning."
    assert run("check", "--ignore", "DSK101").stdout == "All checks passed!\n"


def test_full_shows_source_line_and_carets(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": PROCESSES})
    result = run("check", "--output-format", "full")
    assert result.exit_code == 1
    # ruff 0.17's layout: the short message, the place, the excerpt with carets under
    # `"processes"` (11 characters from column 31), help, the fix as a diff, notes.
    assert result.stdout.splitlines() == [
        'DSK101 [*] `scheduler="processes"` runs tasks serially in batches of 6',
        " --> bad.py:4:31",
        "  |",
        "3 | total = dask.delayed(sum)([1, 2])",
        '4 | dask.compute(total, scheduler="processes")',
        "  | " + " " * 30 + "^" * 11,
        "  |",
        "help: use `distributed.LocalCluster`, as the Dask maintainers recommend",
        "help: Add `chunksize=1`",
        "  |",
        "3 | total = dask.delayed(sum)([1, 2])",
        '  - dask.compute(total, scheduler="processes")',
        '4 + dask.compute(total, scheduler="processes", chunksize=1)',
        "  |",
        "note: the processes scheduler batches up to 6 ready tasks into one worker process, "
        "where they run one after another (dask/dask#10292)",
        "note: see `dasklint rule DSK101`",
        "",
        "Found 1 warning.",
        "[*] 1 fixable with the `--fix` option.",
    ]


def test_json_shape(project: Path) -> None:
    result = run("check", "--output-format", "json")
    assert result.exit_code == 1
    items = json_items(result)
    assert len(items) == 5
    for item in items:
        assert set(item) == JSON_KEYS
        assert Path(item["filename"]).is_absolute()
        assert set(item["location"]) == {"row", "column"}
        assert set(item["end_location"]) == {"row", "column"}
        assert item["fix"]["applicability"] == "safe"
        assert item["cell"] is None
    first = items[0]
    assert first["code"] == "DSK101"
    # The short message; the suggested change and the explanation beside it.
    assert first["message"] == '`scheduler="multiprocessing"` runs tasks serially in batches of 6'
    assert first["help"] == "use `distributed.LocalCluster`, as the Dask maintainers recommend"
    assert first["notes"][0].startswith("the processes scheduler batches up to 6 ready tasks")
    assert first["notes"][-1].startswith("also DSK105 (legacy-scheduler-spelling): ")
    assert first["name"] == "processes-scheduler"
    assert first["filename"] == str((project / "alpha.py").resolve())
    assert first["location"] == {"row": 4, "column": 31}
    assert first["end_location"] == {"row": 4, "column": 48}
    assert first["noqa_row"] == 4
    assert first["severity"] in {"error", "warning", "info"}
    assert first["fix"] == {
        "applicability": "safe",
        "message": "Add `chunksize=1`",
        "edits": [
            {
                "content": ", chunksize=1",
                "location": {"row": 4, "column": 48},
                "end_location": {"row": 4, "column": 48},
            }
        ],
    }
    assert [(Path(i["filename"]).name, i["code"]) for i in items] == [
        ("alpha.py", "DSK101"),
        ("alpha.py", "DSK105"),
        ("alpha.py", "DSK101"),
        ("mod.py", "DSK101"),
        ("zeta.py", "DSK101"),
    ]
    # Data on stdout, no human summary mixed in.
    assert "Found" not in result.stdout


def test_json_clean_is_empty_array(tmp_path: Path) -> None:
    write(tmp_path, {"clean.py": CLEAN})
    result = run("check", "--output-format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_json_lines_one_object_per_line(project: Path) -> None:
    result = run("check", "--output-format", "json-lines")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    objects = [json.loads(line) for line in lines]
    assert all(set(obj) == JSON_KEYS for obj in objects)
    assert objects == json_items(run("check", "--output-format", "json"))


def test_output_format_from_config_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"bad.py": PROCESSES, "dasklint.toml": 'output-format = "json-lines"\n'})
    assert json.loads(run("check").stdout)["code"] == "DSK101"
    # The command line wins over the configuration file.
    assert run("check", "--output-format", "concise").stdout.startswith("bad.py:4:31: DSK101 ")
    monkeypatch.setenv("DASKLINT_OUTPUT_FORMAT", "json")
    assert json_items(run("check"))[0]["code"] == "DSK101"


def test_output_file(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": PROCESSES})
    result = run("check", "--output-format", "json", "-o", "report.json")
    assert result.exit_code == 1
    assert result.stdout == ""
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [item["code"] for item in data] == ["DSK101"]


def test_statistics_text(project: Path) -> None:
    result = run("check", "--statistics")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "4\tDSK101\t[*] processes-scheduler",
        "1\tDSK105\t[*] legacy-scheduler-spelling",
        "Found 5 findings (4 warnings, 1 info).",
        "[*] 5 fixable with the `--fix` option.",
    ]


def test_statistics_json(project: Path) -> None:
    result = run("check", "--statistics", "--output-format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "code": "DSK101",
            "name": "processes-scheduler",
            "count": 4,
            "fixable": True,
            "fixable_count": 4,
        },
        {
            "code": "DSK105",
            "name": "legacy-scheduler-spelling",
            "count": 1,
            "fixable": True,
            "fixable_count": 1,
        },
    ]


def test_quiet_drops_the_summary(project: Path) -> None:
    for flag in ("-q", "--quiet"):
        result = run("check", flag)
        assert result.exit_code == 1
        lines = result.stdout.splitlines()
        assert len(lines) == 5
        assert all(CONCISE_LINE.match(line) for line in lines)
        assert "Found" not in result.stdout


def test_quiet_clean_prints_nothing(tmp_path: Path) -> None:
    write(tmp_path, {"clean.py": CLEAN})
    result = run("check", "-q")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_silent_prints_nothing_but_keeps_status(project: Path) -> None:
    for flag in ("-s", "--silent"):
        result = run("check", flag)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr == ""
    assert run("check", "-s", "--output-format", "json").stdout == ""


def test_severity_override_in_json(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "bad.py": LEGACY,
            "pyproject.toml": (
                '[tool.dasklint.severity]\nDSK1 = "info"\n"legacy-scheduler-spelling" = "error"\n'
            ),
        },
    )
    items = json_items(run("check", "--output-format", "json"))
    assert {item["code"]: item["severity"] for item in items} == {
        "DSK101": "info",
        "DSK105": "error",
    }
