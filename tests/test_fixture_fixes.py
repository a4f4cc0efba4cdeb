"""Every fixture's fixes: exact expected files, and the properties every fix must have.

For ``name.py`` the harness applies the safe fixes and compares the result byte for byte
with ``name.py.fixed``; with ``--unsafe-fixes`` it compares with ``name.py.unsafe-fixed``,
which exists only when the unsafe fixes change something beyond the safe ones. A file that
nothing changes must have no expected file. ``pytest --update-fixed`` rewrites them (review
the diff before committing). For every fixture and both modes it also checks that the
fixed code parses, that re-linting finds no fixable diagnostic, that fixing again changes
nothing, and that each rule's declared fix availability matches the fixes it produced.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES
from markers import parse
from test_fixtures import FIXTURE_FILES, _settings

from dasklint import registry
from dasklint.config.settings import FileSettings
from dasklint.diagnostics import FileResult, FixAvailability
from dasklint.engine.fix.loop import FixOutcome, fix_source
from dasklint.engine.lint.linter import lint_source
from dasklint.notebook.cells import join_script

IDS = [str(p.relative_to(FIXTURES)) for p in FIXTURE_FILES]


def _file_settings(path: Path, unsafe: bool) -> FileSettings:
    _, config = parse(path.read_text(encoding="utf-8", errors="replace"))
    return replace(_settings(path, config), unsafe_fixes=unsafe).for_file(path)


def _check_expected(expected: Path, actual: bytes | None, update: bool) -> None:
    if update:
        if actual is None:
            expected.unlink(missing_ok=True)
        else:
            expected.write_bytes(actual)
        return
    if actual is None:
        assert not expected.exists(), f"{expected.name} is stale: nothing is fixed any more"
        return
    assert expected.exists(), f"missing {expected.name}; run pytest --update-fixed and review"
    assert actual == expected.read_bytes(), f"fixed code differs from {expected.name}"


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=IDS)
def test_fixes(path: Path, request: pytest.FixtureRequest) -> None:
    update = bool(request.config.getoption("--update-fixed"))
    source = path.read_bytes()
    safe_settings = _file_settings(path, unsafe=False)
    unsafe_settings = _file_settings(path, unsafe=True)

    # A run on the same bytes with the same settings is the same run: a fixture that the
    # fixes leave unchanged is linted and fixed once per mode, not three times.
    # (Settings by identity: the two below live as long as the test.)
    lints: dict[tuple[bytes, int], FileResult] = {}
    fixes: dict[tuple[bytes, int], FixOutcome] = {}

    def lint(code: bytes, settings: FileSettings) -> FileResult:
        key = (code, id(settings))
        if key not in lints:
            lints[key] = lint_source(code, str(path), settings)
        return lints[key]

    def fix(code: bytes, settings: FileSettings) -> FixOutcome:
        key = (code, id(settings))
        if key not in fixes:
            fixes[key] = fix_source(code, str(path), settings)
        return fixes[key]

    # Declared availability matches what the rules produced.
    for diagnostic in lint(source, safe_settings).diagnostics:
        rule = registry.rule_for(diagnostic.code)
        assert rule is not None
        if rule.fix_availability is FixAvailability.NONE:
            assert diagnostic.fix is None, f"{rule.code} declares no fix but produced one"
        elif rule.fix_availability is FixAvailability.ALWAYS:
            assert diagnostic.fix is not None, f"{rule.code} declares a fix for every report"

    outcomes = {}
    for mode, settings in (("safe", safe_settings), ("unsafe", unsafe_settings)):
        outcome = fix(source, settings)
        outcomes[mode] = outcome
        assert outcome.converged, mode
        assert not outcome.dropped, outcome.dropped
        assert outcome.result.error is None
        if outcome.changed:
            # The fixed code is valid Python (with its IPython lines masked, if it has some).
            masked = None if _parses(source) else join_script(outcome.source)
            ast.parse(masked.text if masked is not None else outcome.source)
        left = lint(outcome.source, settings).diagnostics
        fixable = [f"{d.location.row}:{d.code}" for d in left if d.fixable]
        assert not fixable, f"{mode}: fixable diagnostics left after fixing: {fixable}"
        again = fix(outcome.source, settings)
        assert again.source == outcome.source, f"{mode}: fixing again changes the code"
        assert not again.fixed

    safe_result = outcomes["safe"].source if outcomes["safe"].changed else None
    unsafe_bytes = outcomes["unsafe"].source
    unsafe_result = unsafe_bytes if unsafe_bytes != (safe_result or source) else None
    _check_expected(path.with_name(path.name + ".fixed"), safe_result, update)
    _check_expected(path.with_name(path.name + ".unsafe-fixed"), unsafe_result, update)


def _parses(source: bytes) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


def test_no_orphan_expected_files() -> None:
    for expected in [*FIXTURES.rglob("*.py.fixed"), *FIXTURES.rglob("*.py.unsafe-fixed")]:
        original = expected.with_name(expected.name.rsplit(".", 1)[0])
        assert original.exists(), f"{expected} has no fixture"
