"""The fix of DSK603: a loop that folds lazy values into an accumulator becomes one task.

Only one shape is rewritten, the one whose meaning is certain from the source::

    total = <start>                # the statement just before the loop
    for <target> in <iterable>:    # no ``else``, the fold is the whole body
        total = <fold of total and value>

``value`` is evaluated in a list comprehension over the same iterable (or the iterable
itself is passed, when it is a list of the values), and the values are combined in the
loop's order by ``sum`` (additions from zero) or ``functools.reduce`` (any other plain
callable or operator), inside one task.

Its walks (``_named``, ``_mentions``) only decide whether the rewrite keeps the loop's
meaning: they serve the fix.
"""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node, parse_template_statement

from dasklint.diagnostics import Applicability
from dasklint.fix import Fix, ImportSpec, NodeEdit
from dasklint.rules._edits import dask_name, import_of
from dasklint.semantic import SemanticModel
from dasklint.semantic.accumulation import AccumulationStep
from dasklint.semantic.loops import target_names
from dasklint.semantic.parents import ParentLinks
from dasklint.semantic.task_call import TaskApi
from dasklint.semantic.tree import iter_children, read_names

# Operators a fold may use, as the ``operator`` function ``reduce`` is given.
_OPERATORS: dict[type[cst.CSTNode], str] = {
    cst.Add: "add",
    cst.AddAssign: "add",
    cst.Multiply: "mul",
    cst.MultiplyAssign: "mul",
    cst.BitOr: "or_",
    cst.BitOrAssign: "or_",
    cst.BitAnd: "and_",
    cst.BitAndAssign: "and_",
    cst.BitXor: "xor",
    cst.BitXorAssign: "xor",
}
_ADDITIONS = frozenset({"operator.add", "operator.iadd"})
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


def fold_fix(
    model: SemanticModel, module: cst.Module, step: AccumulationStep, list_loops: set[int]
) -> Fix | None:
    """The rewrite of ``step``'s loop into one ``sum`` or ``reduce`` task, or None when
    the loop does not have the one shape whose meaning is certain."""
    fold = _fold(model, module, step)
    if fold is None:
        return None
    small, function, value = fold
    table = model.parents.table
    line = table.get(id(small))
    body = table.get(id(line))
    loop = table.get(id(body))
    block = table.get(id(loop))
    if not (
        isinstance(line, cst.SimpleStatementLine)
        and len(line.body) == 1
        and isinstance(body, cst.IndentedBlock)
        and len(body.body) == 1
        and isinstance(loop, cst.For)
        and loop.orelse is None
        and loop.asynchronous is None
        and step.loops.loops
        and step.loops.loops[-1].node is loop
        and isinstance(block, (cst.IndentedBlock, cst.Module))
        and not isinstance(table.get(id(block)), cst.ClassDef)
    ):
        return None
    statements = list(block.body)
    index = next(i for i, s in enumerate(statements) if s is loop)
    start = _start(statements[index - 1], step.target) if index > 0 else None
    if start is None:
        return None
    init_line, initial = start
    targets = target_names(loop.target)
    if (
        _mentions(value, {step.target})
        or _mentions(loop.iter, {step.target})
        or _mentions(initial, targets)
        or _used_elsewhere(model.parents, module, loop, targets)
    ):
        return None
    dask, imports = dask_name(model)
    if dask is None:
        return None
    values: cst.BaseExpression
    if (
        isinstance(value, cst.Name)
        and isinstance(loop.target, cst.Name)
        and value.value == loop.target.value
        and (id(loop) in list_loops or isinstance(loop.iter, (cst.List, cst.Tuple, cst.ListComp)))
    ):
        values = loop.iter
    else:
        values = cst.ListComp(value, cst.CompFor(target=loop.target, iter=loop.iter))
    config = module.config_for_parsing
    number = _number(model, initial)
    if function == "+" and number is not None and model.scopes.lookup("sum") is None:
        # ``sum(values, start)`` is ``start + v1 + v2 ...``, in that order.
        parts: dict[str, cst.BaseExpression] = {"values": values}
        if not (number == 0 and isinstance(number, int)):
            parts["start"] = initial
        tail = ", {start}" if "start" in parts else ""
        statement = parse_template_statement(
            f"{step.target} = {dask}.delayed(sum)({{values}}{tail})\n", config=config, **parts
        )
        title = f"Add the values with one `{dask}.delayed(sum)` task instead of a chain"
    else:
        func = _function(model, function)
        functools = _module_name(model, "functools")
        if func is None or functools is None or not _simple(model, initial):
            return None
        expr, extra = func
        imports = (*imports, *extra, *functools[1])
        statement = parse_template_statement(
            f"{step.target} = {dask}.delayed({functools[0]}.reduce)({{func}}, {{values}}, "
            "{start})\n",
            config=config,
            func=expr,
            values=values,
            start=initial,
        )
        title = f"Fold the values in one `{dask}.delayed(functools.reduce)` task instead of a chain"
    removals: tuple[ImportSpec, ...] = ()
    if isinstance(step.node, cst.Call) and isinstance(step.node.func, cst.Call):
        # ``operator.add`` may have been imported for the loop alone.
        callee = step.node.func.args[0].value
        written, qualified = get_full_name_for_node(callee), model.qualified_name(callee)
        if written is not None and qualified is not None and "." in qualified:
            removals = (import_of(written, qualified),)
    comments = [*init_line.leading_lines, *loop.leading_lines, *_comments(init_line, loop, line)]
    statement = statement.with_changes(leading_lines=comments)
    return Fix(
        title,
        Applicability.UNSAFE,
        (NodeEdit(init_line, cst.RemoveFromParent()), NodeEdit(loop, statement)),
        add_imports=imports,
        remove_imports=removals,
        caveat="the values are held until the one task combines them",
    )


