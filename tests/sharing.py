"""Expensive results computed once per test run, shared by every pytest-xdist worker.

Session-scoped fixtures are per worker process; a result that takes seconds of CPU to
compute (a lint of the whole fixture tree in five output formats) is computed by the first
worker that needs it, under a file lock, and read back from disk by the others.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock


def run_directory(factory: pytest.TempPathFactory) -> Path:
    """The temporary directory of this test run: shared by its xdist workers (each has a
    ``popen-gwN`` directory below it), or the run's own one without xdist."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def computed_once(
    factory: pytest.TempPathFactory, name: str, produce: Callable[[Path], Any]
) -> tuple[Path, Any]:
    """``produce(directory)`` run once per test run, in a fresh directory ``name`` that
    every worker then shares (read only), with the JSON value it returned."""
    shared = run_directory(factory)
    directory = shared / name
    done = shared / f"{name}.json"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.is_file():
            shutil.rmtree(directory, ignore_errors=True)  # left by a run that failed
            directory.mkdir()
            value = produce(directory)
            done.write_text(json.dumps(value), encoding="utf-8")
    return directory, json.loads(done.read_text(encoding="utf-8"))
