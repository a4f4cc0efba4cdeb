"""Where the values a function returns are made.

A task function that returns a Dask collection or a Delayed it built itself hands an unrun
graph back to the caller: ``compute`` does not look inside task results. The finding
belongs where that value is made, so this module follows each ``return`` value back to the
calls it comes from: through local names (their last assignment before the ``return``,
augmented assignments included), method chains (``u.T.reshape(...)`` comes from ``u``),
arithmetic, tuples, lists and comprehensions. A call of a name that is not assigned in the
function (``da.mean(x)``, ``helper(x)``) is an origin; methods that produce plain values
(``.compute()``, ``.result()``) end the trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from dasklint.semantic.collections import PLAIN_ATTRIBUTES
from dasklint.semantic.names import dotted_parts

# Methods whose result is a plain value, not the collection they are called on.
_RESULT_METHODS = frozenset({"compute", "result", "tolist", "to_numpy", "item", "load"})
_NESTED = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp)


@dataclass(slots=True)
class _Body:
    """Assignments (by name, in order) and returns of one function, nested ones excluded."""

    assigned: dict[str, list[tuple[int, cst.BaseExpression, bool]]] = field(default_factory=dict)
    returns: list[tuple[int, cst.BaseExpression]] = field(default_factory=list)
    order: int = 0

    def read(self, node: cst.CSTNode) -> None:
        for child in node.children:
            if isinstance(child, _NESTED):
                continue
            self.order += 1
            if isinstance(child, cst.Return) and child.value is not None:
                self.returns.append((self.order, child.value))
            elif isinstance(child, cst.Assign):
                for target in child.targets:
                    self._bind(target.target, child.value, augmented=False)
            elif isinstance(child, cst.AnnAssign) and child.value is not None:
                self._bind(child.target, child.value, augmented=False)
            elif isinstance(child, cst.AugAssign):
                self._bind(child.target, child.value, augmented=True)
            self.read(child)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression, augmented: bool) -> None:
        if isinstance(target, cst.Name):
            self.assigned.setdefault(target.value, []).append((self.order, value, augmented))
        elif isinstance(target, (cst.Tuple, cst.List)):
            # ``u, s, v = svd(...)``: each name comes from the call on the right.
            for element in target.elements:
                self._bind(element.value, value, augmented)


def returned_origins(definition: cst.FunctionDef) -> list[cst.Call]:
    """The calls the function's return values are built from, in source order."""
    body = _Body()
    body.read(definition.body)
    found: list[cst.Call] = []
    for order, value in body.returns:
        for call in _origins(body, value, order, set()):
            if call not in found:
                found.append(call)
    return found


def _origins(
    body: _Body, expr: cst.BaseExpression, before: int, seen: set[tuple[str, int]]
) -> list[cst.Call]:
    if isinstance(expr, cst.Name):
        out: list[cst.Call] = []
        for order, value, augmented in reversed(body.assigned.get(expr.value, [])):
            if order >= before or (expr.value, order) in seen:
                continue
            seen.add((expr.value, order))
            out.extend(_origins(body, value, order, seen))
            if not augmented:
                break  # ``x = ...``: earlier values are gone; ``x += ...`` keeps them
        return out
    if isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Attribute):
            if func.attr.value in _RESULT_METHODS:
                return []
            parts = dotted_parts(func.value)
            if parts is None or parts[0] in body.assigned:
                return _origins(body, func.value, before, seen)  # a method of a local value
        return [expr]
    if isinstance(expr, cst.Attribute):
        if expr.attr.value in PLAIN_ATTRIBUTES:
            return []
        return _origins(body, expr.value, before, seen)
    if isinstance(expr, cst.Subscript):
        return _origins(body, expr.value, before, seen)
    if isinstance(expr, cst.BinaryOperation):
        return _origins(body, expr.left, before, seen) + _origins(body, expr.right, before, seen)
    if isinstance(expr, (cst.Tuple, cst.List)):
        return [c for e in expr.elements for c in _origins(body, e.value, before, seen)]
    if isinstance(expr, _COMPREHENSIONS):
        return _origins(body, expr.elt, before, seen)
    return []


__all__ = ["returned_origins"]
