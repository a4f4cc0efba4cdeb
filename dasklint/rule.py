"""The base class every rule derives from.

A rule is a libcst ``BatchableCSTVisitor``: the engine runs all enabled rules in one
batched traversal of the module. Rules never compare names themselves; they ask the
shared :class:`~dasklint.semantic.SemanticModel` (``self.model``). A rule that needs
the whole module (effective schedulers, for instance) reports from :meth:`finish`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from dasklint.dask_version import DEFAULT_TARGET_DASK_VERSION, DaskVersion
from dasklint.diagnostics import Confidence, FixAvailability, Severity
from dasklint.fix import Fix
from dasklint.semantic import SemanticModel
from dasklint.semantic.origin import Origin

OptionValue = bool | int | str | list[str]


@dataclass(frozen=True, slots=True)
class RuleOption:
    """A setting under ``[tool.dasklint.rules.<code-or-name>]``."""

    name: str
    default: OptionValue
    description: str

    def validate(self, value: object) -> OptionValue:
        expected = type(self.default)
        if expected is list:
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return list(value)
        elif type(value) is expected:
            return value  # type: ignore[return-value,unused-ignore]
        raise TypeError(f"expected {expected.__name__}, got {type(value).__name__}")


CHECK_TESTS = RuleOption(
    "check-tests",
    False,
    "Also report in test files (`test_*.py`, `*_test.py`, `conftest.py`, files under "
    "`tests/`) and benchmark suites (`benchmarks/`, `asv_bench/`), where the pattern is "
    "usually the point of the code.",
)


@dataclass(frozen=True, slots=True)
class Report:
    """A finding as a rule sees it: a node and a message; positions come later.

    ``message`` names the problem in under 100 characters; ``help`` is the suggested
    change and ``notes`` say why (the explanation, measured numbers, the citation)."""

    rule: type[Rule]
    node: cst.CSTNode
    message: str
    severity: Severity
    fix: Fix | None = None
    confidence: Confidence = Confidence.HIGH
    help: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class RuleContext:
    """What a rule may know about the file besides its syntax tree."""

    model: SemanticModel
    filename: str
    is_test_file: bool
    options: dict[str, OptionValue] = field(default_factory=dict)
    reports: list[Report] = field(default_factory=list)
    module: cst.Module | None = None  # the tree the rule visits, for fixes that need it
    target_dask_version: DaskVersion = DEFAULT_TARGET_DASK_VERSION  # `target-dask-version`

    @property
    def origin(self) -> Origin:
        """A script, a notebook or a notebook export (kept by the model)."""
        return self.model.origin

    @property
    def interactive(self) -> bool:
        """Whether the module runs in an interactive kernel (a notebook or an export of
        one): no ``__main__`` guard is needed there, and a Client is meant to stay open."""
        return self.model.origin.interactive


class Rule(cst.BatchableCSTVisitor):
    """Base class of all rules; subclasses set the class attributes and report findings."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]  # one line, used by `dasklint rule --all`
    severity: ClassVar[Severity] = Severity.WARNING
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NONE
    # What the fix does ("safe: ...", "unsafe: ..."), or "none"; with `fix_availability`
    # "None" and a summary, the fix is planned and not offered yet.
    fix_summary: ClassVar[str] = ""
    default_enabled: ClassVar[bool] = True
    # A performance pattern that tests and benchmark suites write on purpose (computing in a
    # loop, tiny chunks, every scheduler): not reported there unless `check-tests` is set,
    # globally or in the rule's options (which such a rule always accepts).
    deliberate_in_tests: ClassVar[bool] = False
    # Codes of rules whose finding at the same source position this rule's finding
    # replaces (it names them in a note): see dasklint.engine.lint.overlaps.
    supersedes: ClassVar[frozenset[str]] = frozenset()
    options: ClassVar[tuple[RuleOption, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.deliberate_in_tests and CHECK_TESTS not in cls.options:
            cls.options = (*cls.options, CHECK_TESTS)

    def __init__(self, context: RuleContext) -> None:
        super().__init__()
        self.context = context
        self.model = context.model

    def report(
        self,
        node: cst.CSTNode,
        message: str | None = None,
        *,
        severity: Severity | None = None,
        fix: Fix | None = None,
        confidence: Confidence = Confidence.HIGH,
        help: str | None = None,
        notes: tuple[str, ...] | list[str] = (),
    ) -> None:
        """Report ``node``. ``message`` names the problem (under 100 characters), ``help``
        suggests the change and ``notes`` explain it (numbers, citation). ``confidence``
        says how sure the finding is (see :class:`~dasklint.diagnostics.Confidence`);
        below ``high`` it is for findings whose receiver or value the source does not
        prove to be Dask's."""
        self.context.reports.append(
            Report(
                type(self),
                node,
                message or self.summary,
                severity or self.severity,
                fix,
                confidence,
                help,
                tuple(note for note in notes if note),
            )
        )

    @property
    def module(self) -> cst.Module:
        """The module being linted (rules use it to build fixes)."""
        assert self.context.module is not None, "the engine sets the module"
        return self.context.module

    def option(self, name: str) -> OptionValue:
        if name in self.context.options:
            return self.context.options[name]
        for option in self.options:
            if option.name == name:
                return option.default
        raise KeyError(f"{self.code} has no option {name!r}")

    def finish(self) -> None:
        """Called once after the traversal, when the semantic model is complete."""

    @classmethod
    def docs(cls) -> str:
        """The rule's Markdown documentation (its class docstring, dedented)."""
        import inspect

        doc = inspect.cleandoc(cls.__doc__ or "")
        if cls.deliberate_in_tests and f"`{CHECK_TESTS.name}`" not in doc:
            doc = _add_option(doc, CHECK_TESTS)
        return doc


def _add_option(doc: str, option: RuleOption) -> str:
    """``doc`` with ``option`` listed under "## Options" (made before "## References")."""
    default = str(option.default).lower() if isinstance(option.default, bool) else option.default
    entry = f"- `{option.name}` ({type(option.default).__name__}, default `{default}`): "
    entry += option.description[0].lower() + option.description[1:]
    if "## Options\n" in doc:
        head, tail = doc.split("## Options\n", 1)
        after = tail.find("\n## ")
        if after < 0:
            return f"{doc.rstrip()}\n{entry}\n"
        return f"{head}## Options\n{tail[:after].rstrip()}\n{entry}\n{tail[after:]}"
    if "## References" in doc:
        head, tail = doc.split("## References", 1)
        return f"{head}## Options\n{entry}\n\n## References{tail}"
    return f"{doc.rstrip()}\n\n## Options\n{entry}\n"
