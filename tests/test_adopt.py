"""Adopting dasklint on an existing codebase: ``--add-noqa``, DSK004 unused-noqa,
``--ignore-noqa`` and the baseline file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import assert_failed, findings, run, write

HEAD = "import dask\n\ntotal = dask.delayed(sum)([1, 2])\n"
CALL = 'dask.compute(total, scheduler="processes")'  # DSK101
LEGACY_CALL = 'dask.compute(total, scheduler="threading")'  # DSK105
PLAIN = "dask.compute(total)"  # nothing


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _found(*args: str) -> list[tuple[int, str]]:
    return [(row, code) for _, row, _, code in findings(run("check", "-n", *args))]


# -- --add-noqa ----------------------------------------------------------------------------


def test_add_noqa_silences_every_finding_and_a_second_run_changes_nothing(
    tmp_path: Path,
) -> None:
    body = f"{CALL}\n{CALL}  # the pool is tiny\n{CALL}  # noqa: E501\n{LEGACY_CALL}; {CALL}\n"
    write(tmp_path, {"job.py": HEAD + body})
    assert _found("job.py") == [(4, "DSK101"), (5, "DSK101"), (6, "DSK101"), (7, "DSK105"),
                                (7, "DSK101")]  # fmt: skip
    first = run("check", "-n", "--add-noqa", "job.py")
    assert first.exit_code == 0, first.output
    assert "Added 5 noqa codes." in first.stderr
    assert (tmp_path / "job.py").read_text() == HEAD + (
        f"{CALL}  # noqa: DSK101\n"
        f"{CALL}  # the pool is tiny  # noqa: DSK101\n"
        f"{CALL}  # noqa: E501, DSK101\n"
        f"{LEGACY_CALL}; {CALL}  # noqa: DSK101, DSK105\n"
    )
    assert _found("job.py") == []
    before = (tmp_path / "job.py").read_bytes()
    second = run("check", "-n", "--add-noqa", "job.py")
    assert second.exit_code == 0 and second.output == ""
    assert (tmp_path / "job.py").read_bytes() == before


def test_add_noqa_extends_an_existing_list_and_never_adds_a_code_twice(tmp_path: Path) -> None:
    # DSK105's finding here is merged into DSK101's (one problem, one finding); the line
    # already lists DSK105, so only DSK101 is added, after the codes, before the reason.
    write(tmp_path, {"job.py": HEAD + f"{LEGACY_CALL}; {CALL}  # noqa: DSK105 pool reused\n"})
    assert _found("job.py") == [(4, "DSK101")]
    run("check", "-n", "--add-noqa", "job.py")
    text = (tmp_path / "job.py").read_text()
    assert text.endswith(f"{CALL}  # noqa: DSK105, DSK101 pool reused\n")
    assert _found("job.py") == []


def test_add_noqa_leaves_lines_that_cannot_hold_a_comment(tmp_path: Path) -> None:
    body = f"z = {CALL} \\\n    + (1,)\nw = ({CALL}, '''\n''')\n"
    write(tmp_path, {"job.py": HEAD + body})
    before = _found("job.py")
    assert before == [(4, "DSK101"), (6, "DSK101")]
    result = run("check", "-n", "--add-noqa", "job.py")
    assert result.exit_code == 0
    assert (tmp_path / "job.py").read_text() == HEAD + body  # code unchanged, still parses
    assert _found("job.py") == before


def test_add_noqa_in_a_notebook_touches_only_the_lines_of_the_cells_concerned(
    tmp_path: Path,
) -> None:
    cells = [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["import dask\n", "total = dask.delayed(sum)([1, 2])"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["# noqa in prose\n"]},
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["%matplotlib inline\n", f"{CALL}\n", "x = 1"]},
    ]  # fmt: skip
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    original = json.dumps(notebook, indent=1)
    (tmp_path / "nb.ipynb").write_text(original)
    assert [code for *_, code in findings(run("check", "-n", "nb.ipynb"))] == ["DSK101"]
    run("check", "-n", "--add-noqa", "nb.ipynb")
    after = (tmp_path / "nb.ipynb").read_text()
    changed = [
        (old, new)
        for old, new in zip(original.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [
        (f"    {json.dumps(CALL + chr(10))},",
         f"    {json.dumps(CALL + '  # noqa: DSK101' + chr(10))},")
    ]  # fmt: skip
    assert findings(run("check", "-n", "nb.ipynb")) == []
    run("check", "-n", "--add-noqa", "nb.ipynb")
    assert (tmp_path / "nb.ipynb").read_text() == after


def test_add_noqa_refuses_stdin_and_fixes(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": HEAD + CALL + "\n"})
    assert run("check", "--add-noqa", "-", stdin=HEAD).exit_code == 2
    assert run("check", "--add-noqa", "--fix", "job.py").exit_code == 2
    assert (tmp_path / "job.py").read_text() == HEAD + CALL + "\n"


# -- DSK004 unused-noqa --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "message", "fixed"),
    [
        ("# noqa: DSK105", "(unused: `DSK105`)", ""),
        ("# noqa: legacy-scheduler-spelling", "(unused: `legacy-scheduler-spelling`)", ""),
        ("# noqa: DSK110", "(unknown: `DSK110`)", ""),
        ("# noqa: E501, DSK105", "(unused: `DSK105`)", "  # noqa: E501"),
        ("# noqa:DSK105,E501 long line", "(unused: `DSK105`)", "  # noqa: E501 long line"),
        ("# noqa: DSK105 the pool is reused", "(unused: `DSK105`)", ""),
        ("# type: ignore  # noqa: DSK105  # pragma: no cover", "(unused: `DSK105`)",
         "  # type: ignore  # pragma: no cover"),
    ],
)  # fmt: skip
def test_unused_codes_are_reported_and_removed(
    tmp_path: Path, comment: str, message: str, fixed: str
) -> None:
    write(tmp_path, {"job.py": f"{HEAD}{PLAIN}  {comment}\n"})
    result = run("check", "-n", "job.py")
    assert f"job.py:4:22: DSK004 [*] Unused `noqa` directive {message}" in result.stdout
    assert result.exit_code == 1
    assert run("check", "-n", "--fix", "job.py").exit_code == 0
    assert (tmp_path / "job.py").read_text() == f"{HEAD}{PLAIN}{fixed}\n"


def test_unused_noqa_keeps_used_codes_and_drops_a_duplicate(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": f"{HEAD}{CALL}  # noqa: DSK101, DSK105, DSK101\n"})
    result = run("check", "-n", "job.py")
    assert "(unused: `DSK105`; duplicated: `DSK101`)" in result.stdout
    run("check", "-n", "--fix", "job.py")
    assert (tmp_path / "job.py").read_text() == f"{HEAD}{CALL}  # noqa: DSK101\n"
    assert _found("job.py") == []


@pytest.mark.parametrize(
    "comment",
    ["# noqa", "# noqa: E501, F401", "# noqa: DSK004, DSK105", "# noqa: unused-noqa, DSK105"],
)
def test_what_unused_noqa_leaves_alone(tmp_path: Path, comment: str) -> None:
    write(tmp_path, {"job.py": f"{HEAD}{PLAIN}  {comment}\n"})
    assert _found("job.py") == []


def test_a_rule_that_is_not_enabled_is_named_so(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": f"{HEAD}{CALL}  # noqa: DSK101\n"})
    result = run("check", "-n", "--ignore", "DSK101", "job.py")
    assert "Unused `noqa` directive (non-enabled: `DSK101`)" in result.stdout
    # Selected alone, DSK004 reports nothing for the codes of rules that did not run...
    assert _found("--select", "DSK004", "--ignore", "DSK004", "job.py") == []
    # ...and is off when not selected.
    assert _found("--select", "DSK105", "job.py") == []


def test_a_finding_hidden_by_min_confidence_still_uses_its_noqa(tmp_path: Path) -> None:
    # A low-confidence DSK303 (the receiver is not proven to be Dask's), silenced.
    body = "def f(frames):\n    for f in frames:\n        f.compute()  # noqa: DSK303\n"
    write(tmp_path, {"job.py": "import dask\n\n" + body})
    low = run("check", "-n", "--min-confidence", "low", "--ignore-noqa", "job.py")
    assert [code for *_, code in findings(low)] == ["DSK303"]
    assert _found("job.py") == []


def test_noqa_for_dask_async_is_used(tmp_path: Path) -> None:
    # DSK1003 is found before parsing (the respelled module): its noqa counts as used.
    fixture = Path(__file__).resolve().parents[1] / "fixtures/DSK1003/ok_suppressed.py"
    write(tmp_path, {"job.py": fixture.read_text()})
    assert _found("job.py") == []
    assert [code for _, code in _found("--ignore-noqa", "job.py")] == ["DSK1003"]


def test_an_own_line_noqa_is_removed_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": f"{HEAD}# noqa: DSK101\n{PLAIN}\n"})
    assert _found("job.py") == [(4, "DSK004")]
    run("check", "-n", "--fix", "job.py")
    assert (tmp_path / "job.py").read_text() == f"{HEAD}{PLAIN}\n"


# -- --ignore-noqa -------------------------------------------------------------------------


def test_ignore_noqa_reports_what_every_comment_silences(tmp_path: Path) -> None:
    body = f"{CALL}  # noqa: DSK101\n{CALL}  # dasklint: ignore[DSK101]\n{CALL}  # noqa\n"
    write(tmp_path, {"job.py": HEAD + body, "other.py": "# dasklint: noqa\n" + HEAD + CALL})
    assert _found("job.py", "other.py") == []
    assert [(row, code) for row, code in _found("--ignore-noqa", "job.py", "other.py")] == [
        (4, "DSK101"), (5, "DSK101"), (6, "DSK101"), (5, "DSK101"),
    ]  # fmt: skip


# -- baseline ------------------------------------------------------------------------------


def test_baseline_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"job.py": f"{HEAD}{CALL}\n{LEGACY_CALL}\n", "sub/other.py": HEAD + CALL})
    recorded = run("check", "-n", "--baseline", "dasklint-baseline.json", "--update-baseline")
    assert recorded.exit_code == 0, recorded.output
    assert "Recorded 3 findings in dasklint-baseline.json." in recorded.stderr
    data = json.loads((tmp_path / "dasklint-baseline.json").read_text())
    assert data["version"] == 1
    assert [(f["path"], f["code"], f["count"]) for f in data["findings"]] == sorted(
        [("job.py", "DSK101", 1), ("job.py", "DSK105", 1), ("sub/other.py", "DSK101", 1)]
    )
    clean = run("check", "-n", "--baseline", "dasklint-baseline.json")
    assert clean.exit_code == 0 and clean.stdout == "All checks passed!\n"

    # Lines inserted above move the findings: still known. Re-indenting changes nothing.
    moved = f"{HEAD}\n\n# setup\nif True:\n    {CALL}\n{LEGACY_CALL}\n"
    write(tmp_path, {"job.py": moved})
    assert _found("--baseline", "dasklint-baseline.json") == []

    # A new occurrence of a known line is new; so is a new line.
    write(tmp_path, {"job.py": moved + f"{CALL}\n{CALL.replace('total', 'total ')}\n"})
    assert _found("--baseline", "dasklint-baseline.json") == [(10, "DSK101"), (11, "DSK101")]

    # The baseline is read relative to its own folder, from any working directory.
    monkeypatch.chdir(tmp_path / "sub")
    found = run("check", "-n", "--baseline", "../dasklint-baseline.json", ".")
    assert found.exit_code == 0, found.output


def test_baseline_from_the_configuration_and_with_fix(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"pyproject.toml": '[tool.dasklint]\nbaseline = "lint/baseline.json"\n'
                           'unfixable = ["DSK101"]\n',
         "job.py": f"{HEAD}{LEGACY_CALL}\n{CALL}\n"},
    )  # fmt: skip
    (tmp_path / "lint").mkdir()
    assert run("check", "-n", "--update-baseline").exit_code == 0
    assert (tmp_path / "lint/baseline.json").is_file()
    assert _found() == []
    # --fix fixes DSK105; DSK101 is left, and known: nothing to report.
    fixed = run("check", "-n", "--fix", "job.py")
    assert fixed.exit_code == 0, fixed.output
    assert 'scheduler="threads"' in (tmp_path / "job.py").read_text()


def test_baseline_errors_are_clear(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": HEAD + CALL, "bad.json": "{}"})
    assert_failed(run("check", "--baseline", "missing.json"), "does not exist")
    assert_failed(run("check", "--baseline", "bad.json"), "not a dasklint baseline")
    assert run("check", "--update-baseline").exit_code == 2  # no file named


# -- a suppression both ruff and dasklint accept --------------------------------------------

README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_block(lang: str, first_line: str) -> str:
    """The README's ``lang`` block that starts with ``first_line``."""
    text = README.read_text(encoding="utf-8")
    for match in re.finditer(rf"^```{lang}\n(.*?)^```\n", text, re.MULTILINE | re.DOTALL):
        if match.group(1).startswith(first_line):
            return match.group(1)
    raise AssertionError(f"the README has no {lang} block starting with {first_line!r}")


