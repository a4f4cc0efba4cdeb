"""Values of settings that the source shows indirectly.

Real programs rarely write ``scheduler="processes"`` on the compute call itself. They bind
it to a loop variable (``for s in ["threads", "processes"]: x.compute(scheduler=s)``), keep
it in a keyword dict (``kw = {"scheduler": "processes"}`` then ``x.compute(**kw)``), or store
an ``__init__`` parameter on the instance (``self.scheduler = scheduler``) and use it in
another method. This module holds what the model needs to follow those shapes: the
instance attributes assigned in a class's methods, resolved where they are assigned, and
the literal choices a loop variable takes.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from dasklint.semantic.values import Constant, dict_items, literal_value


@dataclass(frozen=True, slots=True)
class AttributeValue:
    """``self.attr = value``: the value, its constant (resolved in the assigning method,
    where parameter defaults are visible) and, for a dict display, its entries' constants."""

    value: cst.BaseExpression
    constant: Constant | None
    entries: dict[str, tuple[cst.BaseExpression, Constant | None]] | None


class InstanceAttributes:
    """Attributes assigned through a method's first parameter, per class.

    An attribute assigned twice with different constants has no known value; one assigned
    in a single place keeps it (``__init__`` usually runs before the other methods).
    """

    def __init__(self) -> None:
        self._values: dict[tuple[int, str], AttributeValue | None] = {}

    def record(self, owner: cst.ClassDef, attr: str, value: AttributeValue) -> None:
        key = (id(owner), attr)
        if key in self._values:
            before = self._values[key]
            same = (
                before is not None
                and before.constant is not None
                and value.constant is not None
                and before.constant.value == value.constant.value
            )
            self._values[key] = before if same else None
            return
        self._values[key] = value

    def lookup(self, owner: cst.ClassDef, attr: str) -> AttributeValue | None:
        return self._values.get((id(owner), attr))


def loop_choices(iterable: cst.BaseExpression | None) -> tuple[object, ...]:
    """The literal values of ``for name in ["threads", "processes"]`` (a list, tuple or set
    display of literals only); empty when any element is not a literal."""
    if not isinstance(iterable, (cst.List, cst.Tuple, cst.Set)) or not iterable.elements:
        return ()
    values = []
    for element in iterable.elements:
        if not isinstance(element, cst.Element):
            return ()
        value = literal_value(element.value)
        if value is None:
            return ()
        values.append(value)
    return tuple(values)


def dict_entries(expr: cst.BaseExpression) -> dict[str, cst.BaseExpression] | None:
    """String-keyed entries of a dict display or of ``dict(scheduler=...)``."""
    items = dict_items(expr)
    if items is not None:
        return items
    if (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Name)
        and expr.func.value == "dict"
        and all(arg.keyword is not None for arg in expr.args)
    ):
        return {arg.keyword.value: arg.value for arg in expr.args if arg.keyword is not None}
    return None


__all__ = ["AttributeValue", "InstanceAttributes", "dict_entries", "loop_choices"]
