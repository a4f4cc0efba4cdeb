"""Each node's parent in one module, kept by the semantic model after the traversal.

Rules that report from ``finish()`` (and the fixes they build) climb from a node to its
statement, block, loop or function. The table is built on the first question and kept
for the module, so every rule asks the same one.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from dasklint.semantic.tree import parent_table


class ParentLinks:
    """``id(node) -> parent`` for every node of a module, built on first use."""

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self._table: dict[int, cst.CSTNode] | None = None

    @property
    def table(self) -> dict[int, cst.CSTNode]:
        if self._table is None:
            self._table = parent_table(self._module)
        return self._table

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.table.get(id(node))

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        """``node``'s parent, its parent's parent, ... up to the module."""
        table = self.table
        current = table.get(id(node))
        while current is not None:
            yield current
            current = table.get(id(current))

    def inside(self, node: cst.CSTNode, outer: cst.CSTNode) -> bool:
        """``node`` is below ``outer`` (not ``outer`` itself)."""
        return any(a is outer for a in self.ancestors(node))


__all__ = ["ParentLinks"]
