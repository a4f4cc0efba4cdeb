"""Each output format is one module of dasklint/output/formats/ declaring its record: the
format names that `--output-format`, the configuration, its schema and the formatters
know are made from the records, adding a module is all a new format takes, and what a
record says of its format is what `check` does with it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
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
    assert len({record.order for record in FORMATS.values()}) == len(FORMATS)


FAKE_FORMAT = """
from dasklint.output.context import OutputContext
from dasklint.output.format import Format

FORMAT = Format("fake", 5)


def render(ctx: OutputContext) -> str:
    return "".join(f"FAKE {d.code}\\n" for d in ctx.diagnostics)
"""

PROBE = """
import json, sys
from click.testing import CliRunner
from dasklint.cli.main import cli
from dasklint.config.schema import schema
import dasklint

def run(*args):
    result = CliRunner().invoke(cli, list(args))
    return {"exit": result.exit_code, "out": result.output}

print(json.dumps({
    "package": dasklint.__file__,
    "help": run("check", "--help"),
    "option": run("check", "--isolated", "--no-cache", "--output-format", "fake", "job.py"),
    "config": run("check", "--no-cache", "--config", 'output-format = "fake"', "job.py"),
    "schema": schema()["properties"]["output-format"]["enum"],
}))
"""


def test_a_new_format_needs_only_its_module(tmp_path: Path) -> None:
    """A copy of the package with one more module in output/formats: the command line,
    the configuration and its schema all take the new format, and it prints."""
    package = Path(__file__).resolve().parent.parent / "dasklint"
    copy = tmp_path / "site" / "dasklint"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "output" / "formats" / "fake.py").write_text(FAKE_FORMAT)
    work = tmp_path / "work"
    write(work, {"job.py": SOURCE})
    done = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(copy.parent)!r})\n{PROBE}"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["package"] == str(copy / "__init__.py")
    assert "[fake|concise|full|" in found["help"]["out"]
    for way in ("option", "config"):
        assert found[way]["out"] == "FAKE DSK101\n", found[way]
        assert found[way]["exit"] == 1, found[way]
    assert found["schema"][0] == "fake"


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
