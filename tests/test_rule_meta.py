"""Meta-tests: rule identity, registration and documentation stay consistent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dasklint import registry
from dasklint.config.settings import Selection, Settings
from dasklint.diagnostics import FixAvailability
from dasklint.engine.lint.linter import lint_source
from dasklint.rule import Rule
from dasklint.ruledocs import rule_markdown
from dasklint.rules import ALL_RULES

RULES = registry.all_rules()
HEADINGS = (
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Fix safety",
    "## References",
)
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
CODE = re.compile(r"^DSK(\d{3}|10\d{2})$")  # DSK10xx: the deprecation family
RULES_DIR = Path(__file__).resolve().parent.parent / "dasklint" / "rules"


def test_codes_and_names_are_unique() -> None:
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_identity_shape(rule: type[Rule]) -> None:
    assert CODE.match(rule.code), rule.code
    assert KEBAB.match(rule.name), rule.name
    assert rule.summary and not rule.summary.endswith(".")
    assert rule.fix_summary, "record what the fix does (or 'none')"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_the_rule_page_states_the_fix_once_and_truly(rule: type[Rule]) -> None:
    """A rule that offers a fix never reads as planned or absent on its page, and a rule
    without one never claims one."""
    first_paragraph = rule_markdown(rule).split("\n\n")[1]
    offers = rule.fix_availability is not FixAvailability.NONE
    assert ("Planned fix" in first_paragraph or "No fix" in first_paragraph) is not offers
    assert rule.fix_summary.startswith("none") is not (offers or "Planned" in first_paragraph)


def test_every_rule_module_is_registered() -> None:
    registered = {r.__module__.rsplit(".", 1)[1] for r in RULES}
    modules = {p.stem for p in RULES_DIR.rglob("*.py") if not p.stem.startswith("_")}
    assert modules == registered


def test_rules_are_listed_in_code_order() -> None:
    codes = [r.code for r in ALL_RULES]
    assert codes == sorted(codes, key=registry.code_order)


def _blocks(doc: str, heading: str) -> str:
    """The first ```python block after ``heading``."""
    start = doc.index(heading)
    match = re.search(r"```python\n(.*?)```", doc[start:], re.S)
    assert match, f"no python block after {heading!r}"
    return match.group(1)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docs_have_required_sections(rule: type[Rule]) -> None:
    doc = rule.docs()
    positions = [doc.find(h) for h in HEADINGS]
    assert all(p >= 0 for p in positions), f"missing headings in {rule.code}"
    assert positions == sorted(positions), "headings out of order"
    assert "Use instead:" in doc
    if rule.options:
        assert "## Options" in doc
        for option in rule.options:
            assert f"`{option.name}`" in doc


def _codes_for(source: str, rule: type[Rule]) -> list[str]:
    # Select the rule itself: rules that are off by default are documented the same way.
    selected = Settings(root=Path("/nonexistent"), layers=(Selection(extend_select=(rule.code,)),))
    settings = selected.for_file(Path("/nonexistent/example.py"))
    result = lint_source(source.encode(), "example.py", settings)
    assert result.error is None
    return [d.code for d in result.diagnostics]


# DSK002 is about unreadable paths; DSK003 reports a bug in dasklint, which no valid source
# may trigger (tests/test_internal_errors.py makes rules fail instead).
SOURCE_RULES = [r for r in RULES if r.code not in ("DSK002", "DSK003")]


@pytest.mark.parametrize("rule", SOURCE_RULES, ids=lambda r: r.code)
def test_example_triggers_and_use_instead_does_not(rule: type[Rule]) -> None:
    doc = rule.docs()
    example = _blocks(doc, "## Example")
    better = _blocks(doc, "Use instead:")
    assert rule.code in _codes_for(example, rule), "the Example block must trigger the rule"
    assert rule.code not in _codes_for(better, rule), "the Use instead block must not"


def _rules_with_unsafe_fixes() -> set[str]:
    """The codes that attach an unsafe fix to a finding in some fixture (every rule
    selected, so that rules off by default count too)."""
    from conftest import FIXTURES

    from dasklint.diagnostics import Applicability

    every = tuple(r.code for r in RULES)
    settings = Settings(root=Path("/nonexistent"), layers=(Selection(extend_select=every),))
    found: set[str] = set()
    for path in sorted(FIXTURES.rglob("*.py")):
        name = f"{path.parent.name}_{path.name}"
        result = lint_source(
            path.read_bytes(), name, settings.for_file(Path("/nonexistent") / name)
        )
        for diagnostic in result.diagnostics:
            fix = diagnostic.fix
            if fix is not None and fix.applicability is Applicability.UNSAFE:
                found.add(diagnostic.code)
    return found


def _fix_safety(rule: type[Rule]) -> str:
    doc = rule.docs()
    start = doc.index("## Fix safety")
    ends = [doc.find(h, start + 1) for h in ("\n## ", "\n### ")]
    return doc[start : min((e for e in ends if e > 0), default=len(doc))]


# A sentence of the section that says when the fix is offered: "offered only when ...",
# "it is offered wherever ...", "is not offered for ...".
OFFERED = re.compile(r"\boffered\b[^.]*\b(?:when|where|wherever|for|only|with)\b", re.S)


def test_every_unsafe_fix_names_the_conditions_it_is_offered_under() -> None:
    """Issue 16: every unsafe fix's "Fix safety" section lists the conditions under which
    it is offered (the section says "unsafe" and has a sentence on when it is offered)."""
    unsafe_codes = _rules_with_unsafe_fixes()
    assert {"DSK101", "DSK201", "DSK501"} <= unsafe_codes  # the fixtures were linted
    missing = []
    for rule in RULES:
        if rule.code not in unsafe_codes:
            continue
        section = _fix_safety(rule)
        if "unsafe" not in section.lower() or not OFFERED.search(section):
            missing.append(rule.code)
    assert not missing, (
        f"Fix safety sections that do not say when the unsafe fix is offered: {missing}"
    )
