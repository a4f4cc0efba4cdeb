"""The findings a rule's documented example gets, as ``--output-format full`` prints
them: the short message, its ``help:`` and ``note:`` lines, and the fix as a diff."""

from __future__ import annotations

import re

from dasklint import api
from dasklint.config.loader import ConfigResolver, Overrides
from dasklint.diagnostics import Confidence
from dasklint.output import FORMATTERS, OutputContext
from dasklint.rule import Rule

_EXAMPLE = re.compile(r"## Example\n.*?```python\n(?P<code>.*?)```", re.DOTALL)
FILENAME = "example.py"


def example_findings(rule: type[Rule]) -> str:
    """A Markdown section with the rule's findings on the first code block under its
    "## Example" heading, linted with only this rule selected; empty when it has none."""
    found = _EXAMPLE.search(rule.docs())
    if found is None:
        return ""
    source = found.group("code")
    overrides = Overrides(
        {
            "select": (rule.code,),
            "check_tests": True,
            "min_confidence": Confidence.LOW,
            "fix_edits": True,
        }
    )
    result = api.lint_text(source.encode(), FILENAME, ConfigResolver(overrides, isolated=True))
    findings = [d for d in result.diagnostics if d.code == rule.code]
    if not findings:
        return ""
    ctx = OutputContext(findings, show_summary=False, read_source=lambda _: source)
    shown = FORMATTERS["full"](ctx).rstrip("\n")
    return (
        "\n## What it prints\n"
        f"On the example above (saved as `{FILENAME}`), `dasklint check --output-format full` "
        f"prints:\n```\n{shown}\n```\n"
    )
