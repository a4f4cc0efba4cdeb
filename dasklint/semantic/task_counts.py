"""How many tasks the arguments of ``dask.compute(...)`` create, when the source says so.

Only what is written counts: ``*[delayed(f)(i) for i in range(4)]``, a list display of
delayed calls, or a name bound once to one of those. Unknown sizes stay unknown (None),
never guessed.

Names are looked up in the scope, not along the flow of the code, so in
``xs = [x for x in xs]`` the ``xs`` iterated resolves to that comprehension itself: the
values being expanded are carried along (``expanding``), and a name that leads back to
one of them, or a chain longer than :data:`MAX_CHAIN`, has an unknown size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.collections import CollectionKind

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

# Names followed in one size question, at most (``a = [..]; b = [x for x in a]; ...``).
MAX_CHAIN = 32

Expanding = frozenset[int]  # ids of the bound values being expanded


def count_tasks(model: ModelQueries, args: list[cst.Arg]) -> int | None:
    """Total number of delayed tasks passed positionally, or None if any count is unknown."""
    total = 0
    for arg in args:
        count = _count(model, arg.value, starred=bool(arg.star), hops=1, expanding=frozenset())
        if count is None:
            return None
        total += count
    return total


def _count(
    model: ModelQueries,
    expr: cst.BaseExpression,
    *,
    starred: bool,
    hops: int,
    expanding: Expanding,
) -> int | None:
    if isinstance(expr, cst.Name) and hops > 0:
        binding = model.scopes.lookup(expr.value)
        if binding is not None and binding.value is not None and binding.tag is None:
            value = binding.value
            if not _may_expand(value, expanding):
                return None
            return _count(
                model, value, starred=starred, hops=hops - 1, expanding=expanding | {id(value)}
            )
    if isinstance(expr, (cst.ListComp, cst.GeneratorExp)):
        if model.collection_kind(expr.elt) is not CollectionKind.DELAYED:
            return None
        return _iterations(model, expr.for_in, expanding)
    if isinstance(expr, (cst.List, cst.Tuple)):
        counts = [
            _count(model, element.value, starred=False, hops=hops, expanding=expanding)
            for element in expr.elements
        ]
        if any(c is None for c in counts):
            return None
        return sum(c for c in counts if c is not None)
    if not starred and model.collection_kind(expr) is CollectionKind.DELAYED:
        return 1
    return None


def _iterations(model: ModelQueries, comp_for: cst.CompFor, expanding: Expanding) -> int | None:
    """Iterations of ``for x in range(...)`` / ``for x in [..]`` clauses, multiplied."""
    if comp_for.ifs:
        return None
    size = iterable_size(model, comp_for.iter, expanding=expanding)
    if size is None:
        return None
    if comp_for.inner_for_in is not None:
        inner = _iterations(model, comp_for.inner_for_in, expanding)
        return None if inner is None else size * inner
    return size


def iterable_size(
    model: ModelQueries,
    expr: cst.BaseExpression,
    hops: int = 1,
    *,
    expanding: Expanding = frozenset(),
) -> int | None:
    """Items of a literal display, a ``range`` of constants, or a list comprehension over
    them, also through a name bound to one (one hop per name; a later ``append`` is not
    seen)."""
    if isinstance(expr, cst.Name) and hops > 0:
        binding = model.scopes.lookup(expr.value)
        if binding is not None and binding.value is not None:
            value = binding.value
            if not _may_expand(value, expanding):
                return None
            return iterable_size(model, value, hops - 1, expanding=expanding | {id(value)})
        return None
    if isinstance(expr, cst.ListComp):
        return _iterations(model, expr.for_in, expanding)
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        if any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return None
        return len(expr.elements)
    if (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Name)
        and expr.func.value == "range"
        and model.scopes.lookup("range") is None
        and 1 <= len(expr.args) <= 3
        and all(a.keyword is None and not a.star for a in expr.args)
    ):
        bounds = []
        for arg in expr.args:
            constant = model.constant(arg.value)
            if constant is None or not isinstance(constant.value, int):
                return None
            bounds.append(constant.value)
        return len(range(*bounds)) if bounds[-1] != 0 or len(bounds) < 3 else None
    return None


def _may_expand(value: cst.CSTNode, expanding: Expanding) -> bool:
    """``value`` is not already being expanded, and the chain is not too long."""
    return id(value) not in expanding and len(expanding) < MAX_CHAIN


__all__ = ["MAX_CHAIN", "count_tasks", "iterable_size"]
