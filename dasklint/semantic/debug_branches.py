"""Recognising ``if`` tests about debugging (``if DEBUG:``, ``if not args.debug:``, ...).

Code run only while debugging may deliberately use the single-threaded scheduler.
"""

from __future__ import annotations

import libcst as cst


def debug_polarity(test: cst.BaseExpression) -> bool | None:
    """Whether an ``if`` test says "debugging" (True: ``if DEBUG:``, ``if args.debug:``,
    ``if settings.DEBUG and ...:``, ``if mode == "debug":``), says "not debugging" (False:
    ``if not DEBUG:``, whose ``else`` is the debug branch), or neither (None)."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = debug_polarity(test.expression)
        return None if inner is None else not inner
    if isinstance(test, cst.BooleanOperation):
        sides = (debug_polarity(test.left), debug_polarity(test.right))
        return True if True in sides else None
    if isinstance(test, cst.Comparison):
        negated = any(
            isinstance(target.operator, (cst.NotEqual, cst.IsNot, cst.NotIn))
            for target in test.comparisons
        )
        operands = [test.left, *(target.comparator for target in test.comparisons)]
        if any(mentions_debug(operand) for operand in operands):
            return not negated
        return None
    return True if mentions_debug(test) else None


def mentions_debug(expr: cst.BaseExpression) -> bool:
    """A name, attribute, call argument or string in ``expr`` contains "debug"."""
    stack: list[cst.BaseExpression] = [expr]
    while stack:
        expr = stack.pop()
        if isinstance(expr, cst.Name) and "debug" in expr.value.lower():
            return True
        if isinstance(expr, cst.SimpleString):
            value = expr.evaluated_value
            if isinstance(value, str) and "debug" in value.lower():
                return True
        elif isinstance(expr, cst.Attribute):
            if "debug" in expr.attr.value.lower():
                return True
            stack.append(expr.value)
        elif isinstance(expr, cst.Call):
            stack.append(expr.func)
            stack.extend(arg.value for arg in expr.args)
    return False
