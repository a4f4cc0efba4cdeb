"""Scheduler shapes real programs use, run with the installed Dask as the rules claim.

Each test writes a small program, runs it as a script in a fresh interpreter and checks a
structural fact (the exit status, which processes ran the tasks), never a duration, then
lints the same source.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dasklint.config.settings import Settings
from dasklint.engine.linter import lint_source

pytestmark = pytest.mark.dask_runtime

TIMEOUT = 120

CONFIG_BLOCK = """
import dask


def double(x):
    return 2 * x


with dask.config.set(scheduler="processes"):
    print(dask.compute(dask.delayed(double)(1), dask.delayed(double)(2)))
"""

BAG_DEFAULT = """
import json
import os

import dask.bag as db


def tag(x):
    return os.getpid()


if __name__ == "__main__":
    words = db.from_sequence(["mary", "had", "a", "little", "lamb"])
    pids = words.map(tag).compute()
    print("RESULT " + json.dumps({"parent": os.getpid(), "pids": pids}))
"""


def _run(source: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "program.py"
    script.write_text(source)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    return subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=tmp_path,
        env=env,
    )


def _codes(source: str) -> list[str]:
    settings = Settings(root=Path("/nonexistent")).for_file(Path("/nonexistent/program.py"))
    result = lint_source(source.encode(), "program.py", settings)
    assert result.error is None
    return [d.code for d in result.diagnostics]


def _config_block(guarded: bool) -> str:
    source = textwrap.dedent(CONFIG_BLOCK)
    if not guarded:
        return source
    head, block = source.split("with dask.config.set", 1)
    body = textwrap.indent("with dask.config.set" + block, "    ")
    return f'{head}if __name__ == "__main__":\n{body}'


def test_module_level_processes_config_block_crashes_as_a_script(tmp_path: Path) -> None:
    source = _config_block(guarded=False)
    assert "DSK201" in _codes(source)
    completed = _run(source, tmp_path)
    assert completed.returncode != 0
    assert "BrokenProcessPool" in completed.stderr or "RuntimeError" in completed.stderr


def test_guarded_processes_config_block_runs(tmp_path: Path) -> None:
    source = _config_block(guarded=True)
    assert "DSK201" not in _codes(source)
    completed = _run(source, tmp_path)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "(2, 4)" in completed.stdout


def test_small_bag_runs_in_one_worker_process_by_default(tmp_path: Path) -> None:
    """No Client: the bag's five partitions leave this process (the processes
    scheduler) and, batched six at a time, all run in the same worker process."""
    source = textwrap.dedent(BAG_DEFAULT)
    assert "DSK101" in _codes(source)
    completed = _run(source, tmp_path)
    assert completed.returncode == 0, completed.stderr[-2000:]
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    outcome = json.loads(line[len("RESULT ") :])
    assert outcome["parent"] not in outcome["pids"]
    assert len(set(outcome["pids"])) == 1
