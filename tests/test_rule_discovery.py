"""Rules are found in their family folders: the codes are those of the fixture folders,
each family holds its own codes, and a new rule needs only its module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dasklint import registry
from dasklint.rules import ALL_RULES, discover

ROOT = Path(__file__).resolve().parent.parent

# Family folder -> the hundreds of its codes (DSK1xx -> 1, DSK10xx -> 10).
FAMILIES = {
    "schedulers": 1,
    "lifecycle": 2,
    "delayed": 3,
    "granularity": 4,
    "gil": 5,
    "dependencies": 6,
    "futures": 7,
    "dataframes": 8,
    "arrays": 9,
    "deprecations": 10,
}


def test_the_codes_are_those_with_fixtures() -> None:
    """Every rule has its fixtures folder (written apart from the rule): discovery finds
    exactly those codes, so none is lost or added by moving modules."""
    folders = {p.name for p in (ROOT / "fixtures").iterdir() if p.name.startswith("DSK")}
    assert {rule.code for rule in registry.all_rules()} == folders


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_each_rule_lives_in_its_family_folder(rule: type) -> None:
    family = rule.__module__.split(".")[2]
    assert int(rule.code.removeprefix("DSK")) // 100 == FAMILIES[family]


def test_a_new_rule_needs_only_its_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    family = tmp_path / "extra_rules" / "schedulers"
    family.mkdir(parents=True)
    (tmp_path / "extra_rules" / "__init__.py").write_text("")
    (family / "__init__.py").write_text("")
    (family / "_helpers.py").write_text(
        "from dasklint.rule import Rule\n\nclass NotARule(Rule):\n    code = 'DSK198'\n"
    )
    (family / "new_rule.py").write_text(
        "from dasklint.rule import Rule\n"
        "from extra_rules.schedulers._helpers import NotARule\n\n"
        "class NewRule(Rule):\n    code = 'DSK199'\n    name = 'new-rule'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        found = discover("extra_rules")
    finally:
        for name in [n for n in sys.modules if n.startswith("extra_rules")]:
            del sys.modules[name]
    assert [(rule.__name__, rule.code) for rule in found] == [("NewRule", "DSK199")]
