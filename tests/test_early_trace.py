"""A plain `dasklint trace PROGRAM` starts the program before click is imported
(`dasklint.cli.early_trace`), so the command line must be read exactly as click reads it:
every command line that module accepts is parsed by click into the same program, and
anything it is not sure of is left to click. The program runs once either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dasklint.cli import early_trace
from dasklint.cli.trace import trace as trace_command
from dasklint.trace import runner

TOKENS = [
    "--output-format", "json", "html", "svg", "JSON", "-o", "--output", "report.json", "-",
    "--", "-m", "module", "--compare", "--help", "-h", "-V", "prog.py", "python", "-c", "pass",
    "--output-format=json", "-ojson", "folder", "other.py", "--unknown",
]  # fmt: skip


def _clicks_program(args: list[str]) -> list[str]:
    """The program click's reading of ``dasklint ARGS`` runs (it raises what click raises
    for a command line it refuses)."""
    assert args[0] == "trace"
    context = trace_command.make_context("trace", list(args[1:]))
    assert not context.params["compare"]
    return runner.program_argv(context.params["command"], context.params["module"])


def _folder(root: Path) -> Path:
    """A working folder with a script and a subfolder (which `-o` may not name)."""
    (root / "folder").mkdir(exist_ok=True)
    (root / "prog.py").write_text("print('ran')\n")
    return root


@pytest.fixture
def in_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(_folder(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _folder(tmp_path_factory.mktemp("early-trace"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=8))
def test_every_command_line_read_early_is_read_so_by_click(
    shared_folder: Path, tokens: list[str]
) -> None:
    args = ["trace", *tokens]
    before = os.getcwd()
    os.chdir(shared_folder)
    try:
        early = early_trace.program(args)
        if early is not None:
            assert _clicks_program(args) == early, args
    finally:
        os.chdir(before)


@pytest.mark.parametrize(
    "args",
    [
        ["trace", "--output-format", "json", "-o", "report.json", "--", "python", "prog.py", "8"],
        ["trace", "prog.py", "8"],
        ["trace", "-o", "run.html", "prog.py", "--help"],
        ["trace", "--", "python", "-c", "pass", "--", "x"],
        ["trace", "--output", "run.svg", "--output-format", "svg", "python", "prog.py"],
    ],
)
def test_the_documented_forms_start_early_and_click_agrees(
    in_a_folder: Path, args: list[str]
) -> None:
    early = early_trace.program(args)
    assert early is not None
    assert _clicks_program(args) == early


@pytest.mark.parametrize(
    "args",
    [
        ["trace", "-m", "module"],
        ["trace", "--compare", "a.json", "b.json"],
        ["trace", "--help"],
        ["trace", "--output-format=json", "prog.py"],
        ["trace", "--output-format", "JSON", "prog.py"],  # click refuses it
        ["trace", "-o", "-", "prog.py"],
        ["trace", "-o", "folder", "prog.py"],  # click refuses a folder
        ["trace", "-ojson", "prog.py"],
        ["trace", "-o"],
        ["trace"],
        ["trace", "--"],
        ["check", "prog.py"],
        [],
    ],
)
def test_anything_else_is_left_to_click(in_a_folder: Path, args: list[str]) -> None:
    assert early_trace.program(args) is None


def test_shell_completion_is_left_to_click(
    in_a_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_DASKLINT_COMPLETE", "bash_complete")
    assert early_trace.program(["trace", "prog.py"]) is None


def test_the_early_path_imports_no_click() -> None:
    code = "import sys, dasklint.cli.entry; print(sorted(m for m in sys.modules if m == 'click'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


@pytest.mark.parametrize(
    "options",
    [
        ["--output-format", "json", "-o", "report.json", "--"],
        ["-o", "-", "--output-format", "json"],
    ],
    ids=["started-early", "started-by-the-command"],
)
def test_the_program_runs_once(tmp_path: Path, options: list[str]) -> None:
    (tmp_path / "prog.py").write_text(
        "with open('runs.txt', 'a') as f:\n    f.write('ran\\n')\nraise SystemExit(5)\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "dasklint", "trace", *options, sys.executable, "prog.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 5, done.stderr
    assert (tmp_path / "runs.txt").read_text() == "ran\n"
    text = done.stdout if "-" in options else (tmp_path / "report.json").read_text()
    report = json.loads(text)
    assert report["program"]["exit_status"] == 5
    assert report["program"]["argv"] == [sys.executable, "prog.py"]
