"""How many times the code being visited runs: the loops around it in its own function.

``for`` statements and comprehensions over ``range(<constant>)`` or a literal sequence
have a known size; nested loops multiply. Anything else (``while``, loops over data,
comprehensions with ``if`` filters) has an unknown size, which stays unknown: it is never
guessed large.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.tasks import iterable_size

if TYPE_CHECKING:
    from dasklint.semantic.model import SemanticModel

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


@dataclass(frozen=True, slots=True)
class Loop:
    """One loop around the current node."""

    node: cst.CSTNode  # the For, While or comprehension
    scope: cst.CSTNode | None  # the function it is in (None: module level)
    size: int | None  # iterations, when the source says
    targets: frozenset[str]  # names the loop binds per iteration


@dataclass(frozen=True, slots=True)
class LoopContext:
    """The loops around a node in its function, innermost last."""

    loops: tuple[Loop, ...]

    @property
    def in_loop(self) -> bool:
        return bool(self.loops)

    @property
    def iterations(self) -> int | None:
        """Product of the loop sizes; None when any size is unknown or there is no loop."""
        if not self.loops:
            return None
        total = 1
        for loop in self.loops:
            if loop.size is None:
                return None
            total *= loop.size
        return total

    @property
    def targets(self) -> frozenset[str]:
        return frozenset().union(*(loop.targets for loop in self.loops))


_SIZED_WRAPPERS = frozenset({"list", "tuple", "sorted", "reversed", "enumerate", "set"})


def loop_size(model: SemanticModel, expr: cst.BaseExpression, hops: int = 2) -> int | None:
    """Iterations of a loop over ``expr`` when the source says: ``range(<constant>)``, a
    literal sequence, a name bound to one, ``list(...)``/``enumerate(...)`` of one,
    ``range(len(<one>))`` and ``zip`` of them (the shortest)."""
    size = iterable_size(model, expr)
    if size is not None or hops == 0:
        return size
    if isinstance(expr, cst.Name):
        binding = model.scopes.lookup(expr.value)
        if binding is not None and binding.value is not None and binding.tag is None:
            return loop_size(model, binding.value, hops - 1)
        return None
    if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name)):
        return None
    if model.scopes.lookup(expr.func.value) is not None:
        return None  # a local function shadows the builtin
    args = [a.value for a in expr.args if a.keyword is None and not a.star]
    name = expr.func.value
    if name in _SIZED_WRAPPERS and len(args) == 1:
        return loop_size(model, args[0], hops)
    if name == "zip" and args:
        sizes = [loop_size(model, a, hops) for a in args]
        known = [s for s in sizes if s is not None]
        return min(known) if known else None
    if (
        name == "range"
        and len(args) == 1
        and isinstance(args[0], cst.Call)
        and isinstance(args[0].func, cst.Name)
        and args[0].func.value == "len"
        and len(args[0].args) == 1
    ):
        return loop_size(model, args[0].args[0].value, hops)
    return None


def target_names(target: cst.BaseExpression) -> frozenset[str]:
    if isinstance(target, cst.Name):
        return frozenset({target.value})
    if isinstance(target, (cst.Tuple, cst.List)):
        return frozenset().union(*(target_names(e.value) for e in target.elements))
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return frozenset()


class LoopStack:
    """Loops entered and left during the traversal."""

    def __init__(self) -> None:
        self._stack: list[Loop] = []

    def push(self, loop: Loop) -> None:
        self._stack.append(loop)

    def pop(self, node: cst.CSTNode) -> None:
        if self._stack and self._stack[-1].node is node:
            self._stack.pop()

    def context(self, scope: cst.CSTNode | None, first_iterables: set[int]) -> LoopContext:
        """Loops of ``scope`` around the current node; ``first_iterables`` are the
        comprehensions whose outermost iterable (evaluated once) holds the node."""
        loops = tuple(
            loop
            for loop in self._stack
            if loop.scope is scope and id(loop.node) not in first_iterables
        )
        return LoopContext(loops)


__all__ = ["Loop", "LoopContext", "LoopStack", "loop_size", "target_names"]
