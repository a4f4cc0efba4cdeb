"""Rule documentation as Markdown and as data; shared by `dasklint rule` and docs/rules/."""

from __future__ import annotations

from typing import Any

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
        "planned_fix": rule.planned_fix,
        "options": [
            {"name": o.name, "default": o.default, "description": o.description}
            for o in rule.options
        ],
        "explanation": rule.docs(),
    }


def rule_markdown(rule: type[Rule]) -> str:
    facts = [
        f"Default severity: `{rule.severity.value}`.",
        "Enabled by default." if rule.default_enabled else "Off by default (select it to use it).",
        f"Planned fix: {rule.planned_fix}.",
    ]
    return f"# {rule.name} ({rule.code})\n\n{' '.join(facts)}\n\n{rule.docs()}\n"


def index_markdown(rules: tuple[type[Rule], ...]) -> str:
    lines = [
        "# dasklint rules",
        "",
        "Generated from the rules' docstrings by `python docs/generate_rules.py`; do not edit.",
        "",
        "| code | name | summary | severity |",
        "|---|---|---|---|",
    ]
    for rule in rules:
        lines.append(
            f"| {rule.code} | [{rule.name}]({rule.code}-{rule.name}.md) | {rule.summary} "
            f"| {rule.severity.value} |"
        )
    return "\n".join(lines) + "\n"
