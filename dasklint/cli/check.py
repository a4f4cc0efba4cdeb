"""``dasklint check``: lint paths or stdin and report, ruff-style."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from dasklint import api
from dasklint.cli import adopt, colour, report, setting_options
from dasklint.cli import options as parse
from dasklint.cli import watch as watching
from dasklint.cli.errors import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_VIOLATIONS,
    handle_errors,
)
from dasklint.cli.fixing import FixOptions, fixable_line, run_fixes
from dasklint.cli.progress import Progress
from dasklint.cli.runlog import NO_FILES, RunLog
from dasklint.columns import ENCODINGS
from dasklint.config.describe import describe
from dasklint.config.inline import split_config_options
from dasklint.config.loader import (
    DASK_SCHEDULER_ENV,
    ConfigResolver,
)
from dasklint.diagnostics import Diagnostic, FileResult
from dasklint.output import FORMATS

_multiple: dict[str, Any] = {"multiple": True, "metavar": "CODES"}


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@setting_options.options(
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "fixable",
    "unfixable",
    "exclude",
    "extend-exclude",
    "respect-gitignore",
    "extension",
    "check-tests",
    "min-confidence",
    "force-exclude",
    "target-dask-version",
    "output-format",
)
@click.option(
    "--position-encoding",
    type=click.Choice(ENCODINGS),
    default="utf-16",
    show_default=True,
    help="Column unit of `--output-format lsp`.",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="DASKLINT_OUTPUT_FILE",
    help="Write the report to this file instead of stdout.",
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="The path that stdin (`-`) stands for; alone, it implies `-`.",
)
@click.option(
    "--config",
    "config_options",
    multiple=True,
    metavar="PATH | KEY=VALUE",
    help="A configuration file to use for every path, or a TOML `KEY = VALUE` override "
    "laid over every configuration file (repeatable).",
)
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--statistics", is_flag=True, help="Count diagnostics per rule.")
@click.option(
    "--color",
    type=click.Choice(colour.CHOICES),
    default="auto",
    show_default=True,
    help="Colour the findings: on a terminal (auto, unless NO_COLOR is set; FORCE_COLOR "
    "forces it), always or never.",
)
@click.option("-w", "--watch", is_flag=True, help="Lint again whenever a file changes.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Processes that lint (default: one per core; at least 1).",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Say which configuration, how many files, cache hits and the time, on stderr.",
)
@click.option("-e", "--exit-zero", is_flag=True, help="Exit 0 even when there are diagnostics.")
@setting_options.options("fail-on")
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics, but nothing else.")
@click.option("-s", "--silent", is_flag=True, help="Print nothing; only the exit status tells.")
@click.option("--show-settings", is_flag=True, help="Print the settings for the first path.")
@click.option("--show-files", is_flag=True, help="Print the files that would be linted.")
@click.option(
    "-n",
    "--no-cache",
    is_flag=True,
    envvar="DASKLINT_NO_CACHE",
    help="Lint every file afresh; read and write no cache.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="DASKLINT_CACHE_DIR",
    help="Where the cache lives (default: .dasklint_cache at the project's root).",
)
@click.option(
    "--dask-scheduler",
    metavar="ADDRESS",
    callback=parse.dask_scheduler,
    envvar=DASK_SCHEDULER_ENV,
    help="Lint on this Dask cluster (tcp://HOST:PORT, tls://HOST:PORT), or `local`; "
    "never read from a configuration file.",
)
@click.option("--fix/--no-fix", default=False, help="Apply fixes (safe ones; see --unsafe-fixes).")
@setting_options.options("unsafe-fixes")
@click.option("--fix-only", is_flag=True, help="Apply fixes; report nothing that is left.")
@click.option(
    "--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing (exit 1 if any)."
)
@click.option("--show-fixes", is_flag=True, help="List what was fixed, per file and rule.")
@click.option(
    "--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when any fix was applied (pre-commit)."
)
@click.option(
    "--add-noqa", is_flag=True, help="Add a `# noqa: CODE` comment to every line with a finding."
)
@setting_options.options("ignore-noqa", "baseline")
@click.option(
    "--update-baseline",
    is_flag=True,
    help="Record the findings in the baseline file (and exit 0).",
)
@handle_errors
def check(
    paths: tuple[str, ...],
    output_file: Path | None,
    position_encoding: str,
    stdin_filename: str | None,
    config_options: tuple[str, ...],
    isolated: bool,
    statistics: bool,
    color: str,
    watch: bool,
    jobs: int | None,
    verbose: bool,
    exit_zero: bool,
    quiet: bool,
    silent: bool,
    show_settings: bool,
    show_files: bool,
    no_cache: bool,
    cache_dir: Path | None,
    dask_scheduler: str | None,
    fix: bool,
    fix_only: bool,
    diff: bool,
    show_fixes: bool,
    exit_non_zero_on_fix: bool,
    add_noqa: bool,
    update_baseline: bool,
    **setting_values: Any,
) -> None:
    """Lint Python files (default: the current directory) for Dask problems."""
    _file_names_as_bytes()
    log = RunLog(verbose, isolated=isolated)
    config_file, config = split_config_options(config_options)
    if isolated and config_file is not None:
        raise click.UsageError("`--config` cannot be used with `--isolated`")
    # Opened before any configuration is read: it holds the catalog of rules (see
    # dasklint.registry), so that a run served from the cache never imports them.
    linting_files = not (fix or fix_only or diff or "-" in paths or stdin_filename)
    cache = None if no_cache or not linting_files else api.open_cache(cache_dir, config_file)
    overrides = setting_options.overrides(setting_values, config)
    warn = _warn_once()
    resolver = ConfigResolver(overrides, config_file=config_file, isolated=isolated, warn=warn)
    if FORMATS[resolver.for_path(Path.cwd()).output_format].fix_edits:
        overrides = replace(overrides, given={**overrides.given, "fix_edits": True})
        resolver = ConfigResolver(overrides, config_file=config_file, isolated=isolated, warn=warn)
    # As in ruff, `--stdin-filename` without paths means "read stdin".
    targets = list(paths) or (["-"] if stdin_filename is not None else ["."])
    use_stdin = targets == ["-"]
    if "-" in targets and not use_stdin:
        raise click.UsageError("`-` (stdin) cannot be combined with other paths")

    first = Path(stdin_filename or ".") if use_stdin else Path(targets[0])
    settings = resolver.for_path(first.absolute())
    if show_settings:
        click.echo(describe(settings, str(first)), nl=False)
        raise click.exceptions.Exit(EXIT_OK)
    if show_files:
        for file in api.files_to_lint([Path(p) for p in targets], resolver):
            click.echo(api.display_name(file, Path.cwd()))
        raise click.exceptions.Exit(EXIT_OK)
    if watch:
        if use_stdin:
            raise click.UsageError("`--watch` cannot be used with stdin (`-`)")
        callback, once = check.callback, dict(click.get_current_context().params, watch=False)
        assert callback is not None
        raise click.exceptions.Exit(
            watching.watch(targets, lambda: watching.exit_status(callback, once), settings.lints)
        )

    fmt = settings.output_format
    fixing = fix or fix_only or diff
    if add_noqa:
        if fixing or update_baseline:
            raise click.UsageError("`--add-noqa` cannot be used with fixes or the baseline")
        raise click.exceptions.Exit(adopt.add_noqa(targets, resolver, quiet or silent))
    baseline = adopt.baseline_path(settings.baseline, update_baseline)
    if update_baseline and fixing:
        raise click.UsageError("`--update-baseline` cannot be used with fixes")
    keep = adopt.new_findings_only(baseline) if baseline and not update_baseline else None
    if fixing:
        options = FixOptions(
            fix_only=fix_only,
            diff=diff,
            show_fixes=show_fixes,
            exit_non_zero_on_fix=exit_non_zero_on_fix,
            exit_zero=exit_zero,
            fail_on=settings.fail_on,
            quiet=quiet or silent,
            machine_output=FORMATS[fmt].machine,
            keep=keep,
        )
        layout = {
            "position_encoding": position_encoding,
            "enabled_rules": settings.enabled,
            "docs_url": settings.docs_url,
        }

        def emit_remaining(remaining: list[Diagnostic], texts: dict[str, str]) -> None:
            report.emit(
                remaining,
                fmt,
                statistics,
                True,
                silent,
                output_file,
                texts,
                layout,
                colour.colour(color),
            )

        status = run_fixes(targets, stdin_filename, resolver, options, emit_remaining)
        log.finish(resolver, None)
        raise click.exceptions.Exit(status)

    sources: dict[str, str] = {}
    if use_stdin:
        results = list(_lint_stdin(stdin_filename, resolver, sources))
    else:
        progress = Progress(sys.stderr, quiet=quiet or silent, machine_output=FORMATS[fmt].machine)

        def on_found(discovered: api.Discovered) -> None:
            progress.start(len(discovered.files))
            log.found(discovered, resolver)

        request = api.LintRequest(tuple(Path(p) for p in targets), jobs, cache, dask_scheduler)
        results = list(progress.track(api.lint_request(request, resolver, on_found)))
    log.finish(resolver, cache)
    if log.nothing_to_lint and not FORMATS[fmt].machine:
        if not (quiet or silent):
            click.echo(NO_FILES, err=True)
        raise click.exceptions.Exit(EXIT_OK)

    diagnostics = sorted((d for r in results for d in r.diagnostics), key=Diagnostic.sort_key)
    errors = [r for r in results if r.error]
    if update_baseline and baseline is not None:
        for result in errors:
            click.echo(f"error: Failed to lint {result.filename}: {result.error}", err=True)
        recorded = adopt.record(baseline, diagnostics, quiet or silent)
        raise click.exceptions.Exit(EXIT_ERROR if errors else recorded)
    if keep is not None:
        diagnostics = keep(diagnostics, sources)
    layout = {
        "position_encoding": position_encoding,
        "enabled_rules": settings.enabled,
        "docs_url": settings.docs_url,
    }
    report.emit(
        diagnostics,
        fmt,
        statistics,
        quiet or silent,
        silent,
        output_file,
        sources,
        layout,
        colour.colour(color),
    )
    if not (quiet or silent) and not FORMATS[fmt].machine and output_file is None:
        line = fixable_line(diagnostics)
        if line:
            click.echo(line)
    for result in errors:
        click.echo(f"error: Failed to lint {result.filename}: {result.error}", err=True)
    if errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    failing = any(d.severity.at_least(settings.fail_on) for d in diagnostics)
    raise click.exceptions.Exit(EXIT_VIOLATIONS if failing and not exit_zero else EXIT_OK)


# The options of the settings not placed above come after --output-format.
setting_options.rest(check, after="output_format")


def _file_names_as_bytes() -> None:
    """A file name need not be UTF-8 (Python keeps its other bytes as surrogate escapes):
    reports show its bytes as they are, on stdout as in ``-o FILE``, as Python's stdout
    does in the C locale, instead of failing on it in other locales."""
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        stream.reconfigure(errors=sys.getfilesystemencodeerrors())


def _warn_once() -> Callable[[str], None]:
    """Prints each warning about the configuration once, on stderr."""
    shown: set[str] = set()

    def warn(message: str) -> None:
        if message not in shown:
            shown.add(message)
            click.echo(f"warning: {message}", err=True)

    return warn


def _lint_stdin(
    stdin_filename: str | None, resolver: ConfigResolver, sources: dict[str, str]
) -> list[FileResult]:
    source = sys.stdin.buffer.read()
    name = stdin_filename or "-"
    if stdin_filename is not None:
        path = Path(stdin_filename).absolute()
        settings = resolver.for_path(path)
        if settings.force_exclude and settings.is_excluded(path):
            return []
    sources[name] = source.decode("utf-8", errors="replace")
    return [api.lint_text(source, name, resolver)]