def _ruff(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *args],
        cwd=folder, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_the_documented_noqa_form_keeps_ruff_and_dasklint_clean(tmp_path: Path) -> None:
    """The README's advice, as written: its ruff configuration and its example file."""
    config = _readme_block("toml", "[tool.ruff.lint]")
    source = _readme_block("python", "# jobs.py")
    write(tmp_path, {"pyproject.toml": config, "jobs.py": source})
    rules = ("--extend-select", "E501,RUF100,RUF102")
    ruff = _ruff(tmp_path, *rules, "jobs.py")
    assert (ruff.returncode, ruff.stdout.strip(), ruff.stderr) == (0, "All checks passed!", "")
    dasklint = run("check", "-n", "jobs.py")
    assert (dasklint.exit_code, dasklint.stdout) == (0, "All checks passed!\n")
    # Both comments are needed: without them, each tool reports its own finding.
    write(tmp_path, {"bare.py": source.replace("  # noqa: E501, DSK101", "")})
    assert "E501" in _ruff(tmp_path, *rules, "bare.py").stdout
    assert [code for *_, code in findings(run("check", "-n", "bare.py"))] == ["DSK101"]

    # What the README warns against: without `external`, ruff rejects dasklint's codes...
    write(tmp_path, {"pyproject.toml": "[tool.ruff]\n"})
    assert "RUF102" in _ruff(tmp_path, *rules, "jobs.py").stdout
    # ...it cannot read rule names, and it deletes a bare noqa it has no use for.
    write(tmp_path, {"pyproject.toml": config})
    named = source.replace("# noqa: DSK101\n", "# noqa: processes-scheduler\n")
    write(tmp_path, {"named.py": named, "bare.py": source.replace("# noqa: DSK101\n", "# noqa\n")})
    assert "Invalid `# noqa` directive" in _ruff(tmp_path, *rules, "named.py").stderr
    assert "RUF100" in _ruff(tmp_path, *rules, "bare.py").stdout
