"""`dasklint rule`: one rule by code or name, or all of them, as text or JSON."""

from __future__ import annotations

import json

import pytest
from cli_support import assert_failed, run

from dasklint import registry, ruledocs


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
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["code", "name", "default", "fix", "summary"]
    rules = registry.all_rules()
    assert len(lines) == len(rules)
    expected = [
        [r.code, r.name, "on" if r.default_enabled else "off", r.fix_availability.value.lower()]
        for r in rules
    ]
    assert [line.split()[:4] for line in lines] == expected
    assert {line.split()[2] for line in lines} == {"on", "off"}
    assert {line.split()[3] for line in lines} == {"always", "sometimes", "none"}


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


def test_rule_quotes_its_measured_impact() -> None:
    """The proof-of-impact benchmark's rows (dasklint/data/impact.json) reach the docs,
    with the machine and the date they were measured on."""
    data = ruledocs.impact_data()
    assert data["rows"], "run benchmarks/impact/run.py --write-data"
    assert {"date", "machine", "python", "dask", "distributed", "rounds"} <= set(data)
    codes = {r.code for r in registry.all_rules()}
    measured = {row["rule"] for row in data["rows"] if row["rule_implemented"]}
    assert measured <= codes
    assert all(row["identical"] is not False for row in data["rows"])  # fixes keep results
    for code in ["DSK102", "DSK101"]:  # DSK101's fix is measured on DSK102's program
        text = run("rule", code).stdout
        assert "## Measured impact" in text
        assert "| four_tasks_processes (" in text
        assert data["date"] in text and data["machine"] in text
        (row,) = json.loads(run("rule", code, "--output-format", "json").stdout)["impact"]
        assert row["program"] == "four_tasks_processes"
    assert "## Measured impact" not in run("rule", "DSK105").stdout


def test_rule_shows_the_help_and_notes_its_example_gets() -> None:
    """`dasklint rule CODE` ends with what `check --output-format full` prints on the
    rule's own example: the short message, `help:` and `note:` lines, the fix's diff."""
    text = run("rule", "DSK102").stdout
    section = text[text.index("## What it prints\n") :]
    assert "DSK102 [*] These 4 tasks run serially in 1 worker process\n" in section
    assert "\nhelp: pass `chunksize=1` to run them in parallel\n" in section
    assert "\nnote: they are sent to the process pool in batches of 6 (dask/dask#10292)\n" in (
        section
    )
    assert '\n4 + dask.compute(*tasks, scheduler="processes", chunksize=1)\n' in section


def test_every_rule_with_an_example_shows_its_finding() -> None:
    """Each rule's documented example is one the rule reports (engine rules aside)."""
    missing = [
        r.code
        for r in registry.all_rules()
        if r.code not in ("DSK002", "DSK003")
        and "## What it prints" not in run("rule", r.code).stdout
    ]
    assert missing == []
