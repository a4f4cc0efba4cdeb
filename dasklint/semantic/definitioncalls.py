"""The calls written in a function definition (its decorators, defaults and body, nested
functions included), kept per definition once read.

The task rules look inside a function that runs as a task for what it calls: the first
computation there (DSK310), a ``param.load()`` (DSK310), a call that builds Delayed
objects (DSK307). Several of them ask about the same definition.
"""

from __future__ import annotations

import libcst as cst

from dasklint.semantic.tree import walk_subtree


class DefinitionCalls:
    """``Call`` nodes below a node, read on the first question about it and kept."""

    def __init__(self) -> None:
        self._calls: dict[int, tuple[cst.CSTNode, tuple[cst.Call, ...]]] = {}

    def of(self, node: cst.CSTNode) -> tuple[cst.Call, ...]:
        """The calls in ``node``, each before the calls inside its arguments (among
        siblings, the last written comes first)."""
        known = self._calls.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        calls = tuple(n for n in walk_subtree(node) if isinstance(n, cst.Call))
        self._calls[id(node)] = (node, calls)
        return calls


__all__ = ["DefinitionCalls"]
