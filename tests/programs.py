"""Running a small Dask program as a script, and linting it, for the runtime tests."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import dask
import preloaded

from dasklint.config.settings import Selection, Settings
from dasklint.diagnostics import Diagnostic
from dasklint.engine.lint.linter import lint_source

TIMEOUT = 120  # seconds: spawning worker processes is slow on a busy 2-core machine


def run_program(
    tmp_path: Path, source: str, name: str = "program"
) -> subprocess.CompletedProcess[str]:
    """Run ``source`` as ``<name>.py`` (``python <name>.py``, forked from an interpreter
    that has imported Dask: ``tests/preloaded.py``), in ``tmp_path``, without the
    caller's ``DASK_*`` settings."""
    script = tmp_path / f"{name}.py"
    script.write_text(source, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    return preloaded.run([str(script)], cwd=tmp_path, env=env, timeout=TIMEOUT)


def default_codes(source: str, name: str = "program.py") -> list[str]:
    """The codes dasklint reports on ``source`` with its default settings."""
    settings = Settings(root=Path("/nonexistent")).for_file(Path("/nonexistent") / name)
    result = lint_source(source.encode(), name, settings)
    assert result.error is None
    return [d.code for d in result.diagnostics]


def selected_findings(source: str, code: str) -> list[Diagnostic]:
    """The findings of ``code`` (selected on top of the defaults) on the dedented
    ``source``, linted as ``example.py``."""
    settings = Settings(root=Path("/nonexistent"), layers=(Selection(extend_select=(code,)),))
    result = lint_source(
        textwrap.dedent(source).encode(),
        "example.py",
        settings.for_file(Path("/nonexistent/example.py")),
    )
    assert result.error is None
    return [d for d in result.diagnostics if d.code == code]


class CountingScheduler:
    """A scheduler function that counts how many graphs it is asked to run."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, dsk: Mapping[Any, Any], keys: Any, **kwargs: Any) -> Any:
        self.runs += 1
        return dask.get(dsk, keys, **kwargs)


def load_script(path: Path, name: str) -> ModuleType:
    """A benchmark script imported as module ``name`` (registered first: its dataclasses
    need it), for tests of its functions."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
