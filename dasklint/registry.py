"""Looking rules up by code, code prefix or kebab-case name, and choosing the enabled set.

Selection follows ruff: layers (configuration, then command line) are applied in order;
within a layer the most specific matching selector decides, and on a tie ``ignore`` wins.

Selection needs only each rule's code, name and default (:func:`catalog`). Importing the
rules means importing libcst (a quarter of a second), so a run that finds every file in
its cache installs a catalog that an earlier run of the same sources stored
(:func:`install_catalog`, see :mod:`dasklint.engine.run.cache`) and never imports them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol

from dasklint.errors import ConfigError

if TYPE_CHECKING:
    from dasklint.rule import Rule


class Named(Protocol):
    """A rule as selection sees it: a rule class, or its :class:`RuleInfo`."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What selection needs to know of a rule, without importing it."""

    code: str
    name: str
    default_enabled: bool
    deliberate_in_tests: bool = False  # see Rule.deliberate_in_tests


_CATALOG: list[tuple[RuleInfo, ...]] = []


def catalog() -> tuple[RuleInfo, ...]:
    """Every rule's code, name and default, in code order."""
    if not _CATALOG:
        _CATALOG.append(
            tuple(
                RuleInfo(rule.code, rule.name, rule.default_enabled, rule.deliberate_in_tests)
                for rule in all_rules()
            )
        )
    return _CATALOG[0]


def install_catalog(infos: Sequence[RuleInfo]) -> None:
    """Use ``infos`` (stored by an earlier run of the same sources) as the catalog."""
    _CATALOG[:] = [tuple(infos)]


def rules_imported() -> bool:
    """Whether the rule classes have been imported (and with them libcst)."""
    return all_rules.cache_info().currsize > 0


@cache
def all_rules() -> tuple[type[Rule], ...]:
    from dasklint.rules import ALL_RULES
    from dasklint.rules.engine_rules import ENGINE_RULES

    return tuple(sorted((*ENGINE_RULES, *ALL_RULES), key=lambda r: code_order(r.code)))


def code_order(code: str) -> tuple[int, str]:
    """Codes sort by their number, so DSK902 comes before DSK1001 (as text it would not)."""
    digits = code[3:]
    return (int(digits) if digits.isdigit() else -1, code)


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


def specificity(selector: str, rule: Named) -> int | None:
    """How precisely ``selector`` names ``rule``; None when it does not match it."""
    if selector in ("ALL",):
        return 0
    if selector == rule.name:
        return 100
    upper = selector.upper()
    if upper != rule.code and upper in _by_key():
        return None  # a whole code names one rule: DSK101 is not a prefix of DSK1010
    if rule.code.startswith(upper) and upper.startswith("DSK"):
        return len(upper)
    return None


def validate_selectors(selectors: Iterable[str], where: str) -> None:
    """Refuse selectors that match no rule (flake8 silently accepts them; we do not)."""
    for selector in selectors:
        if not any(specificity(selector, rule) is not None for rule in catalog()):
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
    for rule in catalog():
        verdict = _verdict(rule, positive, ignore)
        if verdict is None:
            verdict = select is None and rule.code in enabled
        if verdict:
            result.add(rule.code)
    return result


def _verdict(rule: Named, positive: Sequence[str], ignore: Sequence[str]) -> bool | None:
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
    return {rule.code for rule in catalog() if rule.default_enabled}
