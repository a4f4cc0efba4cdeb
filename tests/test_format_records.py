"""Each output format is one record (dasklint.output.formats): the format names that
`--output-format`, the configuration, its schema and the formatters know are made from
the records, and what a record says of its format is what `check` does with it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from cli_support import run, write

from dasklint.config import keys
from dasklint.config.schema import schema
from dasklint.diagnostics import (
    Applicability,
    Diagnostic,
    DiagnosticFix,
    Location,
    Severity,
    TextEdit,
)
from dasklint.output import FORMATS, FORMATTERS, OutputContext

SOURCE = 'import dask\nx = dask.delayed(sum)([1])\ndask.compute(x, scheduler="multiprocessing")\n'
EDIT = ", chunksize=1"  # the text DSK101's fix inserts


def test_every_list_of_formats_is_made_from_the_records() -> None:
    names = list(FORMATS)
    assert list(FORMATTERS) == names
    assert list(keys.BY_NAME["output-format"].flags[0].choices) == names
    assert schema()["properties"]["output-format"]["enum"] == names
    for record in FORMATS.values():
        module = importlib.import_module(f"dasklint.output.{record.module}")
        assert callable(module.render), record.name


@pytest.mark.parametrize("name", list(FORMATS))
def test_a_record_says_what_check_prints(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"job.py": SOURCE})
    out = run("check", "--isolated", "--output-format", name, "job.py").stdout
    record = FORMATS[name]
    # Machine formats print data only: no human summary, no "fixable" line.
    assert ("fixable with" in out) is not record.machine, out
    # The formats that carry fix edits are those check computes them for.
    assert (EDIT in out) is record.fix_edits, out


@pytest.mark.parametrize("name", list(FORMATS))
def test_the_formats_that_carry_fix_edits_are_those_marked(name: str) -> None:
    where = Location(3, 44)
    fix = DiagnosticFix(Applicability.SAFE, "Add `chunksize=1`", (TextEdit(EDIT, where, where),))
    finding = Diagnostic(
        "DSK101", "processes-scheduler", "processes", "job.py", Location(3, 27), where,
        Severity.WARNING, noqa_row=3, fixable=True, fix=fix,
    )  # fmt: skip
    out = FORMATTERS[name](OutputContext([finding], read_source={"job.py": SOURCE}.get))
    assert (EDIT in out) is FORMATS[name].fix_edits, out


@pytest.mark.parametrize("name", list(FORMATS))
def test_the_machine_formats_are_those_without_a_summary(name: str) -> None:
    """A human format ends with a summary (when asked); a machine format's output is data
    whatever is asked, so check must print its human lines elsewhere."""
    finding = Diagnostic(
        "DSK101", "processes-scheduler", "processes", "job.py", Location(3, 27),
        Location(3, 44), Severity.WARNING, noqa_row=3,
    )  # fmt: skip
    outputs = {
        FORMATTERS[name](OutputContext([finding], show_summary=shown)) for shown in (True, False)
    }
    assert (len(outputs) == 1) is FORMATS[name].machine
