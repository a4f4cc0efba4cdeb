"""Children of libcst nodes in source order, without libcst's costly ``children``.

``node.children`` runs a full visitor that rebuilds the node. Reading the child fields
directly, in the order libcst itself visits them, is several times cheaper; the engine's
traversal and the fix helpers' parent tables both use it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import libcst as cst

# Child field order per node type. A few types visit a field only when it is not None
# (``FormattedStringExpression.format_spec``), so the order is keyed by which of those
# optional fields are set.
_FIELDS: dict[tuple[type[cst.CSTNode], tuple[bool, ...]], tuple[str, ...]] = {}
_OPTIONAL: dict[type[cst.CSTNode], tuple[str, ...]] = {}


class _FieldRecorder(cst.CSTVisitor):
    """Learns the order in which libcst visits a node type's children."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)


def _record(node: cst.CSTNode) -> tuple[str, ...]:
    recorder = _FieldRecorder()
    node._visit_and_replace_children(recorder)
    return tuple(dict.fromkeys(recorder.fields))


def child_fields(node: cst.CSTNode) -> tuple[str, ...]:
    """Names of ``node``'s child fields in libcst's visiting (source) order."""
    kind = type(node)
    optional = _OPTIONAL.get(kind)
    if optional is None:
        fields = _record(node)
        optional = _OPTIONAL[kind] = tuple(
            f.name
            for f in dataclasses.fields(node)
            if f.name not in fields and getattr(node, f.name) is None
        )
        _FIELDS[(kind, (True,) * len(optional))] = fields
        return fields
    key = (kind, tuple(getattr(node, name) is None for name in optional))
    found = _FIELDS.get(key)
    if found is None:
        found = _FIELDS[key] = _record(node)
    return found


def iter_children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Direct children of ``node`` in source order (``node.children``, but cheaper)."""
    for name in child_fields(node):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            for child in value:
                if isinstance(child, cst.CSTNode):
                    yield child


def walk_subtree(
    node: cst.CSTNode, prune: Callable[[cst.CSTNode], bool] | None = None
) -> Iterator[cst.CSTNode]:
    """``node`` and every node below it; below a node for which ``prune`` is true, nothing."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if prune is None or not prune(current):
            stack.extend(iter_children(current))


def read_names(node: cst.CSTNode) -> Iterator[cst.Name]:
    """The names in ``node`` that refer to variables: not ``attr`` in ``x.attr``, nor
    keyword names in calls (``f(scheduler=s)`` reads ``f`` and ``s``)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current
        elif isinstance(current, (cst.Attribute, cst.Arg)):
            stack.append(current.value)
        else:
            stack.extend(iter_children(current))


def parent_table(root: cst.CSTNode) -> dict[int, cst.CSTNode]:
    """``id(node) -> parent`` below ``root``."""
    table: dict[int, cst.CSTNode] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in iter_children(node):
            table[id(child)] = node
            stack.append(child)
    return table
