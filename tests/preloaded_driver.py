"""The server side of ``tests/preloaded.py``: imports Dask once, then runs each requested
program in a forked child, as ``python SCRIPT ARGS`` or ``python -c CODE ARGS`` would.

Requests and replies are JSON lines on stdin and stdout. The child starts a process group
of its own (a timeout kills the worker processes it started too), takes the request's
environment, working directory, ``sys.argv`` and ``sys.path``, re-reads Dask's settings
from that environment, and leaves through the interpreter's own shutdown (``atexit``
handlers, threads joined), so a program behaves as in a fresh interpreter, minus the
import time.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import types
import warnings
from typing import Any

# Warnings these imports show are shown again on each program's stderr, as a fresh
# interpreter importing them would.
with warnings.catch_warnings(record=True) as IMPORT_WARNINGS:
    import dask
    import dask.array
    import dask.bag
    import dask.dataframe
    import distributed  # noqa: F401  (imported once here, not in every program)
    import numpy  # noqa: F401
    import pandas  # noqa: F401

INTERPRETER_PATH = list(sys.path[1:])  # the interpreter's path, without this file's folder


def _wait(pid: int, timeout: float) -> tuple[int | None, bool]:
    """The child's exit code (negative: killed by that signal), or ``(None, True)``
    after killing its process group at ``timeout``."""
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), False
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None, True
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


def serve() -> tuple[dict[str, Any], str, str]:
    """Answers requests; returns only in a forked child, with its request and the
    files its stdout and stderr go to."""
    while True:
        line = sys.stdin.readline()
        if not line:
            sys.exit(0)
        request = json.loads(line)
        folder = tempfile.mkdtemp(prefix="preloaded-")
        out, err = os.path.join(folder, "stdout"), os.path.join(folder, "stderr")
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # the child's collections skip (and do not copy) the driver's objects
        pid = os.fork()
        if pid == 0:
            return request, out, err
        returncode, timed_out = _wait(pid, request["timeout"])
        reply: dict[str, object] = {"returncode": returncode, "timed_out": timed_out}
        for key, path in (("stdout", out), ("stderr", err)):
            try:
                with open(path, encoding="utf-8", errors="replace") as stream:
                    reply[key] = stream.read()
            except FileNotFoundError:
                reply[key] = ""
        shutil.rmtree(folder, ignore_errors=True)
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


def _redirect(out: str, err: str) -> None:
    """fd 0 from /dev/null, fds 1 and 2 to the files, as ``capture_output`` would."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, path in ((1, out), (2, err)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    for w in IMPORT_WARNINGS:
        sys.stderr.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno))


def _prepare(request: dict[str, Any]) -> tuple[types.CodeType, types.ModuleType]:
    """Environment, folder, argv, path and ``__main__`` of the program; its code."""
    os.setpgid(0, 0)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    dask.config.refresh()
    extra = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
    argv = request["argv"]
    main = types.ModuleType("__main__")
    main.__dict__["__builtins__"] = __builtins__
    if argv[0] == "-c":
        code = compile(argv[1], "<string>", "exec")
        sys.argv = ["-c", *argv[2:]]
        first = ""
    else:
        script = os.path.abspath(argv[0])
        with open(script, "rb") as stream:
            code = compile(stream.read(), argv[0], "exec")
        main.__file__ = argv[0]
        sys.argv = list(argv)
        first = os.path.dirname(script)
    sys.path[:] = [first, *extra, *INTERPRETER_PATH]
    main.__spec__ = None
    sys.modules["__main__"] = main
    import multiprocessing.process

    multiprocessing.process.ORIGINAL_DIR = os.getcwd()  # type: ignore[attr-defined]
    return code, main


def run_child(request: dict[str, Any], out: str, err: str) -> None:
    """Runs the program; exits as the interpreter would after it."""
    _redirect(out, err)
    code, main = _prepare(request)
    try:
        exec(code, main.__dict__)
    except SystemExit:
        raise
    except BaseException as exc:
        tb = exc.__traceback__.tb_next if exc.__traceback__ else None
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)
        raise SystemExit(1) from None


if __name__ == "__main__":
    run_child(*serve())
