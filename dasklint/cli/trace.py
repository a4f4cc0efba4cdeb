"""``dasklint trace``: run a program with Dask's instrumentation and report what its
computations did next to the static findings of the files it ran."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from dasklint.cli.entry import OwnProcess
from dasklint.cli.errors import EXIT_OK, handle_errors
from dasklint.errors import DasklintError

if TYPE_CHECKING:  # imported when needed: what trace imports first delays the program
    from dasklint.diagnostics import Diagnostic

HELP = """Run a Python program and report, with pictures, what its Dask computations did.

\b
  dasklint trace script.py ARGS...
  dasklint trace -m package.module ARGS...
  dasklint trace [OPTIONS] -- python script.py ARGS...
  dasklint trace --compare before.json after.json
  dasklint trace --output-format svg -o timeline.svg script.py ARGS...

SAFETY: trace RUNS the program, with your permissions, exactly as `python script.py`
would (unlike `dasklint check`, which never runs or imports the code it lints). Trace
only programs you would run yourself.

The program runs in a child interpreter with its own standard streams, arguments and
exit status; trace adds nothing to its environment but the instrumentation (a folder
first on PYTHONPATH holding Dask callbacks, a note of the line behind each dask.delayed
call, and distributed scheduler and worker preloads, and DASKLINT_TRACE_DIR, where they
write), and writes nothing but the report. The exit
status of `dasklint trace` is the program's; a crash is reported with its traceback.

