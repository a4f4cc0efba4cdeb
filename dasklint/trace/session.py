"""One trace: run the program under the recorder, read what it recorded, set the static
findings of the files it ran against the measurements, and build the JSON report.

The static findings come from a ``lint`` function the caller passes (the command line
gives it :func:`dasklint.api.lint_paths`): this package does not lint by itself.

Trace's own work stays off the program's way where it can: the program is started
first, before anything that only the report needs is imported. The program's own
script is known before it runs: it is linted in a thread while the program runs (the
linter's imports and that lint are most of trace's own time), at a lower priority than
the program where the system allows it, and the modules that build the report are
imported meanwhile. That lint's result is used only when the program ran exactly that
file and the file did not change meanwhile; otherwise the files the program ran are
linted together after it ends, as they always are.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from dasklint.trace import runner

if TYPE_CHECKING:
    from concurrent.futures import Future

    from dasklint.diagnostics import Diagnostic

# The static findings of some files: ``(absolute path, finding)`` pairs, and the errors
# of files that could not be linted.
Linted: TypeAlias = "tuple[list[tuple[str, Diagnostic]], list[str]]"
Lint: TypeAlias = "Callable[[list[Path]], Linted]"
# Niceness of the thread that lints while the program runs (on Linux, where it is a
# thread's own).
LINT_NICENESS = 10


def _lint_in_background(lint: Lint, script: Path) -> Future[Linted]:
    """Lint ``script`` in a daemon thread (a program that never ends must not keep
    trace waiting for it)."""
    from concurrent.futures import Future

    result: Future[Linted] = Future()

    def work() -> None:
        if sys.platform == "linux":  # elsewhere the call would name a process, not a thread
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LINT_NICENESS)
        try:
            result.set_result(lint([script]))
        except BaseException as exc:  # handed to the caller, who decides
            result.set_exception(exc)

    threading.Thread(target=work, name="dasklint-trace-lint", daemon=True).start()
    return result


def trace(argv: list[str], lint: Lint, started: runner.Started | None = None) -> dict[str, Any]:
    """Run ``argv`` to its end and return the report (see :mod:`report_json`); ``started``
    when the command line already started it (see :mod:`dasklint.cli.early_trace`)."""
    run = started if started is not None else runner.begin(argv)
    script = Path(run.script) if run.script is not None else None
    early = None
    try:
        try:
            if script is not None:
                early = _lint_in_background(lint, script)
            from dasklint.trace import evidence, records, report_json, shape
        finally:
            finished = runner.wait(run.child, run.started)
        recorded = records.read(Path(run.data))
    finally:
        runner.remove(run.data)
    files = [Path(f) for f in sorted(recorded.files) if Path(f).suffix == ".py"]
    if early is not None and files == [script] and runner.stat(files[0]) == run.script_stat:
        findings, lint_errors = early.result()
    else:
        findings, lint_errors = lint(files) if files else ([], [])
    computations = shape.measured(recorded.computations)
    verdicts = evidence.judge(findings, computations)
    return report_json.build(
        argv=argv,
        cwd=os.getcwd(),
        origin=run.origin,
        finished=finished,
        root_pid=run.child.pid,
        recorded=recorded,
        computations=computations,
        verdicts=verdicts,
        unreported=evidence.unreported(computations, verdicts),
        lint_errors=lint_errors,
    )
