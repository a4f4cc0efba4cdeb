"""Whether a callable passed as a task does almost no work: a lambda of arithmetic,
``operator.*``, a small builtin, or a project function whose summary says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.gil import SCALAR_DRAWS, TRIVIAL_CALLS, matches
from dasklint.semantic.task_call import TaskCall

if TYPE_CHECKING:
    from dasklint.semantic.model import SemanticModel

# Builtins that are trivial only with several arguments (with one they loop over it).
_REDUCERS = frozenset({"max", "min"})
# Bound methods that look up or combine one item: ``delayed(x.__getitem__)(i)``.
_ITEM_METHODS = frozenset(
    {
        "__getitem__", "__contains__", "__add__", "__sub__", "__mul__", "__truediv__",
        "__floordiv__", "__mod__", "__pow__", "__neg__", "__abs__", "__eq__", "__ne__",
        "__lt__", "__le__", "__gt__", "__ge__", "__and__", "__or__", "__xor__", "get",
    }
)  # fmt: skip
_LEAVES = (
    cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString,
    cst.ConcatenatedString, cst.Ellipsis,
)  # fmt: skip


def trivial_callee(model: SemanticModel, task: TaskCall, positional: int) -> str | None:
    """A short description of why the task's callable is trivial, or None."""
    if task.lambda_node is not None:
        return (
            "a lambda of a single simple expression"
            if _simple(model, task.lambda_node.body)
            else None
        )
    callee = task.callee_expr
    if (
        isinstance(callee, cst.Attribute)
        and callee.attr.value in _ITEM_METHODS
        and task.facts is None
        and task.external is None
    ):
        return f"the bound method `.{callee.attr.value}`, one item lookup or operation"
    if task.external is not None:
        name = task.external
        if name.startswith("operator."):
            return f"`{name}`"
        if name in SCALAR_DRAWS:
            return f"`{name}`, a single random draw"
        if name.startswith("numpy.random.") and positional == 0:
            return f"`{name}()`, a single random draw"
        if name in _REDUCERS:
            return f"the builtin `{name}` on {positional} values" if positional >= 2 else None
        if "." not in name and matches(name, TRIVIAL_CALLS):
            return f"the builtin `{name}`"
        return None
    if task.facts is not None:
        summary = model.tasks.summary(task.facts)
        if summary.trivial:
            return f"`{task.facts.qualname}`, whose body is a few statements of simple arithmetic"
    return None


def _simple(model: SemanticModel, expr: cst.BaseExpression) -> bool:
    stack: list[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, _LEAVES):
            continue
        if isinstance(node, cst.Call):
            name = model.tasks.external_name(node.func)
            if (
                name is None
                or not (
                    name.startswith("operator.")
                    or name.startswith("math.")
                    or matches(name, TRIVIAL_CALLS)
                )
                or (name in _REDUCERS and len(node.args) < 2)
            ):
                return False
            stack.extend(a.value for a in node.args)
        elif isinstance(node, cst.Attribute):
            stack.append(node.value)
        elif isinstance(node, cst.Subscript):
            stack.append(node.value)
            stack.extend(node.slice)
        elif isinstance(node, cst.SubscriptElement):
            stack.append(node.slice)
        elif isinstance(node, cst.Index):
            stack.append(node.value)
        elif isinstance(node, cst.BinaryOperation):
            stack.extend((node.left, node.right))
        elif isinstance(node, cst.UnaryOperation):
            stack.append(node.expression)
        elif isinstance(node, cst.BooleanOperation):
            stack.extend((node.left, node.right))
        elif isinstance(node, cst.Comparison):
            stack.append(node.left)
            stack.extend(t.comparator for t in node.comparisons)
        elif isinstance(node, cst.IfExp):
            stack.extend((node.test, node.body, node.orelse))
        elif isinstance(node, (cst.Tuple, cst.List)) and len(node.elements) <= 8:
            stack.extend(e.value for e in node.elements)
        else:
            return False
    return True


__all__ = ["trivial_callee"]
