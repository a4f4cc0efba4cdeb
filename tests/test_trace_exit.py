"""`dasklint trace` ends with the program's exit status. As a process of its own it ends
at once, without the interpreter's finalization, so everything it writes must be out
before: the report (to a file or to standard output) and the summary. Inside a caller
(a CliRunner) it must not end the caller's process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import run

PROGRAM = "import sys\nprint('the program speaks')\nsys.exit(3)\n"
TRACE_TO_STDOUT = [sys.executable, "-m", "dasklint", "trace", "--output-format", "json", "-o", "-"]


def test_inside_a_caller_trace_returns_the_programs_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "prog.py").write_text(PROGRAM)
    result = run("trace", "--output-format", "json", "-o", "report.json", "prog.py")
    assert result.exit_code == 3  # returned, not ended: this test is still running
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["program"]["exit_status"] == 3
    assert "report written to report.json" in result.stderr


def test_as_a_process_everything_is_written_before_it_ends(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(PROGRAM)
    # Buffered streams, as they are by default when they are pipes.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run(
        [*TRACE_TO_STDOUT, "prog.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    program_output, report_text = done.stdout.split("\n", 1)
    assert program_output == "the program speaks"
    report = json.loads(report_text)  # the whole report, flushed before the end
    assert report["program"]["exit_status"] == 3
    assert done.stderr.splitlines()[-1] == "dasklint trace: report written to standard output"
