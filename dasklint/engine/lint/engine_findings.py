"""The findings the engine makes itself rather than a rule: a file that cannot be read or
is too large (DSK002), code that does not parse (DSK001), dasklint failing (DSK003).

Linting a module and linting a notebook's cells both report them, so they sit below both.
"""

from __future__ import annotations

import ast

import libcst as cst

from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Diagnostic, FileResult, Location, Severity
from dasklint.engine.lint.nesting import nesting_error, offset_position
from dasklint.engine.lint.parsing import parse_module
from dasklint.rule import Rule
from dasklint.rules.engine_rules import InvalidSyntax, IoError


def engine_result(
    filename: str,
    rule: type[Rule],
    settings: FileSettings,
    row: int,
    column: int,
    message: str,
) -> FileResult:
    row, column = max(row, 1), max(column, 1)
    diagnostic = Diagnostic(
        code=rule.code,
        name=rule.name,
        message=message,
        filename=filename,
        location=Location(row, column),
        end_location=Location(row, column),
        severity=settings.severity_for(rule.code) or Severity.ERROR,
        noqa_row=row,
    )
    return FileResult(filename, [diagnostic])


def syntax_error_location(source: bytes, exc: cst.ParserSyntaxError) -> tuple[int, int, str]:
    """Where and why a file fails to parse.

    libcst's native parser reports the line after lookahead and no column, so the
    standard library's parser (parsing only, nothing is executed) supplies the exact
    position and message when it also rejects the file. Neither places a null byte.
    """
    if b"\0" in source:
        row, column = offset_position(source, source.index(b"\0"))
        return row, column, "Cannot parse: source code cannot contain null bytes"
    try:
        ast.parse(source)
    except SyntaxError as error:
        if error.lineno:
            return error.lineno, error.offset or 1, f"Cannot parse: {error.msg}"
    except (ValueError, RecursionError, MemoryError):
        pass
    return exc.raw_line, exc.raw_column + 1, f"Cannot parse: {exc.message}"


def parse_problem(source: bytes) -> tuple[int, int, str] | None:
    """Where and why ``source`` cannot be linted as a module (DSK001), or None when it
    parses: the same checks :func:`lint_python` makes, for one notebook cell."""
    too_deep = nesting_error(source)
    if too_deep is not None:
        return too_deep
    try:
        parse_module(source)
    except cst.ParserSyntaxError as exc:
        return syntax_error_location(source, exc)
    except (UnicodeDecodeError, LookupError, SyntaxError, RecursionError):
        return 1, 1, "Cannot parse"
    return None


def syntax_diagnostic(
    filename: str, settings: FileSettings, row: int, column: int, message: str
) -> Diagnostic:
    """A DSK001 finding at ``row``:``column``."""
    return engine_result(filename, InvalidSyntax, settings, row, column, message).diagnostics[0]


def engine_error(filename: str, settings: FileSettings, message: str) -> FileResult:
    """A DSK002 result for a file that was read but cannot be linted (a broken notebook)."""
    return engine_result(filename, IoError, settings, 1, 1, message)


def io_error(filename: str, message: str) -> FileResult:
    """A DSK002 result for a path that cannot be read."""
    return engine_result(filename, IoError, FileSettings(frozenset()), 1, 1, message)
