"""``dasklint check --fix / --fix-only / --diff``: apply fixes and report, ruff-style."""

from __future__ import annotations

import contextlib
import difflib
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dasklint import api, registry
from dasklint.cli.errors import EXIT_ERROR, EXIT_OK, EXIT_VIOLATIONS
from dasklint.config.loader import ConfigResolver
from dasklint.diagnostics import Applicability, Diagnostic, FileResult, Severity

if TYPE_CHECKING:  # the fix machinery imports libcst: only `--fix` loads it
    from dasklint.api import FixOutcome


@dataclass
class FixOptions:
    fix_only: bool = False
    diff: bool = False
    show_fixes: bool = False
    exit_non_zero_on_fix: bool = False
    exit_zero: bool = False
    fail_on: Severity = Severity.WARNING  # the least severe finding that fails the run
    quiet: bool = False
    machine_output: bool = False
    # The findings to report of those left (``--baseline``: the new ones), given the sources.
    keep: Callable[[list[Diagnostic], dict[str, str]], list[Diagnostic]] | None = None


@dataclass
class FixRun:
    """Everything a fix run produced, for the summary."""

    results: list[FileResult] = field(default_factory=list)
    fixed: dict[str, Counter[str]] = field(default_factory=dict)  # file -> code -> count
    dropped: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    unconverged: list[str] = field(default_factory=list)

    def add(self, outcome: FixOutcome, diff: str | None = None) -> None:
        self.results.append(outcome.result)
        name = outcome.result.filename
        if outcome.changed:  # also by partial fixes, whose findings remain
            self.fixed[name] = outcome.fixed
        self.dropped.extend(f"{name}: {text}" for text in outcome.dropped)
        if not outcome.converged:
            self.unconverged.append(name)
        if diff:
            self.diffs.append(diff)

    @property
    def fixed_count(self) -> int:
        return sum(sum(c.values()) for c in self.fixed.values())


def unified_diff(name: str, before: bytes, after: bytes) -> str:
    old = before.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = after.decode("utf-8", errors="replace").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, fromfile=name, tofile=name)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def run_fixes(
    targets: list[str],
    stdin_filename: str | None,
    resolver: ConfigResolver,
    options: FixOptions,
    emit: Callable[[list[Diagnostic], dict[str, str]], None],
) -> int:
    """Fix the targets (or stdin), print what is left and the summary; the exit status."""
    run = FixRun()
    sources: dict[str, str] = {}
    stdin_output: bytes | None = None
    if targets == ["-"]:
        source = sys.stdin.buffer.read()
        name = stdin_filename or "-"
        outcome = api.fix_text(source, name, resolver)
        sources[name] = outcome.source.decode("utf-8", errors="replace")
        run.add(outcome, unified_diff(name, source, outcome.source) if options.diff else None)
        stdin_output = outcome.source
    else:
        for _, outcome in api.fix_paths(
            [Path(t) for t in targets], resolver, write=not options.diff
        ):
            name = outcome.result.filename
            diff = unified_diff(name, outcome.original, outcome.source) if options.diff else None
            run.add(outcome, diff)

    errors = [r for r in run.results if r.error]
    remaining = sorted((d for r in run.results for d in r.diagnostics), key=Diagnostic.sort_key)
    if options.keep is not None:
        remaining = options.keep(remaining, sources)
    say = _err if stdin_output is not None or options.machine_output or options.diff else _out
    if options.diff:
        sys.stdout.write("".join(run.diffs))
        sys.stdout.flush()
        count = run.fixed_count
        if not options.quiet:
            _err(
                f"Would fix {count} finding{'s' if count != 1 else ''}."
                if count
                else "No findings would be fixed" + _partly(run, "would change") + "."
            )
    else:
        if stdin_output is not None:
            sys.stdout.buffer.write(stdin_output)
            sys.stdout.flush()
        if not options.fix_only:
            if stdin_output is not None:  # stdout carries the fixed code
                with contextlib.redirect_stdout(sys.stderr):
                    emit(remaining, sources)
            else:
                emit(remaining, sources)
        if not options.quiet:
            for line in summary_lines(run, remaining, options):
                say(line)
    for text in run.dropped:
        _err(f"warning: fix dropped, its result did not parse: {text}")
    for name in run.unconverged:
        _err(f"warning: fixes did not settle in {name}; run `dasklint check --fix` again")
    for result in errors:
        _err(f"error: Failed to lint {result.filename}: {result.error}")
    if errors:
        return EXIT_ERROR
    if options.diff:
        return EXIT_VIOLATIONS if run.diffs else EXIT_OK
    if options.exit_non_zero_on_fix and run.fixed:
        return EXIT_VIOLATIONS
    if options.fix_only or options.exit_zero:
        return EXIT_OK
    failing = any(d.severity.at_least(options.fail_on) for d in remaining)
    return EXIT_VIOLATIONS if failing else EXIT_OK


def summary_lines(run: FixRun, remaining: list[Diagnostic], options: FixOptions) -> list[str]:
    fixed = run.fixed_count
    lines = []
    if options.fix_only:
        lines.append(
            f"Fixed {fixed} finding{'s' if fixed != 1 else ''}."
            if fixed
            else "No findings fixed" + _partly(run, "changed") + "."
        )
    elif fixed or remaining:
        total = fixed + len(remaining)
        plural = "s" if total != 1 else ""
        lines.append(f"Found {total} finding{plural} ({fixed} fixed, {len(remaining)} remaining).")
    else:
        lines.append("All checks passed!")
    if run.fixed:
        if options.show_fixes:
            lines.append("Fixed files:")
            for name in sorted(run.fixed):
                lines.append(f"- {name}:")
                for code, count in sorted(run.fixed[name].items()):
                    rule = registry.rule_for(code)
                    lines.append(f"    {count} x {code} ({rule.name if rule else code})")
        else:
            lines.append("Fixed files:")
            lines.extend(f"- {name}" for name in sorted(run.fixed))
    if not options.fix_only:
        line = fixable_line(remaining)
        if line:
            lines.append(line)
    return lines


def _partly(run: FixRun, verb: str) -> str:
    """Files that partial fixes (whose findings remain) changed, when no finding went."""
    files = len(run.fixed)
    return f"; partial fixes {verb} {files} file{'s' if files != 1 else ''}" if files else ""


def fixable_line(diagnostics: list[Diagnostic]) -> str | None:
    """ruff's line about the fixes still available (None when there are none)."""
    fixable = sum(1 for d in diagnostics if d.fixable)
    hidden = sum(
        1
        for d in diagnostics
        if not d.fixable and d.fix is not None and d.fix.applicability is Applicability.UNSAFE
    )
    note = ""
    if hidden:
        fixes = "fix" if hidden == 1 else "fixes"
        note = f"{hidden} hidden {fixes} can be enabled with the `--unsafe-fixes` option"
    if fixable:
        return f"[*] {fixable} fixable with the `--fix` option" + (f" ({note})." if note else ".")
    if hidden:
        return f"No fixes available ({note})."
    return None


def _out(line: str) -> None:
    click.echo(line)


def _err(line: str) -> None:
    click.echo(line, err=True)
