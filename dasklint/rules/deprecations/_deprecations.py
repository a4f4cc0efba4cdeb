"""What the deprecated-API rules (DSK10xx) share: the version gate, the message shape, and
the detection of calls and imports of a deprecated qualified name.

A rule reports only when ``target-dask-version`` is at or after the release that
deprecated the API: as an error when the target is at or after the release that removed
it, as a warning before that. Every message names both releases and the replacement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from dasklint.dask_version import DaskVersion, format_dask_version, parse_dask_version
from dasklint.diagnostics import Severity
from dasklint.fix import Fix, ImportSpec
from dasklint.rule import Rule, RuleContext
from dasklint.semantic import CollectionKind
from dasklint.semantic.names import Binding, BindingKind, canonical_name, dotted_parts


@dataclass(frozen=True, slots=True)
class Release:
    """A release of Dask or distributed, and the Dask version the target is compared with.

    distributed has numbered its releases like Dask since 2021; an older distributed
    release is compared as the Dask release of the same time (``label`` keeps its own
    number for messages).
    """

    version: DaskVersion
    package: str = "Dask"
    label: str = ""

    def __str__(self) -> str:
        return f"{self.package} {self.label or format_dask_version(self.version)}"


def dask(version: str) -> Release:
    return Release(parse_dask_version(version))


def distributed(version: str, same_time_as_dask: str | None = None) -> Release:
    if same_time_as_dask is None:
        return Release(parse_dask_version(version), "distributed")
    return Release(parse_dask_version(same_time_as_dask), "distributed", version)


@dataclass(frozen=True, slots=True)
class Deprecation:
    """One deprecated API: what it is, when it was deprecated and removed, what replaces it."""

    subject: str  # as messages show it, e.g. "`get=`"
    deprecated: Release
    removed: Release | None
    advice: str  # the replacement, as an imperative: "use `scheduler=` instead"
    about: str = ""  # what the subject is, when its spelling does not say (a note)

    def severity(self, target: DaskVersion) -> Severity | None:
        """Error once removed, warning once deprecated, None (do not report) before."""
        if target < self.deprecated.version:
            return None
        if self.removed is not None and target >= self.removed.version:
            return Severity.ERROR
        return Severity.WARNING

    def message(
        self,
        target: DaskVersion,
        consequence: str = "",
        *,
        subject: str | None = None,
        advice: str | None = None,
    ) -> Wording:
        """``consequence`` (what happens on a release that removed it) is only shown once
        the target has removed the API."""
        what = subject or self.subject
        removed = self.removed
        notes: list[str] = []
        if removed is not None and target >= removed.version:
            text = f"{what} was removed in {removed}"
            since = f"deprecated in {_after(self.deprecated, removed)}"
            if len(text) + len(since) + 3 <= MESSAGE_LIMIT:
                text += f" ({since})"
            else:
                notes.append(since)
            if consequence:
                notes.insert(0, consequence)
        else:
            text = f"{what} is deprecated since {self.deprecated}"
            if removed is not None:
                text += f" and removed in {_after(removed, self.deprecated)}"
        if self.about:
            notes.append(self.about)
        return Wording(text, advice or self.advice, tuple(notes))


MESSAGE_LIMIT = 100  # characters of a short message


@dataclass(frozen=True, slots=True)
class Wording:
    """A finding's short message, its suggested change and its notes."""

    message: str
    help: str
    notes: tuple[str, ...]


def _after(release: Release, named: Release) -> str:
    """``release`` where ``named`` was just written: the number alone when both are of
    the same package (``removed in distributed 2025.4.0 (deprecated in 2024.7.0)``)."""
    if release.package == named.package:
        return release.label or format_dask_version(release.version)
    return str(release)


def report(
    rule: Rule,
    node: cst.CSTNode,
    deprecation: Deprecation,
    consequence: str = "",
    *,
    subject: str | None = None,
    advice: str | None = None,
    fix: Fix | None = None,
) -> bool:
    """Report ``node`` if the target version has the deprecation; whether it did."""
    target = rule.context.target_dask_version
    severity = deprecation.severity(target)
    if severity is None:
        return False
    words = deprecation.message(target, consequence, subject=subject, advice=advice)
    rule.report(node, words.message, severity=severity, fix=fix, help=words.help, notes=words.notes)
    return True


def applies(rule: Rule, deprecation: Deprecation) -> bool:
    """The target version has this deprecation (so a fix is worth building)."""
    return deprecation.severity(rule.context.target_dask_version) is not None


def rename_keyword(arg: cst.Arg, name: str, value: cst.BaseExpression | None = None) -> cst.Arg:
    """``old=value`` as ``name=value`` (or ``name=new value``), spacing kept."""
    return arg.with_changes(keyword=cst.Name(name), value=value or arg.value)


