"""Generated documentation is current, and the README's commands stay true."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_rule_pages_are_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "generate_rules.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        "docs/rules is stale; run `python docs/generate_rules.py`\n" + result.stdout
    )


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    command = next(line for line in ci.splitlines() if "pytest" in line).strip()
    assert command in readme
