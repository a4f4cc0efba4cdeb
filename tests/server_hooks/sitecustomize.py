"""Test hooks for ``dasklint server``, imported at start-up by every Python process whose
``PYTHONPATH`` holds this folder: the server and its lint process (production code has
no test hook). They change what linting does for documents holding a marker word:

- ``BOOM``: a rule raises.
- ``SPIN``: linting holds the interpreter lock, as libcst's parser does for seconds on a
  large document, until the process that started this one is gone (or this one is
  stopped); it first creates the file named by ``DASKLINT_TEST_SPINNING``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from dasklint.engine.lint import linter

_real = linter._run_rules


def _run_rules(module: Any, *args: Any, **kwargs: Any) -> Any:
    if "BOOM" in module.code:
        raise RuntimeError("a rule exploded")
    if "SPIN" in module.code:
        Path(os.environ["DASKLINT_TEST_SPINNING"]).touch()
        sys.setswitchinterval(1000.0)
        parent = os.getppid()
        while os.getppid() == parent:
            pass
    return _real(module, *args, **kwargs)


linter._run_rules = _run_rules  # type: ignore[assignment]
