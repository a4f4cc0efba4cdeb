"""``.py`` files with IPython lines are linted with them masked, and notebook exports are
known as such (no ``__main__`` guard needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dasklint.config.settings import Selection, Settings
from dasklint.diagnostics import TextEdit
from dasklint.engine.fix.deferred import deferred_edits
from dasklint.engine.fix.loop import fix_source
from dasklint.engine.lint.linter import lint_source
from dasklint.semantic.origin import is_notebook_export

CALL = 'x.compute(scheduler="processes")'
QUOTED = CALL.index('"') + 1  # 1-based column of "processes" in CALL


def findings(source: str, tmp_path: Path, *select: str) -> list[tuple[int, int, str]]:
    path = tmp_path / "script.py"
    layers = (Selection(select=select),) if select else ()
    settings = Settings(root=tmp_path, layers=layers).for_file(path)
    result = lint_source(source.encode("utf-8"), str(path), settings)
    assert result.error is None
    assert all(d.cell is None for d in result.diagnostics)
    return [(d.location.row, d.location.column, d.code) for d in result.diagnostics]


HEADER = "import dask.bag as db\nx = db.from_sequence(range(8))\n"


def test_ipython_lines_are_masked_and_the_rest_is_linted(tmp_path: Path) -> None:
    source = (
        HEADER
        + "%matplotlib inline\n"
        + "!pip install --quiet dask\n"
        + "files = !ls\n"
        + "x?\n"
        + "?x.compute\n"
        + "\n"
        + "%%timeit\n"
        + f"{CALL}\n"
    )
    assert findings(source, tmp_path, "DSK1") == [(10, QUOTED, "DSK101")]


@pytest.mark.parametrize(
    "magic", ["%time ", "%timeit ", "%timeit -n 3 -r 1 ", "%timeit -n3 -o ", "%prun -s cumulative "]
)
def test_the_statement_after_a_line_magic_is_linted_in_its_own_columns(
    tmp_path: Path, magic: str
) -> None:
    source = HEADER + f"{magic}{CALL}\nfor i in range(2):\n    {magic}{CALL}\n"
    assert findings(source, tmp_path, "DSK101") == [
        (3, len(magic) + QUOTED, "DSK101"),
        (5, 4 + len(magic) + QUOTED, "DSK101"),
    ]


def test_a_cell_magic_that_is_not_python_is_masked_up_to_a_blank_line(tmp_path: Path) -> None:
    source = HEADER + "%%bash\nif true; then\n  echo hi\nfi\n\n" + f"{CALL}\n"
    assert findings(source, tmp_path, "DSK1") == [(8, QUOTED, "DSK101")]


def test_a_cell_magic_that_is_not_python_ends_at_a_cell_marker(tmp_path: Path) -> None:
    source = HEADER + "# %%\n%%html\n<b>x</b>\n# %%\n" + f"{CALL}\n"
    assert findings(source, tmp_path, "DSK1") == [(7, QUOTED, "DSK101")]


def test_a_file_that_still_does_not_parse_is_reported(tmp_path: Path) -> None:
    source = HEADER + "%matplotlib inline\n" + "print 'total', x.sum()\n" + f"{CALL}\n"
    assert findings(source, tmp_path) == [(4, 1, "DSK001")]


def test_a_valid_file_is_never_masked(tmp_path: Path) -> None:
    """A line that starts with `%` inside brackets or a string is Python, not a magic."""
    source = HEADER + f'ratio = (7\n%time)\nnote = """\n%time {CALL}\n"""\n'
    assert findings(source, tmp_path, "DSK1") == []


def test_fix_writes_the_ipython_lines_back_as_they_were(tmp_path: Path) -> None:
    source = (
        "import dask\r\n"
        "total = dask.delayed(sum)([1, 2])\r\n"
        "%matplotlib inline\r\n"
        '%time dask.compute(total, scheduler="multiprocessing")\r\n'
        "!echo done  \r\n"
        "%%timeit\r\n"
        'dask.compute(total, scheduler="multiprocessing")\r\n'
    )
    path = tmp_path / "script.py"
    settings = Settings(root=tmp_path, layers=(Selection(select=("DSK105",)),)).for_file(path)
    outcome = fix_source(source.encode(), str(path), settings)
    assert outcome.fixed["DSK105"] == 2
    assert outcome.source.decode() == source.replace("multiprocessing", "processes")
    assert not fix_source(outcome.source, str(path), settings).changed


@pytest.mark.parametrize(
    "text",
    [
        "# %%\nimport dask\n",
        "import dask\n#%% Load the data\n",
        "# %% [markdown]\n# Title\n",
        "# ---\n# jupyter:\n#   jupytext:\n#     formats: ipynb,py:light\n# ---\n",
        "import dask\n\n# +\nx = 1\n# -\n",
        '# + tags=["parameters"]\nn = 10\n',
        "#!/usr/bin/env python\n# coding: utf-8\n\n# In[1]:\n\n\nimport dask\n",
        "# In[ ]:\nimport dask\n",
        "get_ipython().run_line_magic('matplotlib', 'inline')\n",
        "files = get_ipython().getoutput('ls')\n",
        "# <codecell>\nimport dask\n",
        "# Databricks notebook source\nimport dask\n",
    ],
)
def test_notebook_exports_are_recognised(text: str) -> None:
    assert is_notebook_export(text.encode())


@pytest.mark.parametrize(
    "text",
    [
        "import dask\n# +1 worker for the scheduler\n",
        "# 50 % of memory\nx = 1  # %% done\n",
        "def in_notebook():\n    shell = get_ipython()\n    return shell is not None\n",
        "ip = get_ipython()\n",
        'doc = """\n    # In[1]:\n"""\n',
        "# --- settings ---\n# jupyter: no\n",
    ],
)
def test_scripts_are_not_taken_for_exports(text: str) -> None:
    assert not is_notebook_export(text.encode())


