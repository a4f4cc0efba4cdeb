"""The cache's code key and the cluster's code fingerprint cover every dasklint source:
an edited rule or model module must change both, wherever in the package the engine's
modules live."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import dasklint

PRINT_KEYS = (
    "from dasklint.engine.run.cache import code_key\n"
    "from dasklint.engine.run.dask_runner import code_fingerprint\n"
    "print(code_key(), code_fingerprint())\n"
)


def _keys(root: Path) -> list[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(root)!r})\n{PRINT_KEYS}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()


def test_an_edited_rule_or_model_module_changes_both_keys(tmp_path: Path) -> None:
    copy = tmp_path / "dasklint"
    shutil.copytree(
        Path(dasklint.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    before = _keys(tmp_path)
    for edited in ("rules/__init__.py", "semantic/model.py"):
        path = copy / edited
        path.write_text(path.read_text() + "\n# edited\n")
        after = _keys(tmp_path)
        assert after[0] != before[0], edited
        assert after[1] != before[1], edited
        before = after
