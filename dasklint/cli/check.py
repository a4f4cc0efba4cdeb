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
from dasklint.cli import adopt, colour, report
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
from dasklint.config.extensions import Extension
from dasklint.config.inline import split_config_options
from dasklint.config.loader import (
    DASK_SCHEDULER_ENV,
    OUTPUT_FORMATS,
    ConfigResolver,
    Overrides,
)
from dasklint.dask_version import DaskVersion
from dasklint.diagnostics import Confidence, Diagnostic, FileResult, Severity
from dasklint.engine.cache import Cache, default_cache_dir
from dasklint.engine.discovery import Discovered, discover
from dasklint.output import MACHINE_FORMATS

# Output formats that carry each fix's text edits.
EDIT_FORMATS = frozenset({"json", "json-lines", "lsp", "sarif", "full"})


_multiple: dict[str, Any] = {"multiple": True, "metavar": "CODES"}


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--select", **_multiple, help="Rules to enable (codes, prefixes or names).")
@click.option("--extend-select", **_multiple, help="Rules to enable on top of the selection.")
@click.option("--ignore", **_multiple, help="Rules to disable.")
@click.option(
    "--per-file-ignores",
    multiple=True,
    metavar="PATTERN:CODES",
    help="Rules to disable in files matching a pattern (replaces the configuration's).",
)
@click.option(
    "--extend-per-file-ignores",
    multiple=True,
    metavar="PATTERN:CODES",
    help="Like --per-file-ignores, added to the configuration's.",
)
@click.option("--fixable", **_multiple, help="Rules whose fixes may apply (default: ALL).")
@click.option("--unfixable", **_multiple, help="Rules whose fixes never apply.")
@click.option("--exclude", multiple=True, metavar="PATTERN", help="Replace the exclusions.")
@click.option("--extend-exclude", multiple=True, metavar="PATTERN", help="Add to the exclusions.")
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Skip files that .gitignore files ignore (default: on).",
)
@click.option(
    "--extension",
    multiple=True,
    metavar="EXT:LANGUAGE",
    callback=parse.extension,
    help="Also lint files with this suffix, read as python, pyi or ipynb (e.g. ipy:ipynb).",
)
@click.option(
    "--check-tests/--no-check-tests",
    default=None,
    help="Also report performance patterns in test files and benchmark suites.",
)
@click.option(
    "--min-confidence",
    type=click.Choice([c.value for c in Confidence]),
    default=None,
    help="Report only findings at least this sure (high: the source proves it is Dask's).",
)
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply exclusions to paths given explicitly too (for pre-commit).",
)
@click.option(
    "--target-dask-version",
    metavar="VERSION",
    callback=parse.target_version,
    help="The Dask release the code runs on, e.g. 2025.1 (gates the DSK10xx rules).",
)
@click.option(
    "--output-format",
    type=click.Choice(OUTPUT_FORMATS),
    default=None,
    envvar="DASKLINT_OUTPUT_FORMAT",
    help="How findings are printed (default: concise).",
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
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"], case_sensitive=False),
    default=None,
    help="The least severe finding that makes the run exit 1 (default: warning).",
)
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
@click.option(
    "--unsafe-fixes/--no-unsafe-fixes",
    default=None,
    help="Also apply (and mark with [*]) fixes that may change behaviour.",
)
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
@click.option(
    "--ignore-noqa",
    is_flag=True,
    help="Ignore `# noqa` and `# dasklint:` suppression comments.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only the findings this baseline file does not hold (config `baseline`).",
)
@click.option(
    "--update-baseline",
    is_flag=True,
    help="Record the findings in the baseline file (and exit 0).",
)
@handle_errors
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    per_file_ignores: tuple[str, ...],
    extend_per_file_ignores: tuple[str, ...],
    fixable: tuple[str, ...],
    unfixable: tuple[str, ...],
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    respect_gitignore: bool | None,
    extension: Extension,
    check_tests: bool | None,
    min_confidence: str | None,
    force_exclude: bool | None,
    target_dask_version: DaskVersion | None,
    output_format: str | None,
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
    fail_on: str | None,
    quiet: bool,
    silent: bool,
    show_settings: bool,
    show_files: bool,
    no_cache: bool,
    cache_dir: Path | None,
    dask_scheduler: str | None,
    fix: bool,
    unsafe_fixes: bool | None,
    fix_only: bool,
    diff: bool,
    show_fixes: bool,
    exit_non_zero_on_fix: bool,
    add_noqa: bool,
    ignore_noqa: bool,
    baseline_file: Path | None,
    update_baseline: bool,
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
    cache = (
        None
        if no_cache or not linting_files
        else Cache(cache_dir or default_cache_dir(Path.cwd(), config_file))
    )
    overrides = Overrides(
        select=parse.codes(select) if select else None,
        extend_select=parse.codes(extend_select),
        ignore=parse.codes(ignore),
        per_file_ignores=parse.per_file(per_file_ignores) if per_file_ignores else None,
        extend_per_file_ignores=parse.per_file(extend_per_file_ignores),
        fixable=parse.codes(fixable) if fixable else None,
        unfixable=parse.codes(unfixable) if unfixable else None,
        extension=extension,
        config=config,
        exclude=tuple(exclude) if exclude else None,
        extend_exclude=tuple(extend_exclude),
        respect_gitignore=respect_gitignore,
        check_tests=check_tests,
        fail_on=Severity.parse(fail_on) if fail_on else None,
        min_confidence=Confidence(min_confidence) if min_confidence else None,
        force_exclude=force_exclude,
        output_format=output_format,
        unsafe_fixes=unsafe_fixes,
        target_dask_version=target_dask_version,
        ignore_noqa=ignore_noqa,
    )
    warn = _warn_once()
    resolver = ConfigResolver(overrides, config_file=config_file, isolated=isolated, warn=warn)
    if (output_format or resolver.for_path(Path.cwd()).output_format) in EDIT_FORMATS:
        # These formats carry each fix's text edits.
        overrides = replace(overrides, fix_edits=True)
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
        found = discover([Path(p) for p in targets], resolver.for_path, force_exclude)
        for file in sorted(found.files):
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

    fmt = output_format or settings.output_format
    fixing = fix or fix_only or diff
    if add_noqa:
        if fixing or update_baseline:
            raise click.UsageError("`--add-noqa` cannot be used with fixes or the baseline")
        raise click.exceptions.Exit(adopt.add_noqa(targets, resolver, quiet or silent))
    baseline = adopt.baseline_path(baseline_file, settings.baseline, update_baseline)
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
            machine_output=fmt in MACHINE_FORMATS,
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
        progress = Progress(
            sys.stderr, quiet=quiet or silent, machine_output=fmt in MACHINE_FORMATS
        )

        def on_found(discovered: Discovered) -> None:
            progress.start(len(discovered.files))
            log.found(discovered, resolver)

        results = list(
            progress.track(
                api.lint_paths(
                    [Path(p) for p in targets],
                    resolver,
                    workers=jobs,
                    cache=cache,
                    dask_scheduler=dask_scheduler,
                    on_found=on_found,
                )
            )
        )
    log.finish(resolver, cache)
    if log.nothing_to_lint and fmt not in MACHINE_FORMATS:
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
    if not (quiet or silent) and fmt not in MACHINE_FORMATS and output_file is None:
        line = fixable_line(diagnostics)
        if line:
            click.echo(line)
    for result in errors:
        click.echo(f"error: Failed to lint {result.filename}: {result.error}", err=True)
    if errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    failing = any(d.severity.at_least(settings.fail_on) for d in diagnostics)
    raise click.exceptions.Exit(EXIT_VIOLATIONS if failing and not exit_zero else EXIT_OK)


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
