"""Task functions with state: the behaviour the DSK306 and DSK313 messages describe,
checked with the installed Dask.

Each snippet runs as a script in a fresh interpreter and prints one line starting with
``RESULT``; each is also linted, tying the runtime fact to the rule that claims it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dasklint.config.settings import Settings
from dasklint.engine.lint.linter import lint_source

pytestmark = pytest.mark.dask_runtime

GLOBAL_STATE = """
import dask

RESULTS = []


@dask.delayed
def record(x):
    RESULTS.append(x * 2)


if __name__ == "__main__":
    dask.compute(*[record(i) for i in range(4)], scheduler=SCHEDULER)
    print("RESULT", sorted(RESULTS))
"""


def _run(source: str, tmp_path: Path) -> str:
    script = tmp_path / "example.py"
    script.write_text(source)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    completed = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT")]
    return lines[0] if lines else ""


def _codes(source: str) -> list[str]:
    settings = Settings(root=Path("/nonexistent")).for_file(Path("/nonexistent/example.py"))
    result = lint_source(source.encode(), "example.py", settings)
    assert result.error is None
    return [d.code for d in result.diagnostics]


def test_global_state_changed_by_tasks_is_lost_with_processes(tmp_path: Path) -> None:
    source = textwrap.dedent(GLOBAL_STATE).replace("SCHEDULER", '"processes"')
    assert "DSK306" in _codes(source)
    assert _run(source, tmp_path) == "RESULT []"


def test_global_state_changed_by_tasks_is_visible_with_threads(tmp_path: Path) -> None:
    source = textwrap.dedent(GLOBAL_STATE).replace("SCHEDULER", '"threads"')
    assert "DSK306" in _codes(source)
    assert _run(source, tmp_path) == "RESULT [0, 2, 4, 6]"
