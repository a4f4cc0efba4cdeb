"""``dasklint rule CODE|NAME`` and ``dasklint rule --all``: rule documentation."""

from __future__ import annotations

import json

import click

from dasklint import registry
from dasklint.cli.errors import handle_errors
from dasklint.cli.rule_example import example_findings
from dasklint.errors import DasklintError
from dasklint.ruledocs import rule_markdown, rule_to_dict


@click.command()
@click.argument("key", required=False)
@click.option("--all", "show_all", is_flag=True, help="Describe every rule.")
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Markdown-like text, or JSON (as `dasklint rule --all --output-format json`).",
)
@handle_errors
def rule(key: str | None, show_all: bool, output_format: str) -> None:
    """Explain a rule, given by code (DSK101) or name (processes-scheduler)."""
    if show_all == (key is not None):
        raise click.UsageError("give either a rule code or name, or --all")
    if show_all:
        rules = list(registry.all_rules())
    else:
        assert key is not None
        found = registry.rule_for(key)
        if found is None:
            raise DasklintError(f"unknown rule `{key}`; `dasklint rule --all` lists them")
        rules = [found]
    if output_format == "json":
        data = [rule_to_dict(r) for r in rules]
        click.echo(json.dumps(data if show_all else data[0], indent=2))
    elif show_all:
        click.echo(f"{'code':<8}{'name':<36}{'default':<9}{'fix':<11}summary")
        for r in rules:
            default = "on" if r.default_enabled else "off"
            fix = r.fix_availability.value.lower()
            click.echo(f"{r.code:<8}{r.name:<36}{default:<9}{fix:<11}{r.summary}")
    else:
        click.echo(rule_markdown(rules[0]) + example_findings(rules[0]), nl=False)
