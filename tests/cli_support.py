"""Shared pieces for the command-line tests: sample sources and a CliRunner wrapper."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from dasklint.cli.main import cli

# DSK101 at 4:31 (the string after `scheduler=`).
PROCESSES = """\
import dask

total = dask.delayed(sum)([1, 2])
dask.compute(total, scheduler="processes")
"""

# DSK101 at 4:31, where it speaks for DSK105 too (one problem, one finding:
# dasklint.engine.lint.overlaps), and DSK105 alone at 5:31 ("threading" is an alias of "threads").
LEGACY = """\
import dask

total = dask.delayed(sum)([1, 2])
dask.compute(total, scheduler="multiprocessing")
dask.compute(total, scheduler="threading")
"""

CLEAN = """\
import dask

total = dask.delayed(sum)([1, 2])
dask.compute(total)
"""

CONCISE_LINE = re.compile(
    r"^(?P<path>.+):(?P<row>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<msg>.+)$"
)


def run(*args: str | Path, stdin: str | None = None) -> Result:
    """Invoke ``dasklint`` in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(cli, [str(a) for a in args], input=stdin, catch_exceptions=False)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def findings(result: Result) -> list[tuple[str, int, int, str]]:
    """(path, row, column, code) of every concise diagnostic line in stdout."""
    out = []
    for line in result.stdout.splitlines():
        match = CONCISE_LINE.match(line)
        if match:
            out.append((match["path"], int(match["row"]), int(match["col"]), match["code"]))
    return out


def codes(result: Result) -> list[str]:
    """The rules that reported, each once, sorted."""
    return sorted({code for *_, code in findings(result)})


def json_items(result: Result) -> list[dict[str, Any]]:
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def assert_failed(result: Result, *cause_parts: str) -> None:
    """Exit status 2 with ruff's two-line error and no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "dasklint failed" in result.stderr
    assert "Cause:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for part in cause_parts:
        assert part in result.stderr, (part, result.stderr)
