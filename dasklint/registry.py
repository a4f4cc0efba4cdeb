"""Looking rules up by code, code prefix or kebab-case name, and choosing the enabled set.

Selection follows ruff: layers (configuration, then command line) are applied in order;
within a layer the most specific matching selector decides, and on a tie ``ignore`` wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from dasklint.errors import ConfigError
from dasklint.rule import Rule


@cache
def all_rules() -> tuple[type[Rule], ...]:
    from dasklint.rules import ALL_RULES
    from dasklint.rules.engine_rules import ENGINE_RULES

    return tuple(sorted((*ENGINE_RULES, *ALL_RULES), key=lambda r: r.code))


@cache
def _by_key() -> dict[str, type[Rule]]:
    table: dict[str, type[Rule]] = {}
    for rule in all_rules():
        table[rule.code] = rule
        table[rule.name] = rule
    return table


def rule_for(key: str) -> type[Rule] | None:
    """The rule with this exact code or name (codes are case-insensitive)."""
    return _by_key().get(key) or _by_key().get(key.upper())


def specificity(selector: str, rule: type[Rule]) -> int | None:
    """How precisely ``selector`` names ``rule``; None when it does not match it."""
    if selector in ("ALL",):
        return 0
    if selector == rule.name:
        return 100
    upper = selector.upper()
    if rule.code.startswith(upper) and upper.startswith("DSK"):
        return len(upper)
    return None


def validate_selectors(selectors: Iterable[str], where: str) -> None:
    """Refuse selectors that match no rule (flake8 silently accepts them; we do not)."""
    for selector in selectors:
        if not any(specificity(selector, rule) is not None for rule in all_rules()):
            raise ConfigError(f"unknown rule selector `{selector}` in {where}")


def apply_layer(
    enabled: set[str],
    select: Sequence[str] | None,
    extend_select: Sequence[str],
    ignore: Sequence[str],
) -> set[str]:
    """One layer of selection on top of ``enabled`` (a set of codes)."""
    positive = [*(select or ()), *extend_select]
    result: set[str] = set()
    for rule in all_rules():
        verdict = _verdict(rule, positive, ignore)
        if verdict is None:
            verdict = select is None and rule.code in enabled
        if verdict:
            result.add(rule.code)
    return result


def _verdict(rule: type[Rule], positive: Sequence[str], ignore: Sequence[str]) -> bool | None:
    """Whether this layer enables the rule; None when none of its selectors names it."""
    best: tuple[int, bool] | None = None  # (specificity, is_ignore); ignore wins ties
    for selector in positive:
        spec = specificity(selector, rule)
        if spec is not None and (best is None or (spec, False) > best):
            best = (spec, False)
    for selector in ignore:
        spec = specificity(selector, rule)
        if spec is not None and (best is None or (spec, True) >= best):
            best = (spec, True)
    return None if best is None else not best[1]


def default_enabled() -> set[str]:
    return {rule.code for rule in all_rules() if rule.default_enabled}