def _fold(
    model: SemanticModel, module: cst.Module, step: AccumulationStep
) -> tuple[cst.BaseSmallStatement, str | cst.BaseExpression, cst.BaseExpression] | None:
    """``(statement, function, value)`` for ``acc = acc <op> value``, ``acc <op>= value``
    and ``acc = delayed(function)(acc, value)``; function is "+" for an addition."""
    node = step.node
    if isinstance(node, cst.AugAssign):
        name = _OPERATORS.get(type(node.operator))
        if name is None or not isinstance(node.target, cst.Name):
            return None
        return node, "+" if name == "add" else f"operator.{name}", node.value
    statement = _assignment_of(model.parents, node)
    if statement is None:
        return None
    if isinstance(node, cst.BinaryOperation):
        name = _OPERATORS.get(type(node.operator))
        left = node.left
        if name is None or not (isinstance(left, cst.Name) and left.value == step.target):
            return None
        return statement, "+" if name == "add" else f"operator.{name}", node.right
    if not isinstance(node, cst.Call):
        return None
    task = next((t for t in model.tasks.task_calls if t.call is node), None)
    wrapper = node.func
    if (
        task is None
        or task.api is not TaskApi.DELAYED
        or not isinstance(wrapper, cst.Call)
        or model.qualified_name(wrapper.func) != "dask.delayed"
        or not isinstance(task.callee_expr, (cst.Name, cst.Attribute))
        or len(node.args) != 2
        or any(a.keyword is not None or a.star for a in node.args)
    ):
        return None
    first, second = node.args
    if not (isinstance(first.value, cst.Name) and first.value.value == step.target):
        return None
    if model.qualified_name(task.callee_expr) in _ADDITIONS:
        return statement, "+", second.value
    return statement, task.callee_expr, second.value


def _assignment_of(links: ParentLinks, value: cst.CSTNode) -> cst.Assign | None:
    parent = links.parent(value)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
        return parent
    return None


