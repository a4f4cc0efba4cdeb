"""Linting one source buffer: pre-filter, one parse, one batched visit, suppressions.

:func:`lint_source` never raises for bad input: unparseable, undecodable or oversized files
become DSK001/DSK002 diagnostics. A rule, the semantic model or the engine failing becomes
a DSK003 internal-error diagnostic naming what failed (``dasklint.engine.lint.failures``), with
the findings of the rules that did not fail.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from dasklint import registry
from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Diagnostic, FileResult, Location
from dasklint.engine.fix.describe import describe_fix, effective_fix, is_applicable
from dasklint.engine.lint import async_module, overlaps, suppressions, unused_noqa
from dasklint.engine.lint.engine_findings import engine_result, syntax_error_location
from dasklint.engine.lint.failures import Failure, analysis_failure, rule_failure
from dasklint.engine.lint.nesting import nesting_error
from dasklint.engine.lint.notebook import lint_notebook
from dasklint.engine.lint.parsing import parse_module
from dasklint.engine.lint.positions import Span, TopLevelTexts, locate
from dasklint.engine.lint.statement_spans import enclosing_span, statement_spans
from dasklint.engine.lint.walk import walk
from dasklint.fix import Fix
from dasklint.limits import MAX_SOURCE_BYTES
from dasklint.notebook.cells import join_script
from dasklint.notebook.positions import mapped
from dasklint.prefilter import may_use_dask
from dasklint.rule import Report, Rule, RuleContext
from dasklint.rules.engine_rules import InternalError, InvalidSyntax, IoError, UnusedNoqa
from dasklint.semantic import SemanticModel
from dasklint.semantic.facts import ModuleFacts
from dasklint.semantic.origin import (
    SCRIPT,
    Origin,
    SourceKind,
    displays_values,
    is_notebook_export,
    runs_as_script,
)
from dasklint.semantic.project import ProjectIndex, current_module_facts, index_for_file

if TYPE_CHECKING:  # the command line never parses incrementally
    from dasklint.engine.lint.incremental import IncrementalParser

# A ``.py`` file that only parses with its IPython lines masked runs in an IPython kernel.
EXPORT = Origin(SourceKind.NOTEBOOK_EXPORT)
# Deeply nested expressions recurse deeply in libcst's visitors.
_RECURSION_LIMIT = 10_000


def lint_source(
    source: bytes,
    filename: str,
    settings: FileSettings,
    index: ProjectIndex | None = None,
    *,
    defer_fix_edits: bool = False,
    parser: IncrementalParser | None = None,
) -> FileResult:
    """Lint one file's bytes: a module, or a notebook when ``filename`` ends in
    ``.ipynb`` or a suffix mapped to notebooks (its code cells, findings reported per
    cell). ``defer_fix_edits`` and ``parser``: see :func:`lint_python`."""
    if settings.is_notebook(filename):

        def lint_module(
            module: bytes, filename: str, settings: FileSettings, origin: Origin
        ) -> FileResult:
            return lint_python(module, filename, settings, index, origin=origin)

        return lint_notebook(source, filename, settings, lint_module)
    return lint_python(
        source, filename, settings, index, defer_fix_edits=defer_fix_edits, parser=parser
    )


def lint_python(
    source: bytes,
    filename: str,
    settings: FileSettings,
    index: ProjectIndex | None = None,
    *,
    defer_fix_edits: bool = False,
    parser: IncrementalParser | None = None,
    origin: Origin | None = None,
    noqa_used: dict[int, set[str]] | None = None,
) -> FileResult:
    """Lint one module's bytes; ``filename`` is used for reporting and, without an
    ``index`` of the project, to index the package the file belongs to. With
    ``defer_fix_edits`` (an editor), fixes whose text edits need the whole module are
    described without them (see :func:`describe_fix`). ``parser``: the parser of an open
    document, which re-parses only what changed since its previous version. ``origin``:
    what the module is when the caller knows (a notebook's joined cells); otherwise it is
    read from the source, and a file that only parses with its IPython lines masked is
    linted that way. ``noqa_used``: rows whose ``# noqa`` silenced findings made outside
    the rules (DSK1003), by code, for DSK004."""
    if not may_use_dask(source):
        return FileResult(filename, skipped=True)
    oversized = size_error(source)
    if oversized is not None:
        return engine_result(filename, IoError, settings, 1, 1, oversized)
    too_deep = nesting_error(source)
    if too_deep is not None:
        return engine_result(filename, InvalidSyntax, settings, *too_deep)
    try:
        module = parser.parse(source) if parser is not None else parse_module(source)
    except cst.ParserSyntaxError as exc:
        respelled = async_module.respell(source, settings)  # `dask.async` (DSK1003)
        if respelled is not None:
            used = async_module.silenced_rows(respelled, settings)
            result = lint_python(respelled.source, filename, settings, index, noqa_used=used)
            parses = all(d.code != InvalidSyntax.code for d in result.diagnostics)
            found = async_module.diagnostics(respelled, filename, settings, parses)
            result.diagnostics[:0] = found
            return result
        masked = join_script(source) if origin is None else None
        if masked is not None:  # IPython lines in a `.py` file: lint it as a notebook export
            text = masked.text.encode("utf-8")
            result = lint_python(
                text, filename, settings, index, defer_fix_edits=defer_fix_edits, origin=EXPORT
            )
            return mapped(result, masked, cells=False)
        row, column, message = syntax_error_location(source, exc)
        return engine_result(filename, InvalidSyntax, settings, row, column, message)
    except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
        return engine_result(filename, IoError, settings, 1, 1, f"Cannot decode: {exc}")
    if sys.getrecursionlimit() < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    if index is None:
        index = index_for_file(filename)
    # An editor's document: its statements' text and bounds are known from the parser,
    # which lets facts and positions work one top-level statement at a time.
    known = parser.statements_of(module) if parser is not None else None
    statements = TopLevelTexts(known[0], known[1], {}) if known is not None else None
    facts = current_module_facts(
        index,
        source,
        filename,
        (parser.facts, statements.parts()) if parser is not None and statements else None,
    )
    reports, failures = _run_rules(
        module,
        filename,
        settings,
        index,
        facts,
        _origin_of(source, module, origin),
        statements.owners if statements else None,
    )
    try:
        diagnostics = (
            _to_diagnostics(
                module,
                source,
                reports,
                filename,
                settings,
                defer=defer_fix_edits,
                statements=statements,
                noqa_used=noqa_used,
            )
            if reports or judges_noqa(source, settings)
            else []
        )
    except Exception as error:  # positions, suppressions or a fix's description
        diagnostics, failures = [], [analysis_failure(error)]
    return FileResult(filename, [*diagnostics, *_internal_errors(filename, settings, failures)])


def lint_parsed(
    module: cst.Module,
    source: bytes,
    filename: str,
    settings: FileSettings,
    index: ProjectIndex | None = None,
    origin: Origin | None = None,
) -> tuple[list[Diagnostic], list[tuple[Diagnostic, Fix]]]:
    """Lint an already parsed module (the fix loop); also return each reported fix with
    its diagnostic, after suppressions and the fix settings (unfixable, promoted, ...).
    ``origin``: see :func:`lint_python`."""
    if sys.getrecursionlimit() < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    if index is None:
        index = index_for_file(filename)
    facts = current_module_facts(index, source, filename)
    origin = _origin_of(source, module, origin)
    reports, failures = _run_rules(module, filename, settings, index, facts, origin)
    fixes: list[tuple[Diagnostic, Fix]] = []
    try:
        diagnostics = (
            _to_diagnostics(module, source, reports, filename, settings, fixes)
            if reports or judges_noqa(source, settings)
            else []
        )
    except Exception as error:  # positions, suppressions or a fix's description
        diagnostics, fixes, failures = [], [], [analysis_failure(error)]
    return [*diagnostics, *_internal_errors(filename, settings, failures)], fixes


def _run_rules(
    module: cst.Module,
    filename: str,
    settings: FileSettings,
    index: ProjectIndex,
    facts: ModuleFacts | None,
    origin: Origin,
    owners: dict[int, int] | None = None,
) -> tuple[list[Report], list[Failure]]:
    """The rules' reports, and what failed: a rule that raises is left out with its
    reports; when the semantic model raises, no report is kept."""
    model = SemanticModel(module, index, facts, origin)
    reports: list[Report] = []
    rules: list[Rule] = []
    enabled, is_test_file = settings.enabled, settings.is_test_file
    if is_test_file and runs_as_script(module, filename):
        # A program under tests/ (a demo script): linted as the program it is.
        enabled, is_test_file = enabled | settings.held_for_tests, False
    for rule_class in registry.all_rules():
        if rule_class.code not in enabled or rule_class.code.startswith("DSK0"):
            continue
        context = RuleContext(
            model=model,
            filename=filename,
            is_test_file=is_test_file,
            options=settings.options_for(rule_class.code),
            reports=reports,
            module=module,
            target_dask_version=settings.target_dask_version,
        )
        rules.append(rule_class(context))
    failed: dict[type[Rule], Exception] = {}

    def rule_failed(visitor: cst.BatchableCSTVisitor, error: Exception) -> None:
        failed.setdefault(type(visitor), error)  # type: ignore[arg-type]

    try:
        walk(
            module,
            rules,
            before_visit=model.on_visit,
            after_leave=model.on_leave,
            owners=owners,
            on_error=rule_failed,
        )
        model.finish()
    except Exception as error:
        return [], [analysis_failure(error)]
    for rule in rules:
        if type(rule) in failed:
            continue
        try:
            rule.finish()
        except Exception as error:
            failed[type(rule)] = error
    expected = model.expected_to_raise()
    kept = [
        report
        for report in reports
        if report.rule not in failed and id(report.node) not in expected
    ]
    return kept, [rule_failure(rule, error) for rule, error in failed.items()]


def _origin_of(source: bytes, module: cst.Module, origin: Origin | None) -> Origin:
    """``origin`` as given (a notebook's, with the module text of this pass, from which
    its cells are found), or read from the source: a script or a notebook export."""
    if origin is None:
        exported = is_notebook_export(source) or displays_values(module)
        return Origin(SourceKind.NOTEBOOK_EXPORT) if exported else SCRIPT
    if origin.kind is SourceKind.NOTEBOOK:
        return replace(origin, text=source.decode("utf-8", "replace"))
    return origin


def _text(module: cst.Module, source: bytes) -> str:
    """``module.code`` without generating it again: libcst's tree gives back the bytes it
    was parsed from exactly, so they decode to the same text."""
    return source.decode(module.encoding)


def _to_diagnostics(
    module: cst.Module,
    source: bytes,
    reports: list[Report],
    filename: str,
    settings: FileSettings,
    fixes_out: list[tuple[Diagnostic, Fix]] | None = None,
    *,
    defer: bool = False,
    statements: TopLevelTexts | None = None,
    noqa_used: dict[int, set[str]] | None = None,
) -> list[Diagnostic]:
    nodes = [report.node for report in reports]
    if settings.fix_edits:  # positioned in the same pass, for their text edits
        nodes += [edit.node for report in reports if report.fix for edit in report.fix.edits]
    layout = locate(module, nodes, statements)
    positions = layout.spans
    found = (
        suppressions.scan(statements.text if statements is not None else _text(module, source))
        if suppressions.may_suppress(source) and not settings.ignore_noqa
        else suppressions.Suppressions()
    )
    spans: list[tuple[int, int]] | None = None
    # row -> codes of the rules whose findings its noqa comment silenced
    used: dict[int, set[str]] = {row: set(codes) for row, codes in (noqa_used or {}).items()}

    def suppressed(rule: type[Rule], row: int) -> bool:
        nonlocal spans

        def names_rule(key: str) -> bool:
            return key.upper() == rule.code or key == rule.name

        if row in found.noqa and found.covers(found.noqa[row], names_rule):
            used.setdefault(row, set()).add(rule.code)
            return True
        if suppressions.Suppressions.covers(found.file_level, names_rule) and found.file_level:
            return True
        if found.ignore:
            if spans is None:
                spans = statement_spans(module)
            if _ignored(found, enclosing_span(spans, row), names_rule):
                return True
        return False

    visible: list[tuple[Report, Span]] = []
    for report in reports:
        where = positions[id(report.node)]
        # A finding too unsure to report still uses the comment that silences it.
        if suppressed(report.rule, where.start_line) or not settings.reports(report.confidence):
            continue
        visible.append((report, where))
    if found.noqa_comments and UnusedNoqa.code in settings.enabled:
        judged, places = unused_noqa.reports(module, found, used, settings.enabled)
        for report in judged:
            where = places.spans[id(report.node)]
            if not suppressed(report.rule, where.start_line):
                visible.append((report, where))
        if judged:
            layout = layout.merged(places)
    place = [(where.start_line, where.start_column) for _, where in visible]
    out: list[Diagnostic] = []
    for report, where, others in overlaps.winners(visible, place):
        rule, row = report.rule, where.start_line
        fix = effective_fix(report.fix, rule.code, settings)
        out.append(
            Diagnostic(
                code=rule.code,
                name=rule.name,
                message=report.message,
                help=report.help,
                notes=overlaps.merged_notes(report.notes, others),
                filename=filename,
                location=Location(row, where.start_column + 1),
                end_location=Location(where.end_line, where.end_column + 1),
                severity=settings.severity_for(rule.code) or report.severity,
                confidence=report.confidence,
                noqa_row=row,
                fixable=fix is not None and is_applicable(fix, settings),
                fix=(
                    describe_fix(module, fix, settings, layout, defer=defer)
                    if fix is not None
                    else None
                ),
            )
        )
        if fix is not None and fixes_out is not None:
            fixes_out.append((out[-1], fix))
    return out


# A noqa comment with codes (DSK004 never judges a bare one), found with a byte search.
_NOQA_CODES = re.compile(rb"noqa\s*:", re.IGNORECASE)


def judges_noqa(source: bytes, settings: FileSettings) -> bool:
    """Whether DSK004 may report in ``source``, which no other rule reported in."""
    return (
        UnusedNoqa.code in settings.enabled
        and not settings.ignore_noqa
        and _NOQA_CODES.search(source) is not None
    )


def _ignored(
    found: suppressions.Suppressions, span: tuple[int, int], names_rule: Callable[[str], bool]
) -> bool:
    start, end = span
    lines: Iterable[int] = range(start, end + 1)
    above = start - 1
    extra = []
    while above in found.own_line:
        extra.append(above)
        above -= 1
    for line in (*lines, *extra):
        codes = found.ignore.get(line)
        if codes is not None and found.covers(codes, names_rule):
            return True
    return False


def size_error(source: bytes) -> str | None:
    """Why ``source`` is too large to lint (:data:`MAX_SOURCE_BYTES`), or None."""
    if len(source) <= MAX_SOURCE_BYTES:
        return None
    return (
        f"Cannot lint: the file has {len(source):,} bytes, more than the limit of "
        f"{MAX_SOURCE_BYTES:,}"
    )


def _internal_errors(
    filename: str, settings: FileSettings, failures: list[Failure]
) -> list[Diagnostic]:
    return [
        engine_result(filename, InternalError, settings, 1, 1, failure.message).diagnostics[0]
        for failure in failures
    ]
