"""The traced program's ``sitecustomize``: start the recorder, then run the
``sitecustomize`` the interpreter would have run without the trace, if there is one."""

from __future__ import annotations

import importlib
import os
import sys


def _chain() -> None:
    """Import the next ``sitecustomize`` on the path (the one this module shadows)."""
    here = os.path.dirname(os.path.abspath(__file__))
    ours = sys.modules.pop("sitecustomize", None)
    position = next((i for i, p in enumerate(sys.path) if os.path.abspath(p or ".") == here), None)
    if position is not None:
        del sys.path[position]
    try:
        importlib.import_module("sitecustomize")
    except ModuleNotFoundError as exc:
        if exc.name != "sitecustomize":
            raise
        if ours is not None:
            sys.modules["sitecustomize"] = ours
    finally:
        if position is not None:
            sys.path.insert(position, here)


def _start() -> None:
    if os.environ.get("DASKLINT_TRACE_DIR"):
        importlib.import_module("_dasklint_trace").install()
    _chain()


if __name__ == "sitecustomize":
    _start()