def _start(
    statement: cst.CSTNode, target: str
) -> tuple[cst.SimpleStatementLine, cst.BaseExpression] | None:
    """``target = <start>``, alone on the line before the loop."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    name = assign.targets[0].target
    if not isinstance(name, cst.Name) or name.value != target:
        return None
    return statement, assign.value


def _number(model: SemanticModel, expr: cst.BaseExpression) -> int | float | None:
    """The value of a number literal, or of ``dask.delayed`` of one."""
    if isinstance(expr, cst.Call) and model.qualified_name(expr.func) == "dask.delayed":
        if len(expr.args) != 1 or expr.args[0].keyword is not None or expr.args[0].star:
            return None
        expr = expr.args[0].value
    if isinstance(expr, (cst.Integer, cst.Float)):
        return expr.evaluated_value
    return None


def _simple(model: SemanticModel, expr: cst.BaseExpression) -> bool:
    """A start value whose evaluation can move after the iterable's: a literal, a name,
    or ``dask.delayed`` of one."""
    if isinstance(expr, cst.Call) and model.qualified_name(expr.func) == "dask.delayed":
        if len(expr.args) != 1 or expr.args[0].keyword is not None or expr.args[0].star:
            return False
        expr = expr.args[0].value
    literals = (cst.Integer, cst.Float, cst.SimpleString, cst.Name)
    return isinstance(expr, literals)


def _function(
    model: SemanticModel, function: str | cst.BaseExpression
) -> tuple[cst.BaseExpression, tuple[ImportSpec, ...]] | None:
    """The callable ``reduce`` is given: the wrapped callable, or ``operator.<name>``."""
    if not isinstance(function, str):
        return function, ()
    found = _module_name(model, "operator")
    if found is None:
        return None
    prefix, imports = found
    return cst.parse_expression(f"{prefix}.{function.split('.', 1)[1]}"), imports


def _module_name(model: SemanticModel, module: str) -> tuple[str, tuple[ImportSpec, ...]] | None:
    """How to spell a standard-library module: its import, or the name plus an import."""
    bound = model.qualified_name(cst.Name(module))
    if bound == module:
        return module, ()
    if model.scopes.lookup(module) is not None:
        return None
    return module, (ImportSpec(module),)


def _mentions(node: cst.CSTNode, names: set[str] | frozenset[str]) -> bool:
    return any(name.value in names for name in read_names(node))


def _used_elsewhere(
    links: ParentLinks, module: cst.Module, loop: cst.For, names: frozenset[str]
) -> bool:
    """A loop variable is read outside the loop in its function (or module): after the
    rewrite the comprehension binds it in its own scope, so such a read would change.
    Other loops and comprehensions that bind the same name themselves do not count."""
    table = links.table
    scope: cst.CSTNode = module
    current = table.get(id(loop))
    while current is not None:
        if isinstance(current, (cst.FunctionDef, cst.Lambda)):
            scope = current
            break
        current = table.get(id(current))
    return any(_named(scope, loop, name) for name in names)


def _named(node: cst.CSTNode, skip: cst.For, name: str) -> bool:
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if current is skip:
            continue
        if isinstance(current, cst.Name) and current.value == name:
            return True
        if isinstance(current, (cst.Attribute, cst.Arg)):
            stack.append(current.value)
        elif isinstance(current, cst.For) and name in target_names(current.target):
            stack.append(current.iter)  # the body reads this loop's own variable
            if current.orelse is not None:
                stack.append(current.orelse)
        elif isinstance(current, _COMPREHENSIONS) and name in _comprehension_targets(current):
            stack.append(current.for_in.iter)  # the rest is the comprehension's scope
        else:
            stack.extend(iter_children(current))
    return False


def _comprehension_targets(node: cst.BaseComp | cst.DictComp) -> frozenset[str]:
    found: frozenset[str] = frozenset()
    comp_for: cst.CompFor | None = node.for_in
    while comp_for is not None:
        found |= target_names(comp_for.target)
        comp_for = comp_for.inner_for_in
    return found


def _comments(
    init: cst.SimpleStatementLine, loop: cst.For, line: cst.SimpleStatementLine
) -> list[cst.EmptyLine]:
    """The comments written in the replaced statements, to keep above the new one."""
    found = [init.trailing_whitespace.comment]
    body = loop.body
    if isinstance(body, cst.IndentedBlock):
        found.append(body.header.comment)
    found.extend(e.comment for e in line.leading_lines)
    found.append(line.trailing_whitespace.comment)
    return [cst.EmptyLine(comment=c) for c in found if c is not None]
