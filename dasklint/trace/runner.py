"""Run the traced program in a child interpreter with the recorder on its path.

The program's standard streams are its own (inherited, never captured) and its exit
status is returned as it is. The only additions to its environment are the
instrumentation: dasklint's folder of two modules (:mod:`dasklint.trace.hook`: the
recorder and a ``sitecustomize`` that starts it and then runs the interpreter's own
``sitecustomize``) put first on ``PYTHONPATH``, and ``DASKLINT_TRACE_DIR``, a temporary
folder where the recorder writes. The folder is used where it is installed, with the
bytecode the installation compiled: the program does not compile the recorder at each
start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

DIR_ENV = "DASKLINT_TRACE_DIR"
# The folder put first on the program's PYTHONPATH (found from this file: this runs
# before the program starts, where importlib.resources would cost more).
HOOK = Path(__file__).resolve().parent / "hook"


class Finished:
    """How the program ended: its exit status (``128 + N`` when killed by signal N, as a
    shell reports it), the signal if any, and its wall time. (Plain classes here, not
    dataclasses: this module is imported before the program starts, and ``dataclasses``
    imports ``inspect``, a tenth of trace's start-up.)"""

    __slots__ = ("exit_status", "seconds", "signal")

    def __init__(self, exit_status: int, signal: int | None, seconds: float) -> None:
        self.exit_status = exit_status
        self.signal = signal
        self.seconds = seconds


def program_argv(command: Sequence[str], module: str | None) -> list[str]:
    """The child's command line: ``script.py ARGS`` and ``-m module ARGS`` run on this
    interpreter; anything else (``python script.py``, after ``--``) is run as given."""
    if module is not None:
        return [sys.executable, "-m", module, *command]
    if not command:
        raise ValueError("nothing to run: give a script, `-m module` or `-- python ...`")
    first = command[0]
    if first.endswith((".py", ".pyw")) or (Path(first).is_file() and not os.access(first, os.X_OK)):
        return [sys.executable, *command]
    return list(command)


def script_of(argv: Sequence[str]) -> Path | None:
    """The Python file ``argv`` runs (``python [script.py] ARGS``, resolved as the
    recorder names files), or None when it cannot be told without running anything
    (a module, ``-c``, interpreter options, another command)."""
    if len(argv) < 2 or not Path(argv[0]).name.startswith("python"):
        return None
    script = Path(argv[1])
    if argv[1].startswith("-") or script.suffix != ".py" or not script.is_file():
        return None
    return Path(os.path.realpath(script))


class Started:
    """A program started under the recorder: the process, when it started (``perf_counter``
    and wall clock), the temporary folder its records go to (removed by :func:`remove`),
    and the script it runs with that file's state when it started (see :func:`stat`)."""

    __slots__ = ("argv", "child", "data", "origin", "script", "script_stat", "started")

    def __init__(
        self,
        argv: list[str],
        child: subprocess.Popen[bytes],
        started: float,
        origin: float,
        data: Path,
        script: Path | None,
        script_stat: tuple[int, int] | None,
    ) -> None:
        self.argv = argv
        self.child = child
        self.started = started
        self.origin = origin
        self.data = data
        self.script = script
        self.script_stat = script_stat


def stat(path: Path) -> tuple[int, int] | None:
    """A file's modification time and size, or None when it cannot be read."""
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


def begin(argv: list[str]) -> Started:
    """Start ``argv`` with the recorder, its records going to a new temporary folder."""
    script = script_of(argv)
    script_stat = stat(script) if script is not None else None
    data = Path(tempfile.mkdtemp(prefix="dasklint-trace-"))
    try:
        origin = time.time()
        child, started = start(argv, HOOK, data)
    except BaseException:
        remove(data)
        raise
    return Started(argv, child, started, origin, data, script, script_stat)


def remove(data: Path) -> None:
    """Remove a records' folder."""
    shutil.rmtree(data, ignore_errors=True)


def child_environment(hook: Path, data: Path) -> dict[str, str]:
    env = dict(os.environ)
    existing = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(hook) + (os.pathsep + existing if existing else "")
    env[DIR_ENV] = str(data)
    return env


def start(argv: list[str], hook: Path, data: Path) -> tuple[subprocess.Popen[bytes], float]:
    """Start the program; returns it and when it started (``perf_counter``)."""
    started = time.perf_counter()
    try:
        child = subprocess.Popen(argv, env=child_environment(hook, data))
    except OSError as exc:
        raise RuntimeError(f"cannot run `{argv[0]}`: {exc.strerror or exc}") from None
    return child, started


def wait(child: subprocess.Popen[bytes], started: float) -> Finished:
    """Wait for the program to end; Ctrl-C reaches the program (same process group) and
    this process waits for it to end."""
    while True:
        try:
            code = child.wait()
            break
        except KeyboardInterrupt:
            continue
    seconds = time.perf_counter() - started
    if code < 0:
        number = -code
        return Finished(128 + number, number, seconds)
    return Finished(code, None, seconds)


def signal_name(number: int) -> str:
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
