"""What a fix is: a title, an applicability, node edits, and imports to add or remove.

Rules build :class:`Fix` values and attach them to their reports; the engine applies them
(``dasklint.engine.fix.apply``). Nothing here imports ``libcst.codemod``: it costs about
0.4 s to import, so the check path never loads it. :class:`ImportSpec` carries the same
fields as libcst's ``ImportItem`` and is converted to one only when a fix is applied.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from dasklint.diagnostics import Applicability

# What a node may be replaced with: a node, several nodes (in a sequence such as a block's
# statements or a call's arguments), or nothing.
Replacement = cst.CSTNode | cst.FlattenSentinel[cst.CSTNode] | cst.RemovalSentinel


@dataclass(frozen=True, slots=True, eq=False)
class NodeEdit:
    """Replace ``node`` (matched by identity in the module the rule saw)."""

    node: cst.CSTNode
    replacement: Replacement


class DeferredEdit:
    """Replace ``node`` with what ``build`` returns, built on first use.

    For rewrites whose cost grows with the code they move (the LocalCluster codemod
    re-indents the rest of a block): a check that only lists fixes never builds them, and
    the fix loop builds only those it applies, so many findings in one block cost linear
    time instead of quadratic."""

    __slots__ = ("_build", "_built", "node")

    def __init__(self, node: cst.CSTNode, build: Callable[[], Replacement]) -> None:
        self.node = node
        self._build = build
        self._built: Replacement | None = None

    @property
    def replacement(self) -> Replacement:
        if self._built is None:
            self._built = self._build()
        return self._built


Edit = NodeEdit | DeferredEdit


@dataclass(frozen=True, slots=True)
class ImportSpec:
    """``import module`` / ``from module import name [as alias]`` (libcst's ImportItem)."""

    module: str
    name: str | None = None
    alias: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Fix:
    """One titled rewrite. Imports are added without duplicates, and removed only when
    nothing uses them any more (libcst's ``AddImportsVisitor``/``RemoveImportsVisitor``)."""

    title: str  # what the fix does, in a few words: an editor's code action, a `help:` line
    applicability: Applicability
    edits: tuple[Edit, ...]
    add_imports: tuple[ImportSpec, ...] = ()
    remove_imports: tuple[ImportSpec, ...] = ()
    caveat: str = ""  # what an unsafe fix may change in the program's behaviour

    @classmethod
    def replace(
        cls,
        title: str,
        applicability: Applicability,
        node: cst.CSTNode,
        replacement: Replacement,
        *,
        caveat: str = "",
        add_imports: tuple[ImportSpec, ...] = (),
        remove_imports: tuple[ImportSpec, ...] = (),
    ) -> Fix:
        edits = (NodeEdit(node, replacement),)
        return cls(title, applicability, edits, add_imports, remove_imports, caveat)


def with_caveat(fix: Fix | None, caveat: str) -> Fix | None:
    """``fix`` with what it may change, for an unsafe fix built in several places."""
    if fix is None or fix.applicability is Applicability.SAFE:
        return fix
    return dataclasses.replace(fix, caveat=caveat)


def safe(
    title: str,
    node: cst.CSTNode,
    replacement: Replacement,
    *,
    add_imports: tuple[ImportSpec, ...] = (),
    remove_imports: tuple[ImportSpec, ...] = (),
) -> Fix:
    return Fix.replace(
        title,
        Applicability.SAFE,
        node,
        replacement,
        add_imports=add_imports,
        remove_imports=remove_imports,
    )


def unsafe(
    title: str,
    node: cst.CSTNode,
    replacement: Replacement,
    caveat: str = "",
    *,
    add_imports: tuple[ImportSpec, ...] = (),
    remove_imports: tuple[ImportSpec, ...] = (),
) -> Fix:
    """An unsafe fix; ``caveat`` says what it may change (shown with the fix, not in its
    title)."""
    return Fix.replace(
        title,
        Applicability.UNSAFE,
        node,
        replacement,
        caveat=caveat,
        add_imports=add_imports,
        remove_imports=remove_imports,
    )
