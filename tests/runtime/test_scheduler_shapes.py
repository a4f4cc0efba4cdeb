"""Scheduler shapes real programs use, run with the installed Dask as the rules claim.

Each test writes a small program, runs it as a script in a fresh interpreter and checks a
structural fact (the exit status, which processes ran the tasks), never a duration, then
lints the same source.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from programs import default_codes, run_program

pytestmark = pytest.mark.dask_runtime


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


def _config_block(guarded: bool) -> str:
    source = textwrap.dedent(CONFIG_BLOCK)
    if not guarded:
        return source
    head, block = source.split("with dask.config.set", 1)
    body = textwrap.indent("with dask.config.set" + block, "    ")
    return f'{head}if __name__ == "__main__":\n{body}'


def test_module_level_processes_config_block_crashes_as_a_script(tmp_path: Path) -> None:
    source = _config_block(guarded=False)
    assert "DSK201" in default_codes(source)
    completed = run_program(tmp_path, source)
    assert completed.returncode != 0
    assert "BrokenProcessPool" in completed.stderr or "RuntimeError" in completed.stderr


def test_guarded_processes_config_block_runs(tmp_path: Path) -> None:
    source = _config_block(guarded=True)
    assert "DSK201" not in default_codes(source)
    completed = run_program(tmp_path, source)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "(2, 4)" in completed.stdout


def test_small_bag_runs_in_one_worker_process_by_default(tmp_path: Path) -> None:
    """No Client: the bag's five partitions leave this process (the processes
    scheduler) and, batched six at a time, all run in the same worker process."""
    source = textwrap.dedent(BAG_DEFAULT)
    assert "DSK101" in default_codes(source)
    completed = run_program(tmp_path, source)
    assert completed.returncode == 0, completed.stderr[-2000:]
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    outcome = json.loads(line[len("RESULT ") :])
    assert outcome["parent"] not in outcome["pids"]
    assert len(set(outcome["pids"])) == 1
