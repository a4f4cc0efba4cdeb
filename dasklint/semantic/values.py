"""Literal values of expressions, following a name to its constant at most one hop."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst


@dataclass(frozen=True, slots=True)
class Constant:
    """A literal value and how it was reached."""

    value: object
    node: cst.BaseExpression  # the literal itself
    via_name: bool = False
    from_parameter_default: bool = False


def literal_value(expr: cst.BaseExpression) -> object | None:
    """The Python value of a str/int/bool/None literal (``-1`` included); None otherwise.

    ``None`` the literal and "not a literal" are told apart by the caller through
    :func:`is_literal`; rules never need the ``None`` literal itself.
    """
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.Integer):
        try:
            return int(expr.value.replace("_", ""), 0)
        except ValueError:
            return None
    if (
        isinstance(expr, cst.UnaryOperation)
        and isinstance(expr.operator, (cst.Minus, cst.Plus))
        and isinstance(expr.expression, cst.Integer)
    ):
        number = literal_value(expr.expression)
        if isinstance(number, int):
            return -number if isinstance(expr.operator, cst.Minus) else number
    if isinstance(expr, cst.Name) and expr.value in ("True", "False"):
        return expr.value == "True"
    return None


def dict_items(expr: cst.BaseExpression) -> dict[str, cst.BaseExpression] | None:
    """String-keyed entries of a dict display (``{"scheduler": "processes"}``)."""
    if not isinstance(expr, cst.Dict):
        return None
    out: dict[str, cst.BaseExpression] = {}
    for element in expr.elements:
        if isinstance(element, cst.DictElement):
            key = literal_value(element.key)
            if isinstance(key, str):
                out[key] = element.value
    return out
