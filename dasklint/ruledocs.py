"""Rule documentation as Markdown and as data; shared by `dasklint rule` and docs/rules/.

A rule's measured impact comes from ``dasklint/data/impact.json``, which
``benchmarks/impact/run.py --write-data`` writes: the rule's row of the proof-of-impact
benchmark (real Dask programs before and after dasklint's own fixes), with the machine
and the date, so that the docs quote a measurement of this project and not a number from
elsewhere.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from dasklint.diagnostics import FixAvailability
from dasklint.rule import Rule


def rule_to_dict(rule: type[Rule]) -> dict[str, Any]:
    return {
        "name": rule.name,
        "code": rule.code,
        "linter": "dasklint",
        "summary": rule.summary,
        "severity": rule.severity.value,
        "default_enabled": rule.default_enabled,
        "fix_availability": rule.fix_availability.value,
        "fix_summary": rule.fix_summary,
        "options": [
            {"name": o.name, "default": o.default, "description": o.description}
            for o in rule.options
        ],
        "explanation": rule.docs(),
        "impact": impact_rows(rule.code),
    }


def rule_markdown(rule: type[Rule]) -> str:
    facts = [
        f"Default severity: `{rule.severity.value}`.",
        "Enabled by default." if rule.default_enabled else "Off by default (select it to use it).",
        _fix_fact(rule),
    ]
    if rule.deliberate_in_tests:
        facts.append(
            "Not reported in test files and benchmark suites, where the pattern is usually "
            "deliberate (`check-tests = true` turns it on there)."
        )
    text = f"# {rule.name} ({rule.code})\n\n{' '.join(facts)}\n\n{rule.docs()}\n"
    impact = impact_markdown(rule.code)
    return f"{text}\n{impact}" if impact else text


def _fix_fact(rule: type[Rule]) -> str:
    """One sentence on the rule's fix: what it does and how often it is offered, or that it
    is planned, or that there is none."""
    summary = rule.fix_summary
    if summary.startswith("none"):
        return f"No fix{summary[4:]}."
    if rule.fix_availability is FixAvailability.NONE:
        return f"Planned fix (not offered yet): {summary}."
    return f"Fix ({rule.fix_availability.value.lower()} available): {summary}."


@cache
def impact_data() -> dict[str, Any]:
    """The stored benchmark results; empty when the package ships none."""
    path = resources.files("dasklint") / "data" / "impact.json"
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def impact_rows(code: str) -> list[dict[str, Any]]:
    """The benchmark rows of the programs that exercise rule ``code``."""
    rows: list[dict[str, Any]] = impact_data().get("rows", [])
    return [row for row in rows if code == row["rule"] or code in row.get("also", [])]


def _timing(run: dict[str, float] | None) -> str:
    if run is None:
        return "no fix yet"
    return f"{run['median']:.2f} s ({run['min']:.2f}-{run['max']:.2f})"


def impact_table(rows: list[dict[str, Any]]) -> list[str]:
    """Benchmark rows as a Markdown table (also the benchmark's own output)."""
    lines = [
        "| rule | program (size) | before: median (min-max) | after | speedup "
        "| identical results | evidence before | evidence after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        rule = row["rule"]
        if not row.get("rule_implemented", True):
            rule += " (rule not implemented)"
        elif not row.get("reported", True):
            rule += " (NOT reported)"
        speedup = "no fix yet" if row["speedup"] is None else f"{row['speedup']:.2f}x"
        same = {True: "yes", False: "NO", None: "-"}[row["identical"]]
        lines.append(
            f"| {rule} | {row['program']} ({row['size'] or 'fixed'}) "
            f"| {_timing(row['before'])} | {_timing(row['after'])} | {speedup} | {same} "
            f"| {row['evidence_before']} | {row['evidence_after'] or '-'} |"
        )
    return lines


def impact_markdown(code: str) -> str:
    """The "Measured impact" section of a rule's docs, or "" without a measurement."""
    rows = impact_rows(code)
    if not rows:
        return ""
    data = impact_data()
    return (
        "\n".join(
            [
                "## Measured impact",
                f"`{data['command']}` on {data['date']}: {data['machine']}; Python "
                f"{data['python']}, dask {data['dask']}, distributed {data['distributed']}; "
                f"{data['rounds']} interleaved rounds. Each time is the wall time of the program "
                "in a fresh interpreter (imports and any cluster start-up included); the fixed "
                "program is the output of `dasklint check --fix --unsafe-fixes`; the speedup "
                "is the median of the rounds' before/after ratios. Evidence: "
                "worker processes that ran tasks; computations, their tasks and the deepest "
                "graph (local schedulers only).",
                "",
                *impact_table(rows),
            ]
        )
        + "\n"
    )


def index_markdown(rules: tuple[type[Rule], ...]) -> str:
    lines = [
        "# dasklint rules",
        "",
        "Generated from the rules' docstrings by `python docs/generate_rules.py`; do not edit.",
        "",
        *rules_table(rules, link_prefix=""),
    ]
    return "\n".join(lines) + "\n"


def rules_table(rules: tuple[type[Rule], ...], link_prefix: str) -> list[str]:
    """A Markdown table of the rules; ``link_prefix`` is the path to docs/rules/."""
    lines = [
        "| code | name | summary | severity | default | fix |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        link = f"{link_prefix}{rule.code}-{rule.name}.md"
        default = "on" if rule.default_enabled else "off"
        lines.append(
            f"| {rule.code} | [{rule.name}]({link}) | {rule.summary} "
            f"| {rule.severity.value} | {default} | {rule.fix_availability.value.lower()} |"
        )
    return lines