class DeprecatedNameRule(Rule):
    """A rule about deprecated qualified names (``distributed.Executor``, ...).

    Each call of such a name is reported (the rule may attach a fix); a ``from ... import``
    of a removed name is reported where no reported call accounts for it, because the
    import itself fails there. Names used other than by calling them are not followed.
    """

    deprecated_names: ClassVar[dict[str, Deprecation]]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        # (alias, its statement, qualified name, name it binds) of removed names imported
        self._imports: list[tuple[cst.ImportAlias, cst.ImportFrom, str, str]] = []
        self._called: set[tuple[int, str]] = set()  # (id of the import, name bound by it)

    def consequence(self, qualified: str) -> str:
        """What happens where the API was removed (the subclass says)."""
        return ""

    def fix_for(self, call: cst.Call, qualified: str) -> Fix | None:
        return None

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = dotted_parts(node.module)
        if module is None:
            return
        for alias in node.names:
            name = dotted_parts(alias.name)
            if name is None:
                continue
            qualified = canonical_name(".".join([*module, *name]))
            if qualified in self.deprecated_names:
                self._imports.append((alias, node, qualified, _bound_name(alias)))

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.model.qualified_name(node.func)
        deprecation = self.deprecated_names.get(qualified or "")
        if qualified is None or deprecation is None:
            return
        fix = self.fix_for(node, qualified) if applies(self, deprecation) else None
        reported = report(self, node.func, deprecation, self.consequence(qualified), fix=fix)
        if reported and isinstance(node.func, cst.Name):
            binding = self.model.scopes.lookup(node.func.value)
            if binding is not None and binding.node is not None:
                self._called.add((id(binding.node), node.func.value))

    def finish(self) -> None:
        target = self.context.target_dask_version
        for alias, statement, qualified, bound in self._imports:
            deprecation = self.deprecated_names[qualified]
            removed = deprecation.removed
            if removed is None or target < removed.version:
                continue  # the import works; calls are reported where they happen
            if (id(statement), bound) not in self._called:
                report(self, alias, deprecation, self.consequence(qualified))


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    parts = dotted_parts(alias.name)
    return parts[0] if parts else ""


def renamed_reference(
    rule: Rule, expr: cst.BaseExpression, new_name: str
) -> tuple[cst.BaseExpression, tuple[ImportSpec, ...], tuple[ImportSpec, ...]] | None:
    """``expr`` (a name of a deprecated object) spelled as ``new_name`` from the same module:
    the replacement, the imports to add and the imports to remove when unused.

    ``distributed.local_client`` becomes ``distributed.worker_client``; a name bound by
    ``from M import local_client`` becomes ``worker_client`` imported from ``M``. None
    when the new name is already bound to something else in the module.
    """
    if isinstance(expr, cst.Attribute):
        return expr.with_changes(attr=cst.Name(new_name)), (), ()
    if not isinstance(expr, cst.Name):
        return None
    binding = rule.model.scopes.lookup(expr.value)
    statement = binding.node if binding is not None else None
    if (
        binding is None
        or binding.kind is not BindingKind.IMPORT
        or not isinstance(statement, cst.ImportFrom)
        or statement.module is None
        or isinstance(statement.names, cst.ImportStar)
    ):
        return None
    module_parts = dotted_parts(statement.module)
    alias = next((a for a in statement.names if _bound_name(a) == expr.value), None)
    original = dotted_parts(alias.name) if alias is not None else None
    if module_parts is None or alias is None or original is None:
        return None
    module = ".".join(module_parts)
    taken = rule.model.scopes.lookup(new_name)
    if taken is not None and not _imports_from(taken, module, new_name):
        return None
    asname = expr.value if alias.asname is not None else None
    return (
        cst.Name(new_name),
        (ImportSpec(module, new_name),),
        (ImportSpec(module, ".".join(original), asname),),
    )


def _imports_from(binding: Binding, module: str, name: str) -> bool:
    """``binding`` is ``from module import name`` (the replacement is already imported)."""
    node = binding.node
    if not isinstance(node, cst.ImportFrom) or node.module is None:
        return False
    if isinstance(node.names, cst.ImportStar):
        return False
    parts = dotted_parts(node.module)
    return (
        parts is not None
        and ".".join(parts) == module
        and any(_bound_name(a) == name and a.asname is None for a in node.names)
    )


# Steps after which a value derived from a Dask DataFrame is no longer one: a Dask Array
# (``values``), or a concrete pandas object (``head()``, ``compute()``).
_LEAVES_FRAME = frozenset(
    {"values", "to_dask_array", "to_records", "compute", "head", "tail", "to_delayed"}
)


def is_frame(rule: Rule, expr: cst.BaseExpression) -> bool:
    """``expr`` is a Dask DataFrame or Series as far as the source shows: the model tags
    it so, and no step of the written chain (or of the value a name is bound to, one
    assignment away) leads out of Dask DataFrames."""
    if rule.model.collection_kind(expr) is not CollectionKind.DATAFRAME:
        return False
    current: cst.BaseExpression = expr
    if isinstance(current, cst.Name):
        binding = rule.model.scopes.lookup(current.value)
        if binding is not None and binding.kind is BindingKind.VALUE and binding.value:
            current = binding.value
    while True:
        if isinstance(current, cst.Call):
            current = current.func
        elif isinstance(current, cst.Attribute):
            if current.attr.value in _LEAVES_FRAME:
                return False
            current = current.value
        elif isinstance(current, cst.Subscript):
            current = current.value
        else:
            return True
