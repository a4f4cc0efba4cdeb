"""Suppression comments, end to end through `dasklint check`."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import LEGACY, codes, findings, run, write

HEAD = "import dask\n\ntotal = dask.delayed(sum)([1, 2])\n"
CALL = 'dask.compute(total, scheduler="processes")'
LEGACY_CALL = 'dask.compute(total, scheduler="multiprocessing")'


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _check(tmp_path: Path, body: str, *args: str) -> list[tuple[int, str]]:
    write(tmp_path, {"job.py": HEAD + body})
    return [(row, code) for _, row, _, code in findings(run("check", *args))]


def test_unsuppressed_baseline(tmp_path: Path) -> None:
    # DSK101 supersedes DSK105 on the alias: one finding there (engine.overlaps).
    assert _check(tmp_path, f"{CALL}\n{LEGACY_CALL}\n") == [(4, "DSK101"), (5, "DSK101")]


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa",
        "# noqa: DSK101",
        "# noqa: processes-scheduler",
        "# noqa:DSK101",
        "# NOQA: dsk101",
        "# noqa: DSK101, DSK105",  # DSK105 silences nothing here: DSK004 (tests/test_adopt.py)
        "# dasklint: ignore[DSK101]",
        "# dasklint: ignore[processes-scheduler]",
        "# dasklint: ignore",
        "# some words  # noqa: DSK101",
    ],
)
def test_trailing_comment_suppresses(tmp_path: Path, comment: str) -> None:
    found = _check(tmp_path, f"{CALL}  {comment}\n{CALL}\n")
    assert [f for f in found if f[1] != "DSK004"] == [(5, "DSK101")]


@pytest.mark.parametrize(
    "comment",
    ["# noqa: DSK105", "# noqa: legacy-scheduler-spelling", "# dasklint: ignore[DSK105]"],
)
def test_comment_for_another_rule_does_not_suppress(tmp_path: Path, comment: str) -> None:
    # The noqa comment silences nothing, which DSK004 reports.
    unused = [(4, "DSK004")] if "noqa" in comment else []
    assert _check(tmp_path, f"{CALL}  {comment}\n") == [(4, "DSK101"), *unused]


def test_noqa_with_codes_keeps_the_others(tmp_path: Path) -> None:
    assert _check(tmp_path, f"{LEGACY_CALL}  # noqa: DSK105\n") == [(4, "DSK101")]


def test_noqa_inside_a_string_does_not_suppress(tmp_path: Path) -> None:
    body = f'note = "# noqa"; {CALL}\nother = "# dasklint: ignore[DSK101]"; {CALL}\n'
    assert _check(tmp_path, body) == [(4, "DSK101"), (5, "DSK101")]


def test_noqa_in_a_docstring_line_does_not_suppress(tmp_path: Path) -> None:
    body = f'"""\n# dasklint: noqa\n"""\n{CALL}\n'
    assert _check(tmp_path, body) == [(7, "DSK101")]


def test_noqa_applies_to_its_own_line_only(tmp_path: Path) -> None:
    body = 'dask.compute(\n    total,\n    scheduler="processes",\n)  # noqa: DSK101\n'
    assert _check(tmp_path, body) == [(6, "DSK101"), (7, "DSK004")]
    body = 'dask.compute(\n    total,\n    scheduler="processes",  # noqa: DSK101\n)\n'
    assert _check(tmp_path, body) == []


def test_ignore_trailing_on_last_line_of_multiline_statement(tmp_path: Path) -> None:
    body = 'dask.compute(\n    total,\n    scheduler="processes",\n)  # dasklint: ignore[DSK101]\n'
    assert _check(tmp_path, body + CALL + "\n") == [(8, "DSK101")]


def test_ignore_on_its_own_line_above_the_statement(tmp_path: Path) -> None:
    body = (
        "# dasklint: ignore[DSK101]\n"
        'dask.compute(\n    total,\n    scheduler="processes",\n)\n'
        f"{CALL}\n"
    )
    assert _check(tmp_path, body) == [(9, "DSK101")]


def test_ignore_above_with_a_comment_in_between(tmp_path: Path) -> None:
    body = f"# dasklint: ignore[processes-scheduler]\n# the pool is reused here\n{CALL}\n"
    assert _check(tmp_path, body) == []


def test_ignore_above_does_not_reach_past_a_blank_or_code_line(tmp_path: Path) -> None:
    body = f"# dasklint: ignore[DSK101]\n\n{CALL}\n"
    assert _check(tmp_path, body) == [(6, "DSK101")]
    body = f"# dasklint: ignore[DSK101]\nother = 1\n{CALL}\n"
    assert _check(tmp_path, body) == [(6, "DSK101")]


def test_ignore_on_a_compound_header_does_not_cover_its_body(tmp_path: Path) -> None:
    body = f"for i in range(2):  # dasklint: ignore[DSK101]\n    {CALL}\n"
    assert _check(tmp_path, body, "--select", "DSK101") == [(5, "DSK101")]


def test_ignore_inside_a_function(tmp_path: Path) -> None:
    body = f"def run():\n    # dasklint: ignore[DSK101]\n    {CALL}\n    {CALL}\n"
    assert _check(tmp_path, body) == [(7, "DSK101")]


def test_file_level_noqa(tmp_path: Path) -> None:
    assert _check(tmp_path, f"{CALL}\n{LEGACY_CALL}\n# dasklint: noqa\n") == []
    write(tmp_path, {"job.py": "# dasklint: noqa\n" + LEGACY})
    assert codes(run("check")) == []


def test_file_level_noqa_for_one_rule(tmp_path: Path) -> None:
    body = f"# dasklint: noqa: DSK105\n{CALL}\n{LEGACY_CALL}\n"
    assert _check(tmp_path, body) == [(5, "DSK101"), (6, "DSK101")]
    body = f"# dasklint: noqa: legacy-scheduler-spelling\n{LEGACY_CALL}\n"
    assert _check(tmp_path, body) == [(5, "DSK101")]


def test_file_level_noqa_must_be_its_own_comment(tmp_path: Path) -> None:
    # After code it is ignored (ruff does the same), not taken for the whole file.
    body = f"{CALL}  # dasklint: noqa\n{CALL}\n"
    assert _check(tmp_path, body) == [(4, "DSK101"), (5, "DSK101")]
    body = f"    # dasklint: noqa\n{CALL}\n"
    assert _check(tmp_path, body) == []


def test_suppression_does_not_depend_on_selection(tmp_path: Path) -> None:
    body = f"{LEGACY_CALL}  # noqa: DSK101\n"
    assert _check(tmp_path, body, "--select", "DSK105") == [(4, "DSK105")]
    assert _check(tmp_path, body, "--select", "DSK101") == []
