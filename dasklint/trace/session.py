"""One trace: run the program under the recorder, read what it recorded, set the static
findings of the files it ran against the measurements, and build the JSON report.

The static findings come from a ``lint`` function the caller passes (the command line
gives it :func:`dasklint.api.lint_paths`): this package does not lint by itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dasklint.diagnostics import Diagnostic
from dasklint.trace import evidence, records, report_json, runner, shape

# The static findings of some files: ``(absolute path, finding)`` pairs, and the errors
# of files that could not be linted.
Lint = Callable[[list[Path]], tuple[list[tuple[str, Diagnostic]], list[str]]]


def trace(argv: list[str], lint: Lint) -> dict[str, Any]:
    """Run ``argv`` to its end and return the report (see :mod:`report_json`)."""
    with runner.trace_folder() as (hook, data):
        origin = time.time()
        finished, pid = runner.run(argv, hook, data)
        recorded = records.read(data)
    files = [Path(f) for f in sorted(recorded.files) if Path(f).suffix == ".py"]
    findings, lint_errors = lint(files) if files else ([], [])
    computations = shape.measured(recorded.computations)
    verdicts = evidence.judge(findings, computations)
    return report_json.build(
        argv=argv,
        cwd=os.getcwd(),
        origin=origin,
        finished=finished,
        root_pid=pid,
        recorded=recorded,
        computations=computations,
        verdicts=verdicts,
        unreported=evidence.unreported(computations, verdicts),
        lint_errors=lint_errors,
    )
