"""Every fixture's diagnostics match its inline markers exactly: nothing missing, nothing extra."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from markers import parse

from dasklint import registry
from dasklint.config.loader import settings_from_table
from dasklint.config.settings import Selection, Settings
from dasklint.diagnostics import Applicability, Confidence, Diagnostic
from dasklint.engine.lint.linter import lint_source

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*.py"))


def _settings(path: Path, config: str | None) -> Settings:
    if config is None:
        return Settings(root=FIXTURES)
    table = tomllib.loads(f"fixture = {config}")["fixture"]
    settings = settings_from_table(table, FIXTURES / "dasklint.toml")
    return settings


@pytest.mark.parametrize(
    "path", FIXTURE_FILES, ids=[str(p.relative_to(FIXTURES)) for p in FIXTURE_FILES]
)
def test_fixture(path: Path) -> None:
    source = path.read_bytes()
    expectations, config = parse(source.decode("utf-8", errors="replace"))
    if path.name.startswith("ok_"):
        assert not expectations, "ok_* fixtures must not carry error markers"
    else:
        assert expectations, "a fixture without markers checks nothing; name it ok_*.py"
    for expected in expectations:
        assert registry.rule_for(expected.code), f"marker names unknown rule {expected.code}"
    settings = _settings(path, config).for_file(path)
    result = lint_source(source, str(path), settings)
    assert result.error is None
    actual = sorted((d.location.row, d.code) for d in result.diagnostics)
    wanted = sorted(
        (e.line, registry.rule_for(e.code).code)  # type: ignore[union-attr]
        for e in expectations
    )
    rendered = "\n".join(
        f"  {d.location.row}:{d.location.column} {d.code} {d.message}"
        for d in sorted(result.diagnostics, key=lambda d: d.sort_key())
    )
    assert actual == wanted, f"diagnostics differ from markers; got:\n{rendered}"
    by_line = {(d.location.row, d.code): d for d in result.diagnostics}
    for e in expectations:
        code = registry.rule_for(e.code).code  # type: ignore[union-attr]
        diagnostic = by_line[(e.line, code)]
        if e.column is not None:
            assert diagnostic.location.column == e.column, (e, diagnostic)
        if e.message is not None:
            # A marker's substring may come from the message, its notes or its help.
            assert _words(e.message) in _words(_joined(diagnostic)), (e, diagnostic.text)
    long = [d for d in result.diagnostics if len(d.message) > MESSAGE_LIMIT]
    assert not long, "\n".join(f"{d.code} ({len(d.message)}): {d.message}" for d in long)
    fixes = [d.fix for d in result.diagnostics if d.fix is not None]
    # A fix's title names the change; what an unsafe one may change is its caveat.
    long = [f.message for f in fixes if len(f.message) > MESSAGE_LIMIT]
    assert not long, "\n".join(f"({len(title)}): {title}" for title in long)
    unexplained = [
        f.message for f in fixes if f.applicability is Applicability.UNSAFE and not f.caveat
    ]
    assert not unexplained, f"unsafe fixes without a caveat: {unexplained}"


MESSAGE_LIMIT = 100  # characters of a short message; the rest goes to help and notes


def _joined(d: Diagnostic) -> str:
    """What a marker's substring is looked for in: the message, the notes (the
    explanation) and the help (the suggested change), in the order a sentence has them."""
    return " ".join([d.message, *d.notes, *([d.help] if d.help else [])])


def _words(text: str) -> str:
    """``text`` without the punctuation that ends a clause (where a long message is now
    split into message, notes and help), spaces collapsed."""
    return " ".join(re.sub(r"[:;,.](?=\s|$)", "", text).split())


def test_every_rule_has_a_positive_fixture() -> None:
    text = "\n".join(p.read_text(errors="replace") for p in FIXTURE_FILES)
    for rule in registry.all_rules():
        if rule.code == "DSK002":
            continue  # unreadable paths are covered by the CLI tests
        if rule.code == "DSK003":
            continue  # no file may trigger it: tests/test_internal_errors.py makes rules fail
        assert f"[{rule.code}]" in text or f"[{rule.name}]" in text, rule.code


def test_short_messages_with_every_rule_on_every_fixture() -> None:
    """With every rule selected (tests included, the lowest confidence), each finding's
    message on each fixture stays short: explanations belong in its help and notes."""
    base = Settings(
        root=FIXTURES,
        layers=(Selection(select=("ALL",)),),
        check_tests=True,
        min_confidence=Confidence.LOW,
    )
    long = []
    for path in FIXTURE_FILES:
        result = lint_source(path.read_bytes(), str(path), base.for_file(path))
        long += [
            f"{path.relative_to(FIXTURES)}: {d.code} ({len(d.message)}): {d.message}"
            for d in result.diagnostics
            if len(d.message) > MESSAGE_LIMIT
        ]
    assert not long, "\n".join(long)
