"""Structural evidence for the impact programs: graphs, tasks, depth, worker processes.

Every program of this folder runs its work inside ``Probe``; the probe is not part of
what dasklint lints or fixes (only the program file is). It records, for every
computation of ``dask.delayed`` objects on any scheduler (local or distributed), the graph
the optimizer returns: how many computations ran, how many tasks they held and how deep
the deepest graph was. It also wraps each task's function so that the process running it
notes its id in a folder shared with the worker processes: the number of distinct worker
processes is known whichever scheduler ran the tasks, and the programs' own code (what
dasklint analyses) carries no instrumentation.

The program prints one JSON line last: ``{"result": ..., "evidence": ..., "seconds": ...}``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from types import FrameType
from typing import Any

import dask
from dask._task_spec import Task
from dask.core import get_dependencies
from dask.delayed import optimize as delayed_optimize

PIDS_ENV = "DASKLINT_IMPACT_PIDS"
_SEEN: set[int] = set()


def worker_seen() -> None:
    """Note that this process ran a task (cheap after the first call per process)."""
    pid = os.getpid()
    folder = os.environ.get(PIDS_ENV)
    if folder and pid not in _SEEN:
        _SEEN.add(pid)
        with open(os.path.join(folder, str(pid)), "a"):
            pass


class Noted:
    """A task function that notes its worker process first (pickled by reference)."""

    def __init__(self, func: Any) -> None:
        self.func = func

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        worker_seen()
        return self.func(*args, **kwargs)


def size_arg(default: float) -> float:
    """The program's size: ``argv[1]``, else ``$IMPACT_SIZE``, else ``default``."""
    raw = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("IMPACT_SIZE")
    return float(raw) if raw else default


def graph_depth(dsk: Mapping[Any, Any]) -> int:
    """Longest path (in tasks) through a low-level graph, without recursion."""
    deps = {key: get_dependencies(dsk, key) for key in dsk}
    level: dict[Any, int] = {}
    for root in deps:
        stack = [root]
        while stack:
            key = stack[-1]
            if key in level:
                stack.pop()
                continue
            pending = [d for d in deps.get(key, ()) if d not in level and d in deps]
            if pending:
                stack.extend(pending)
                continue
            level[key] = 1 + max((level[d] for d in deps[key] if d in level), default=0)
            stack.pop()
    return max(level.values(), default=0)


def _building() -> bool:
    """The optimizer runs because ``dask.delayed(f)(list_of_delayed)`` is merging the
    list's graphs into a new Delayed (``dask/delayed.py``, ``_finalize_args_collections``),
    not because something is computed."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "_finalize_args_collections":
            return True
        frame = frame.f_back
    return False


class Probe:
    """Record graphs and worker processes while the block runs."""

    def __init__(self) -> None:
        self.computations = 0
        self.tasks = 0
        self.depth = 0
        self.folder = tempfile.mkdtemp(prefix="impact-pids-")
        self.started = 0.0
        self.seconds = 0.0
        self._config: Any = None

    def _record(self, dsk: Any, keys: Any, **kwargs: Any) -> Any:
        optimized = delayed_optimize(dsk, keys, **kwargs)  # type: ignore[no-untyped-call]
        graph = optimized.to_dict() if hasattr(optimized, "to_dict") else dict(optimized)
        for task in graph.values():
            if isinstance(task, Task) and not isinstance(task.func, Noted):
                task.func = Noted(task.func)
        if _building():
            return optimized  # a graph embedded while building a Delayed, not a computation
        self.computations += 1
        self.tasks += len(graph)
        self.depth = max(self.depth, graph_depth(graph))
        return optimized

    def __enter__(self) -> Probe:
        os.environ[PIDS_ENV] = self.folder  # inherited by worker processes started later
        self._config = dask.config.set(delayed_optimize=self._record)
        self._config.__enter__()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.started
        self._config.__exit__(*exc)

    def evidence(self) -> dict[str, int]:
        pids = {int(name) for name in os.listdir(self.folder)}
        shutil.rmtree(self.folder, ignore_errors=True)
        return {
            "worker_processes": len(pids),
            "in_main_process": int(os.getpid() in pids),
            "computations": self.computations,
            "tasks": self.tasks,
            "depth": self.depth,
        }

    def report(self, result: Any) -> None:
        """Print the result, then the JSON line the benchmark reads."""
        print(f"result: {result}")
        line = {"result": result, "evidence": self.evidence(), "seconds": self.seconds}
        print(json.dumps(line, sort_keys=True), flush=True)
