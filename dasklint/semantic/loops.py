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

from dasklint.semantic.size import ONE, Size
from dasklint.semantic.task_counts import iterable_size
from dasklint.semantic.tree import walk_subtree
from dasklint.semantic.values import literal_value

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


@dataclass(frozen=True, slots=True)
class Loop:
    """One loop around the current node."""

    node: cst.CSTNode  # the For, While or comprehension
    scope: cst.CSTNode | None  # the function it is in (None: module level)
    size: int | None  # iterations, when the source says
    targets: frozenset[str]  # names the loop binds per iteration
    # Iterations as :mod:`dasklint.semantic.sizes` reads them (exact or bounded); for a
    # halving reduction, the tasks of the whole tree (see :func:`halving_reduction`).
    estimate: Size | None = None
    halves: str | None = None  # the list a ``while len(xs) > 1`` reduction halves
    over_lazy: bool = False  # iterates over the pieces of a Dask value (``to_delayed()``)


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
    def estimate(self) -> Size | None:
        """Product of the loop estimates (exact only when every factor is); None when
        any is unknown or there is no loop."""
        if not self.loops:
            return None
        total = ONE
        for loop in self.loops:
            if loop.estimate is None:
                return None
            total = total * loop.estimate
        return total

    @property
    def halving(self) -> Loop | None:
        """The innermost halving reduction around the node, if any."""
        return next((loop for loop in reversed(self.loops) if loop.halves is not None), None)

    @property
    def targets(self) -> frozenset[str]:
        return frozenset().union(*(loop.targets for loop in self.loops))


_SIZED_WRAPPERS = frozenset({"list", "tuple", "sorted", "reversed", "enumerate", "set"})


def loop_size(model: ModelQueries, expr: cst.BaseExpression, hops: int = 2) -> int | None:
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


def halving_reduction(loop: cst.While) -> str | None:
    """``xs`` for a hand-written tree reduction: ``while len(xs) > 1:`` whose body
    rebinds ``xs`` and pairs its items (``xs[0::2]``, ``range(0, len(xs), 2)``,
    ``xs[i + 1]``). Each pass halves the list, so ``n`` items make ``n - 1`` tasks in all.
    """
    test = loop.test
    if not (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.left, cst.Call)
        and isinstance(test.left.func, cst.Name)
        and test.left.func.value == "len"
        and len(test.left.args) == 1
        and isinstance(test.left.args[0].value, cst.Name)
    ):
        return None
    name = test.left.args[0].value.value
    target = test.comparisons[0]
    bound = literal_value(target.comparator)
    if not (
        (isinstance(target.operator, cst.GreaterThan) and bound == 1)
        or (isinstance(target.operator, cst.GreaterThanEqual) and bound == 2)
        or (isinstance(target.operator, cst.NotEqual) and bound == 1)
    ):
        return None
    rebinds = pairs = False
    for node in walk_subtree(loop.body, prune=lambda n: isinstance(n, _SCOPES)):
        if isinstance(node, cst.Assign) and any(
            isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets
        ):
            rebinds = True
        elif isinstance(node, cst.Subscript) and _names(node.value, name):
            pairs = pairs or _pairs_items(node)
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
            pairs = pairs or (
                node.func.value == "range"
                and len(node.args) == 3
                and literal_value(node.args[2].value) == 2
                and any(_names(n, name) for n in walk_subtree(node.args[1].value))
            )
    return name if rebinds and pairs else None


def stops_early(loop: cst.CSTNode) -> bool:
    """A ``for`` or ``while`` loop whose own body has a ``break`` or ``return`` (a retry
    loop, not one run per item). Unlike :func:`dasklint.semantic.flow.exits_early`, it
    counts ``while`` loops and looks neither into nested loops nor into nested scopes."""
    if not isinstance(loop, (cst.For, cst.While)):
        return False
    inner = (*_SCOPES, cst.For, cst.While)
    return any(
        isinstance(node, (cst.Break, cst.Return))
        for node in walk_subtree(loop.body, prune=lambda n: isinstance(n, inner))
    )


def names_in(node: cst.CSTNode) -> frozenset[str]:
    """Every name written in ``node`` (attribute and keyword names too), not counting
    those inside the functions, lambdas and classes it defines."""
    return frozenset(
        n.value
        for n in walk_subtree(node, prune=lambda n: isinstance(n, _SCOPES))
        if isinstance(n, cst.Name)
    )


def _names(expr: cst.CSTNode, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name


def _pairs_items(node: cst.Subscript) -> bool:
    """``xs[0::2]``/``xs[1::2]`` or ``xs[i + 1]``."""
    if len(node.slice) != 1:
        return False
    part = node.slice[0].slice
    if isinstance(part, cst.Slice):
        return part.step is not None and literal_value(part.step) == 2
    return (
        isinstance(part, cst.Index)
        and isinstance(part.value, cst.BinaryOperation)
        and isinstance(part.value.operator, cst.Add)
        and literal_value(part.value.right) == 1
    )


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


__all__ = [
    "Loop", "LoopContext", "LoopStack", "halving_reduction", "loop_size", "names_in",
    "stops_early", "target_names",
]  # fmt: skip
