"""The delayed-misuse patterns behave as the rule messages say, with the installed Dask.

Each snippet runs in a fresh interpreter and prints one line starting with ``RESULT``;
each is also linted, tying the runtime fact to the rule that claims it.
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

CASES = {
    # code: (snippet, expected RESULT line)
    "DSK311": (
        """
        import dask

        def split(x):
            return x, x + 1

        try:
            a, b = dask.delayed(split)(1)
            print("RESULT", dask.compute(a, b))
        except TypeError as exc:
            print("RESULT", exc)
        """,
        "RESULT Delayed objects of unspecified length are not iterable",
    ),
    "DSK312": (
        """
        import dask

        def check(x):
            return x > 0

        try:
            if dask.delayed(check)(1):
                pass
        except TypeError as exc:
            print("RESULT", exc)
        """,
        "RESULT Truth of Delayed objects is not supported",
    ),
    "DSK314": (
        """
        import dask

        tasks = [dask.delayed(lambda: i * 10)() for i in range(4)]
        print("RESULT", dask.compute(*tasks, scheduler="sync"))
        """,
        "RESULT (30, 30, 30, 30)",
    ),
}
# The fixed spellings: the same snippets after the rules' fixes.
FIXED = {
    "DSK311": ("dask.delayed(split)(1)", "dask.delayed(split, nout=2)(1)", "RESULT (1, 2)"),
    "DSK314": ("lambda: i * 10", "lambda i=i: i * 10", "RESULT (0, 10, 20, 30)"),
}


def _run(source: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    completed = subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, timeout=120, env=env
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT")]
    return lines[0] if lines else ""


def _codes(source: str) -> list[str]:
    settings = Settings(root=Path("/nonexistent")).for_file(Path("/nonexistent/example.py"))
    result = lint_source(source.encode(), "example.py", settings)
    assert result.error is None
    return [d.code for d in result.diagnostics]


@pytest.mark.parametrize("code", sorted(CASES))
def test_pattern_behaves_as_the_message_says(code: str) -> None:
    snippet, expected = CASES[code]
    source = textwrap.dedent(snippet)
    assert code in _codes(source)
    assert _run(source) == expected


@pytest.mark.parametrize("code", sorted(FIXED))
def test_fixed_pattern_works(code: str) -> None:
    before, after, expected = FIXED[code]
    source = textwrap.dedent(CASES[code][0]).replace(before, after)
    assert code not in _codes(source)
    assert _run(source).startswith(expected)
