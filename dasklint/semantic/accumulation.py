"""Loop-carried chains: ``acc = f(acc, x)`` / ``acc = acc + x`` / ``acc += x`` on lazy values.

Each such assignment in a loop makes the next iteration's task depend on the previous
one, so the graph becomes a chain as long as the loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from dasklint.semantic.loops import LoopContext

# Binary operators whose chains can be regrouped into a sum or a tree.
ASSOCIATIVE_OPERATORS = (cst.Add, cst.Multiply, cst.BitOr, cst.BitAnd, cst.BitXor)
ASSOCIATIVE_OPERATOR_NAMES = (
    cst.AddAssign, cst.MultiplyAssign, cst.BitOrAssign, cst.BitAndAssign, cst.BitXorAssign,
)  # fmt: skip
ASSOCIATIVE_CALLABLES = frozenset(
    {
        "operator.add", "operator.mul", "operator.or_", "operator.and_", "operator.xor",
        "operator.iadd", "operator.imul", "sum", "max", "min", "numpy.add", "numpy.maximum",
        "numpy.minimum", "numpy.multiply",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AccumulationStep:
    """One assignment that extends a chain of lazy values by one link per iteration."""

    node: cst.CSTNode  # the assignment statement's value or the AugAssign
    target: str
    loops: LoopContext
    associative: bool  # an addition-like step that a sum or a tree reduction can replace
    spelled: str  # "operator.add", "+", "+=", or the callee's name


def mentions(expr: cst.BaseExpression, name: str) -> bool:
    """``name`` is an operand of ``expr`` (through nested binary operations)."""
    if isinstance(expr, cst.Name):
        return expr.value == name
    if isinstance(expr, cst.BinaryOperation):
        return mentions(expr.left, name) or mentions(expr.right, name)
    return False


def operators(expr: cst.BaseExpression) -> list[cst.BaseBinaryOp]:
    if isinstance(expr, cst.BinaryOperation):
        return [*operators(expr.left), expr.operator, *operators(expr.right)]
    return []


__all__ = [
    "ASSOCIATIVE_CALLABLES",
    "ASSOCIATIVE_OPERATORS",
    "ASSOCIATIVE_OPERATOR_NAMES",
    "AccumulationStep",
    "mentions",
    "operators",
]
