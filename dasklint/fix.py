"""What a fix is: a title, an applicability, node edits, and imports to add or remove.

Rules build :class:`Fix` values and attach them to their reports; the engine applies them
(``dasklint.engine.fixes``). Nothing here imports ``libcst.codemod``: it costs about
0.4 s to import, so the check path never loads it. :class:`ImportSpec` carries the same
fields as libcst's ``ImportItem`` and is converted to one only when a fix is applied.
"""

from __future__ import annotations

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

    title: str
    applicability: Applicability
    edits: tuple[NodeEdit, ...]
    add_imports: tuple[ImportSpec, ...] = ()
    remove_imports: tuple[ImportSpec, ...] = ()

    @classmethod
    def replace(
        cls,
        title: str,
        applicability: Applicability,
        node: cst.CSTNode,
        replacement: Replacement,
        **imports: tuple[ImportSpec, ...],
    ) -> Fix:
        return cls(title, applicability, (NodeEdit(node, replacement),), **imports)


def safe(
    title: str, node: cst.CSTNode, replacement: Replacement, **imports: tuple[ImportSpec, ...]
) -> Fix:
    return Fix.replace(title, Applicability.SAFE, node, replacement, **imports)


def unsafe(
    title: str, node: cst.CSTNode, replacement: Replacement, **imports: tuple[ImportSpec, ...]
) -> Fix:
    return Fix.replace(title, Applicability.UNSAFE, node, replacement, **imports)