def apply_edits(source: str, edits: tuple[TextEdit, ...]) -> str:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    out = source
    for edit in sorted(edits, key=lambda e: (e.location.row, e.location.column), reverse=True):
        start = offsets[edit.location.row - 1] + edit.location.column - 1
        end = offsets[edit.end_location.row - 1] + edit.end_location.column - 1
        out = out[:start] + edit.content + out[end:]
    return out


LEGACY = (
    "import dask\n"
    "total = dask.delayed(sum)([1, 2])\n"
    "%matplotlib inline\n"
    'for i in range(2):\n    %time dask.compute(total, scheduler="multiprocessing")\n'
)


def test_text_edits_apply_to_the_original_lines(tmp_path: Path) -> None:
    path = tmp_path / "script.py"
    settings = Settings(
        root=tmp_path, layers=(Selection(select=("DSK105",)),), fix_edits=True
    ).for_file(path)
    (found,) = lint_source(LEGACY.encode(), str(path), settings).diagnostics
    assert found.fix is not None and found.fix.edits
    assert apply_edits(LEGACY, found.fix.edits) == LEGACY.replace("multiprocessing", "processes")
    # An editor asks for the edits later (deferred): the same ones.
    assert deferred_edits(LEGACY.encode(), str(path), settings, found) == found.fix.edits


def test_text_edits_that_would_move_ipython_lines_are_not_given(tmp_path: Path) -> None:
    """The LocalCluster fix wraps the loop, magic and all: `--fix` writes the magic back
    (see the DSK101 fixture), but as text edits of the file it cannot be expressed."""
    path = tmp_path / "script.py"
    source = LEGACY.replace('"multiprocessing"', '"processes", chunksize=1')
    settings = Settings(
        root=tmp_path, layers=(Selection(select=("DSK101",)),), fix_edits=True, unsafe_fixes=True
    ).for_file(path)
    (found,) = lint_source(source.encode(), str(path), settings).diagnostics
    assert found.fix is not None and "LocalCluster" in found.fix.message
    assert found.fix.edits == ()
    fixed = fix_source(source.encode(), str(path), settings).source.decode()
    assert "    %time dask.compute(total)\n" in fixed
