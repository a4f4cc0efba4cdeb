"""DSK202 (selected: it is off by default) stays quiet in notebooks, whose kernel keeps
a session's client on purpose.

The same cells saved as a script are reported, so the notebook is what silences them.
"""

from __future__ import annotations

import json
from pathlib import Path

from dasklint.config.settings import Selection, Settings
from dasklint.engine.lint.linter import lint_source

CELLS = [
    "from dask.distributed import Client, LocalCluster\n",
    "cluster = LocalCluster(processes=False)\nclient = Client(cluster)\n",
    "def total(values):\n    session = Client(processes=False)\n"
    "    return session.submit(sum, values).result()\n",
    "print(client.submit(sum, [1, 2]).result(), total([3]))\n",
]


def _codes(raw: bytes, path: Path) -> list[str]:
    settings = Settings(root=path.parent, layers=(Selection(extend_select=("DSK202",)),))
    result = lint_source(raw, str(path), settings.for_file(path))
    assert result.error is None
    return [d.code for d in result.diagnostics]


def test_notebook_clients_are_not_reported(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": source}
            for source in CELLS
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip
    path = tmp_path / "session.ipynb"
    assert "DSK202" not in _codes(json.dumps(notebook).encode(), path)
    script = tmp_path / "session.py"
    assert _codes("".join(CELLS).encode(), script).count("DSK202") == 3
