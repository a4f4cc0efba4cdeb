"""How many items a loop or a ``map`` runs over, and how sure the source is of it.

A size is *exact* when the source writes it: ``range(1000)``, a literal list, a name bound
to one, ``len`` of one, the first dimension of a NumPy array made with a literal shape
(``np.random.rand(10_000, 1)``), the futures of ``client.map`` over any of these, a slice
``items[0::2]`` of one. It is *bounded* when it comes from a parameter's default value, or
from the literals the module passes for a parameter without one
(:mod:`dasklint.semantic.callsites`): another caller may pass another. Everything else
is unknown (None) and never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.arraychunks import numpy_shape
from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.names import BindingKind
from dasklint.semantic.size import ONE, Size
from dasklint.semantic.values import literal_value

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

# Builtins whose result has as many items as their (first) argument.
_SAME_SIZE = frozenset({"list", "tuple", "sorted", "reversed", "enumerate", "iter"})
_HOPS = 3


def size_of(model: ModelQueries, expr: cst.BaseExpression, hops: int = _HOPS) -> Size | None:
    """Items of the iterable ``expr``, when the source says."""
    if isinstance(expr, cst.Name):
        return _name(model, expr, hops, size_of)
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        if any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return None
        return Size(len(expr.elements))
    if isinstance(expr, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):
        return comprehension_size(model, expr.for_in, hops)
    if isinstance(expr, cst.Subscript):
        return _slice(model, expr, hops)
    if isinstance(expr, cst.Call):
        return _call(model, expr, hops)
    return None


def comprehension_size(
    model: ModelQueries, comp_for: cst.CompFor, hops: int = _HOPS
) -> Size | None:
    """Iterations of a comprehension's ``for`` clauses, multiplied (unknown with ``if``)."""
    total = ONE
    clause: cst.CompFor | None = comp_for
    while clause is not None:
        if clause.ifs:
            return None
        size = size_of(model, clause.iter, hops)
        if size is None:
            return None
        total = total * size
        clause = clause.inner_for_in
    return total


def int_value(model: ModelQueries, expr: cst.BaseExpression, hops: int = _HOPS) -> Size | None:
    """A non-negative integer the source writes: a literal, a name bound to one (a
    parameter default is only a bound), ``len(...)`` of a known size, or arithmetic of
    these."""
    value = literal_value(expr)
    if isinstance(value, int) and not isinstance(value, bool):
        return Size(value) if value >= 0 else None
    if isinstance(expr, cst.Name):
        return _name(model, expr, hops, int_value)
    if isinstance(expr, cst.BinaryOperation):
        left, right = int_value(model, expr.left, hops), int_value(model, expr.right, hops)
        if left is None or right is None:
            return None
        result = _arithmetic(expr.operator, left.value, right.value)
        return Size(result, left.exact and right.exact) if result is not None else None
    if isinstance(expr, cst.Call) and _builtin(model, expr.func) in ("len", "int"):
        args = _positional(expr)
        if len(args) != 1:
            return None
        if _builtin(model, expr.func) == "int":
            return int_value(model, args[0], hops)
        return size_of(model, args[0], hops)
    return None


def _name(
    model: ModelQueries,
    expr: cst.Name,
    hops: int,
    follow: Callable[[ModelQueries, cst.BaseExpression, int], Size | None],
) -> Size | None:
    """Follow a name to the value bound to it (a parameter's default is a bound)."""
    if hops <= 0:
        return None
    binding = model.scopes.lookup(expr.value)
    if binding is not None and binding.kind is BindingKind.PARAMETER and binding.value is None:
        # No default: the module's own calls of the function may bound it.
        return model.call_sites.bound(model.function_node(), expr.value)
    if binding is None or binding.value is None:
        return None
    if binding.kind is BindingKind.PARAMETER:
        found = follow(model, binding.value, hops - 1)
        return Size(found.value, exact=False) if found is not None else None
    if binding.kind is not BindingKind.VALUE:
        return None
    return follow(model, binding.value, hops - 1)


def _arithmetic(operator: cst.BaseBinaryOp, left: int, right: int) -> int | None:
    if isinstance(operator, cst.Add):
        return left + right
    if isinstance(operator, cst.Subtract):
        return left - right if left >= right else None
    if isinstance(operator, cst.Multiply):
        return left * right
    if isinstance(operator, cst.FloorDivide):
        return left // right if right else None
    if isinstance(operator, cst.Power):
        return left**right if right <= 64 else None
    return None


def _call(model: ModelQueries, call: cst.Call, hops: int) -> Size | None:
    args = _positional(call)
    builtin = _builtin(model, call.func)
    if builtin == "range" and 1 <= len(args) <= 3 and len(args) == len(call.args):
        bounds = [int_value(model, a, hops) for a in args]
        if any(b is None for b in bounds):
            return None
        known = [b for b in bounds if b is not None]
        if len(known) == 3 and known[2].value == 0:
            return None
        exact = all(b.exact for b in known)
        return Size(len(range(*(b.value for b in known))), exact)
    if builtin in _SAME_SIZE and len(args) == 1:
        return size_of(model, args[0], hops)
    if builtin in ("zip", "map"):
        iterables = args if builtin == "zip" else args[1:]
        sizes = [size_of(model, a, hops) for a in iterables]
        known = [s for s in sizes if s is not None]
        if not known or (builtin == "map" and len(known) < len(sizes)):
            return None
        return min(known, key=lambda s: s.value)
    func = call.func
    if (
        isinstance(func, cst.Attribute)
        and func.attr.value == "map"
        and args
        and model.collection_kind(func.value) is CollectionKind.CLIENT
    ):
        return size_of(model, args[1], hops) if len(args) > 1 else None
    shape = numpy_shape(model, call)
    return Size(shape[0]) if shape else None


def _slice(model: ModelQueries, expr: cst.Subscript, hops: int) -> Size | None:
    """``items[a:b:c]`` of a known size, with constant (or absent) bounds."""
    if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Slice):
        return None
    part = expr.slice[0].slice
    assert isinstance(part, cst.Slice)
    whole = size_of(model, expr.value, hops)
    if whole is None:
        return None
    bounds: list[int | None] = []
    for bound in (part.lower, part.upper, part.step):
        if bound is None:
            bounds.append(None)
            continue
        value = literal_value(bound)
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        bounds.append(value)
    if bounds[2] == 0:
        return None
    return Size(len(range(whole.value)[slice(*bounds)]), whole.exact)


def _positional(call: cst.Call) -> list[cst.BaseExpression]:
    return [a.value for a in call.args if a.keyword is None and not a.star]


def _builtin(model: ModelQueries, func: cst.BaseExpression) -> str | None:
    """The builtin's name when ``func`` is one that no local binding shadows."""
    if isinstance(func, cst.Name) and model.scopes.lookup(func.value) is None:
        return func.value
    return None


__all__ = ["comprehension_size", "int_value", "size_of"]
