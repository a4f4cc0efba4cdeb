"""Functions that build and return functions (factories), and values used as callables.

``dask.delayed(make_scorer(3))`` delays the function ``make_scorer`` returns, which the
code then calls to make tasks; ``dask.delayed(make_scorer)(3)`` would make one task that
returns a function instead. A factory is told by what it returns (a nested ``def``, a
``lambda``, ``functools.partial(...)``), or by how the delayed value is used: called.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from dasklint.semantic.tree import iter_children

_PARTIAL = frozenset({"partial", "functools.partial"})


def returns_function(function: cst.FunctionDef) -> bool:
    """Whether ``function`` returns a function it builds: a ``def`` or ``lambda`` of its
    body (directly or through a name), or a ``functools.partial(...)``."""
    nested: set[str] = set()
    returned: list[cst.BaseExpression] = []
    for node in _own_nodes(function.body):
        if isinstance(node, cst.FunctionDef):
            nested.add(node.name.value)
        elif isinstance(node, cst.Assign) and _builds_function(node.value):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    nested.add(target.target.value)
        elif isinstance(node, cst.Return) and node.value is not None:
            returned.append(node.value)
    return any(
        _builds_function(value) or (isinstance(value, cst.Name) and value.value in nested)
        for value in returned
    )


def called_later(scope: cst.CSTNode, name: str) -> bool:
    """Whether ``name`` is called somewhere in ``scope`` (``scorer(i)``)."""
    stack: list[cst.CSTNode] = [scope]
    while stack:
        node = stack.pop()
        func = node.func if isinstance(node, cst.Call) else None
        if isinstance(func, cst.Name) and func.value == name:
            return True
        stack.extend(iter_children(node))
    return False


def _builds_function(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Lambda):
        return True
    if isinstance(value, cst.Call):
        func = value.func
        if isinstance(func, cst.Name):
            return func.value in _PARTIAL
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            return f"{func.value.value}.{func.attr.value}" in _PARTIAL
    return False


def _own_nodes(body: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes of a function body, not those of the functions and lambdas nested in it
    (their ``def`` statements themselves are included)."""
    stack: list[cst.CSTNode] = [body]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        stack.extend(iter_children(node))
