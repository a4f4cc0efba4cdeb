"""The README's examples are what the tool prints.

Every ``python`` block whose first line names a file (``# pipeline.py``) is saved under
that name as shown, comment included, as a reader who copies it would; every ``console``
block whose lines start with ``$ `` is a session: each command runs, in order, in one
folder, and its output must be the lines the README shows under it. ``pytest
--update-readme`` rewrites those lines with what the commands print (review the diff).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```\n", re.MULTILINE | re.DOTALL)
NAMED_FILE = re.compile(r"^# (?P<name>[\w.-]+\.py)\n")
# What distributed says about the machine rather than the README's example: the dashboard's
# port is taken (by another cluster), a worker slow to stop on a busy machine was killed.
MACHINE_NOISE = re.compile(
    r"^\S*distributed/node\.py:\d+: UserWarning: Port \d+ is already in use\.\n"
    r"Perhaps you already have a cluster running\?\n"
    r"Hosting the HTTP server on port \d+ instead\n"
    r"  warnings\.warn\(\n"
    r"|^[\d-]+ [\d:,]+ - distributed\.nanny - WARNING - Worker process still alive after "
    r"[\d.]+ seconds, killing\n",
    re.MULTILINE,
)


@dataclass
class Block:
    lang: str
    body: str
    start: int  # offset of the body in the README text
    end: int


def blocks(text: str) -> list[Block]:
    return [
        Block(m["lang"], m["body"], m.start("body"), m.end("body")) for m in FENCE.finditer(text)
    ]


def sessions(text: str) -> list[Block]:
    return [b for b in blocks(text) if b.lang == "console" and b.body.startswith("$ ")]


def run_command(command: str, folder: Path) -> str:
    """Run one README command in ``folder``: dasklint from this checkout, python as the
    interpreter running the tests. Standard output and error, as a terminal shows them."""
    argv = shlex.split(command)
    if argv[0] == "dasklint":
        argv = [sys.executable, "-m", "dasklint", *argv[1:]]
    elif argv[0] == "python":
        argv = [sys.executable, *argv[1:]]
    else:
        raise AssertionError(f"the README runs an unknown program: {command}")
    env = {**os.environ, "NO_COLOR": "1", "DASKLINT_NO_CACHE": "1", "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        argv, cwd=folder, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    return done.stdout + MACHINE_NOISE.sub("", done.stderr)


def replay(text: str, folder: Path) -> list[tuple[Block, list[str], list[str]]]:
    """For each session: the lines the README shows and the lines the commands print."""
    out = []
    for block in blocks(text):
        named = NAMED_FILE.match(block.body) if block.lang == "python" else None
        if named:
            (folder / named["name"]).write_text(block.body, encoding="utf-8")
        if block.lang != "console" or not block.body.startswith("$ "):
            continue
        shown, printed = block.body.splitlines(), []
        for line in shown:
            if line.startswith("$ "):
                printed.append(line)
                printed.extend(run_command(line[2:], folder).splitlines())
        out.append((block, shown, printed))
    return out


@pytest.mark.dask_runtime
@pytest.mark.slow
def test_readme_console_examples_are_what_the_tool_prints(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    text = README.read_text(encoding="utf-8")
    assert len(sessions(text)) >= 2, "the README's examples were not found"
    results = replay(text, tmp_path)
    if request.config.getoption("--update-readme"):
        for block, _, printed in reversed(results):
            text = text[: block.start] + "\n".join(printed) + "\n" + text[block.end :]
        README.write_text(text, encoding="utf-8")
        return
    for _, shown, printed in results:
        assert printed == shown
