"""The package stays mypy-strict and ruff clean, and importing it stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_ruff_is_clean() -> None:
    result = _run("ruff", "check", "dasklint")
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run("ruff", "format", "--check", "dasklint")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_is_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_linting_never_imports_dask_or_the_linted_code(tmp_path: object) -> None:
    """The check path imports neither dask, distributed, nor the user's modules."""
    code = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from dasklint.cli.main import cli\n"
        "r = CliRunner().invoke(cli, ['check', '--isolated', 'fixtures'])\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed', 'pygls', 'four_tasks_processes')]\n"
        "print(json.dumps({'exit': r.exit_code, 'loaded': loaded}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["exit"] == 1  # the fixtures contain findings, so linting really ran
    assert data["loaded"] == []
