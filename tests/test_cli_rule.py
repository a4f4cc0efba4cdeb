"""`dasklint rule`: one rule by code or name, or all of them, as text or JSON."""

from __future__ import annotations

import json

import pytest
from cli_support import assert_failed, run

from dasklint import registry


@pytest.mark.parametrize("key", ["DSK101", "dsk101", "processes-scheduler"])
def test_rule_text(key: str) -> None:
    result = run("rule", key)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "# processes-scheduler (DSK101)"
    assert "## What it does" in result.stdout


@pytest.mark.parametrize("key", ["DSK105", "legacy-scheduler-spelling"])
def test_rule_json(key: str) -> None:
    result = run("rule", key, "--output-format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["code"] == "DSK105"
    assert data["name"] == "legacy-scheduler-spelling"
    assert {"summary", "explanation", "fix_availability"} <= set(data)
    assert data["fix_availability"] in {"Always", "Sometimes", "None"}


def test_rule_all_text() -> None:
    result = run("rule", "--all")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    rules = registry.all_rules()
    assert len(lines) == len(rules)
    assert [line.split()[:2] for line in lines] == [[r.code, r.name] for r in rules]
    for rule, line in zip(rules, lines, strict=True):
        assert line.endswith("(off by default)") == (not rule.default_enabled)


def test_rule_all_json() -> None:
    result = run("rule", "--all", "--output-format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [item["code"] for item in data] == [r.code for r in registry.all_rules()]
    assert all(item["explanation"].strip() for item in data)


def test_rule_unknown_exits_2() -> None:
    assert_failed(run("rule", "DSK999"), "unknown rule `DSK999`")
    assert_failed(run("rule", "DSK999", "--output-format", "json"), "unknown rule")


def test_rule_needs_exactly_one_of_key_or_all() -> None:
    assert run("rule").exit_code == 2
    assert run("rule", "DSK101", "--all").exit_code == 2
