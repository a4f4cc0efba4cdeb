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
import sys
import time

TYPE_CHECKING = False  # ``typing`` itself costs ~2 ms to import, before the program starts
if TYPE_CHECKING:
    import subprocess
    from collections.abc import Sequence

DIR_ENV = "DASKLINT_TRACE_DIR"
# The folder put first on the program's PYTHONPATH (found from this file: this runs
# before the program starts, where importlib.resources would cost more).
HOOK = os.path.join(os.path.dirname(os.path.realpath(__file__)), "hook")


class Finished:
    """How the program ended: its exit status (``128 + N`` when killed by signal N, as a
    shell reports it), the signal if any, and its wall time. (Plain classes here, not
    dataclasses: this module is imported before the program starts, and ``dataclasses``
    imports ``inspect``, a tenth of trace's start-up; for the same reason it names files
    by strings and starts the program with ``os.posix_spawn``, without ``pathlib``,
    ``subprocess`` and ``tempfile``: importing the entry point took 20 ms with them, 2 ms
    without (9 and 1 ms where an editable install's finder had imported ``pathlib``).)"""

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
    if first.endswith((".py", ".pyw")) or (os.path.isfile(first) and not os.access(first, os.X_OK)):
        return [sys.executable, *command]
    return list(command)


def script_of(argv: Sequence[str]) -> str | None:
    """The Python file ``argv`` runs (``python [script.py] ARGS``, resolved as the
    recorder names files), or None when it cannot be told without running anything
    (a module, ``-c``, interpreter options, another command)."""
    if len(argv) < 2 or not os.path.basename(argv[0]).startswith("python"):
        return None
    script = argv[1]
    if script.startswith("-") or not script.endswith(".py") or not os.path.isfile(script):
        return None
    return os.path.realpath(script)


class Child:
    """The started program's process: its id, and its exit status once it ended (negative
    ``-N`` when killed by signal N, as ``subprocess`` reports it). ``process`` is the
    ``subprocess.Popen`` where the program was started by one (see :func:`spawn`)."""

    __slots__ = ("pid", "process", "status")

    def __init__(self, pid: int, process: subprocess.Popen[bytes] | None = None) -> None:
        self.pid = pid
        self.process = process
        self.status: int | None = None

    def wait(self) -> int:
        """Wait for the program to end (once: its status is kept)."""
        if self.process is not None:
            return self.process.wait()
        if self.status is None:
            try:
                _, status = os.waitpid(self.pid, 0)
            except ChildProcessError:  # reaped, its status lost: 0, as subprocess reports it
                status = 0
            self.status = os.waitstatus_to_exitcode(status)
        return self.status


class Started:
    """A program started under the recorder: the process, when it started (``perf_counter``
    and wall clock), the temporary folder its records go to (removed by :func:`remove`),
    and the script it runs with that file's state when it started (see :func:`stat`)."""

    __slots__ = ("argv", "child", "data", "origin", "script", "script_stat", "started")

    def __init__(
        self,
        argv: list[str],
        child: Child,
        started: float,
        origin: float,
        data: str,
        script: str | None,
        script_stat: tuple[int, int] | None,
    ) -> None:
        self.argv = argv
        self.child = child
        self.started = started
        self.origin = origin
        self.data = data
        self.script = script
        self.script_stat = script_stat


def stat(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """A file's modification time and size, or None when it cannot be read."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


def begin(argv: list[str]) -> Started:
    """Start ``argv`` with the recorder, its records going to a new temporary folder."""
    script = script_of(argv)
    script_stat = stat(script) if script is not None else None
    data = new_folder()
    try:
        origin = time.time()
        child, started = start(argv, HOOK, data)
    except BaseException:
        remove(data)
        raise
    return Started(argv, child, started, origin, data, script, script_stat)


def new_folder() -> str:
    """A new private folder for the records, made as ``tempfile.mkdtemp`` makes one (a
    random name, created with mode 0700 only if it did not exist) in the folder it would
    try first; ``tempfile`` itself (~4 ms to import) when that fails, trying the others."""
    first = next((v for k in ("TMPDIR", "TEMP", "TMP") if (v := os.environ.get(k))), "/tmp")
    path = os.path.join(first, "dasklint-trace-" + os.urandom(6).hex())
    try:
        os.mkdir(path, 0o700)
    except OSError:
        import tempfile

        return tempfile.mkdtemp(prefix="dasklint-trace-")
    return os.path.abspath(path)


def remove(data: str) -> None:
    """Remove a records' folder."""
    import shutil

    shutil.rmtree(data, ignore_errors=True)


def child_environment(hook: str, data: str) -> dict[str, str]:
    env = dict(os.environ)
    existing = env.get("PYTHONPATH")
    env["PYTHONPATH"] = hook + (os.pathsep + existing if existing else "")
    env[DIR_ENV] = data
    return env


def spawn(argv: list[str], env: dict[str, str]) -> Child:
    """Start ``argv`` (found on ``PATH`` when it names no folder) with ``env``; its
    standard streams and inheritable file descriptors are this process's. The signals
    Python ignores at start-up are back to their default in the program, as
    ``subprocess`` does (``restore_signals``). Where the system has no ``posix_spawn``,
    ``subprocess`` starts it."""
    if not hasattr(os, "posix_spawnp"):
        import subprocess

        process = subprocess.Popen(argv, env=env)
        return Child(process.pid, process)
    import signal

    restored = [getattr(signal, name, None) for name in ("SIGPIPE", "SIGXFZ", "SIGXFSZ")]
    defaults = [number for number in restored if number is not None]
    return Child(os.posix_spawnp(argv[0], argv, env, setsigdef=defaults))


def start(argv: list[str], hook: str, data: str) -> tuple[Child, float]:
    """Start the program; returns it and when it started (``perf_counter``)."""
    started = time.perf_counter()
    try:
        child = spawn(argv, child_environment(hook, data))
    except OSError as exc:
        raise RuntimeError(f"cannot run `{argv[0]}`: {exc.strerror or exc}") from None
    return child, started


def wait(child: Child, started: float) -> Finished:
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