The report holds, per computation, the scheduler, the graph's size, depth and width,
the critical path against the total work, and every task run (function, key, process,
thread, start, end, CPU time where measured), with the lines that created the tasks of
dask.delayed; and, for the static findings of the files
the program ran, whether the run confirmed or refuted them, with the numbers.
`--output-format svg` writes the timeline alone, as one standalone picture.
"""


def _lint(paths: list[Path]) -> tuple[list[tuple[str, Diagnostic]], list[str]]:
    """Static findings of the files the program ran, with their absolute paths. The
    linter is imported here, while the program already runs (see ``trace.session``).
    Files that ``dasklint check`` linted unchanged are served from its cache, which is
    only read: trace writes nothing but its report."""
    from dasklint import api
    from dasklint.config.loader import ConfigResolver, Overrides

    resolver = ConfigResolver(Overrides())
    cwd = resolver.cwd.resolve()
    absolute = {api.display_name(path, cwd): str(path) for path in paths}
    found: list[tuple[str, Diagnostic]] = []
    errors: list[str] = []
    cache = api.open_cache(None, None, read_only=True)
    for result in api.lint_paths(paths, resolver, cache=cache):
        if result.error:
            errors.append(f"{result.filename}: {result.error}")
        path = absolute.get(result.filename, result.filename)
        found.extend((path, d) for d in result.diagnostics)
    return found, errors


def _write(text: str, output: Path | None, default: str) -> str:
    if output is not None and str(output) == "-":
        click.echo(text, nl=False)
        return "standard output"
    target = output or Path(default)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DasklintError(f"cannot write the report to {target}: {exc.strerror or exc}") from None
    return str(target)


def _read_report(path: Path) -> dict[str, Any]:
    import json

    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DasklintError(f"{path} is not a readable trace report: {exc}") from None
    if not isinstance(report, dict) or "dasklint_trace" not in report:
        raise DasklintError(f"{path} is not a `dasklint trace --output-format json` report")
    return report


def _summary(report: dict[str, Any], where: str) -> str:
    program = report["program"]
    computations = report["computations"]
    tasks = sum(c["shape"]["tasks"] for c in computations)
    lines = [
        f"dasklint trace: the program exited with status {program['exit_status']}"
        + (f" (signal {program['signal']})" if program["signal"] else "")
        + f" after {program['seconds']:.2f} s; {len(computations)} computations, {tasks} tasks"
    ]
    if not program["instrumented"]:
        lines.append(
            "dasklint trace: nothing was recorded: the program ran without the instrumentation"
        )
    for finding in report["findings"]:
        if finding["verdict"]:
            lines.append(
                f"  {finding['code']} {finding['verdict']} at {finding['filename']}:"
                f"{finding['line']}: {finding['summary']}"
            )
    for item in report["unreported"]:
        lines.append(f"  unreported {item['kind']}: {item['summary']}")
    lines.append(f"dasklint trace: report written to {where}")
    return "\n".join(lines)


@click.command(
    help=HELP,
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@click.option("-m", "module", metavar="MODULE", help="Run a module, as `python -m MODULE`.")
@click.option(
    "--output-format",
    type=click.Choice(["html", "json", "svg"]),
    default="html",
    show_default=True,
    help="A self-contained HTML page, the JSON it is drawn from, or the timeline alone "
    "as an SVG picture.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the report (`-` for standard output); default "
    "dasklint-trace.html, .json or .svg.",
)
@click.option(
    "--compare",
    nargs=2,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="BEFORE AFTER",
    help="Run nothing: draw two JSON reports' timelines on one time axis (HTML, or SVG "
    "with --output-format svg).",
)
@handle_errors
def trace(
    command: tuple[str, ...],
    module: str | None,
    output_format: str,
    output: Path | None,
    compare: tuple[Path, Path] | None,
) -> None:
    if compare:
        if command or module:
            raise click.UsageError("--compare runs nothing: give no program with it")
        if output_format == "json":
            raise click.UsageError("--compare draws the reports: use --output-format html or svg")
        from dasklint.trace import report_html, report_svg

        before, after = (_read_report(path) for path in compare)
        if output_format == "svg":
            picture = report_svg.render(
                [("before", before), ("after", after)], "dasklint trace: before and after"
            )
            where = _write(picture, output, "dasklint-trace-compare.svg")
        else:
            where = _write(
                report_html.render_compare(before, after), output, "dasklint-trace-compare.html"
            )
        click.echo(f"dasklint trace: comparison written to {where}", err=True)
        raise click.exceptions.Exit(EXIT_OK)
    from dasklint.trace import runner, session

    entry = _own_process()
    started = entry.trace_started if entry is not None else None
    try:
        argv = runner.program_argv(command, module)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if started is not None:
        # Started before click read the command line (dasklint.cli.early_trace), which
        # reads it as click does: the program is not started twice. Should the readings
        # ever differ, the report is of the program that ran.
        argv = started.argv
    try:
        report = session.trace(argv, _lint, started)
    except RuntimeError as exc:
        raise DasklintError(str(exc)) from None
    if output_format == "json":
        import json

        # Not indented: the standard library's C encoder writes only unindented JSON,
        # several times faster on a report of thousands of task runs.
        text = json.dumps(report) + "\n"
        where = _write(text, output, "dasklint-trace.json")
    elif output_format == "svg":
        from dasklint.trace import report_svg

        title = "dasklint trace: " + (" ".join(argv[1:3]) or "program")
        where = _write(report_svg.render([("", report)], title), output, "dasklint-trace.svg")
    else:
        from dasklint.trace import report_html

        where = _write(report_html.render(report), output, "dasklint-trace.html")
    sys.stdout.flush()
    click.echo(_summary(report, where), err=True)
    _end(report["program"]["exit_status"], own_process=entry is not None)


def _own_process() -> OwnProcess | None:
    """The process entry point's object; None inside another caller (a CliRunner)."""
    found = click.get_current_context().find_root().obj
    return found if isinstance(found, OwnProcess) else None


def _end(status: int, *, own_process: bool) -> NoReturn:
    """End with the program's exit status. In a process of its own, at once: everything
    trace wrote is written (the report closed, the streams flushed below), its records'
    folder is removed, and what else runs is a daemon thread that only read (a lint of
    the script whose result was not needed), while the interpreter's finalization would
    walk and free every object and module the linter left (a good part of trace's own
    time on a short program)."""
    if own_process:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    gc.freeze()  # the interpreter's last collection would walk all the linter left
    raise click.exceptions.Exit(status)
