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
# The order of the types that have no optional field, by type alone (most of them).
_FIXED: dict[type[cst.CSTNode], tuple[str, ...]] = {}
# What a child field's value is, by its type: libcst's node classes are ABCs, whose
# ``isinstance`` is several times slower than a dict lookup.
_NODE, _SEQUENCE, _OTHER = 1, 2, 3  # all true: `get(...) or ...` caches every type
_VALUE_KIND: dict[type, int] = {}
# Per type of a child field's value: whether it is a node outside :data:`TRIVIA`.
_SIGNIFICANT: dict[type, bool] = {}

# Leaf-like nodes holding only whitespace, comments or punctuation: no expression or
# statement can be inside them.
TRIVIA: frozenset[type[cst.CSTNode]] = frozenset(
    {
        cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.TrailingWhitespace,
        cst.EmptyLine, cst.Newline, cst.Comment,
        cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual,
        cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
        cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.ImportStar,
    }
)  # fmt: skip


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
    fixed = _FIXED.get(kind)
    if fixed is not None:
        return fixed
    optional = _OPTIONAL.get(kind)
    if optional is None:
        fields = _record(node)
        optional = _OPTIONAL[kind] = tuple(
            f.name
            for f in dataclasses.fields(node)
            if f.name not in fields and getattr(node, f.name) is None
        )
        _FIELDS[(kind, (True,) * len(optional))] = fields
        if not optional:
            _FIXED[kind] = fields
        return fields
    key = (kind, tuple(getattr(node, name) is None for name in optional))
    found = _FIELDS.get(key)
    if found is None:
        found = _FIELDS[key] = _record(node)
    return found


def _value_kind(kind: type) -> int:
    found = _VALUE_KIND.get(kind)
    if found is None:
        if issubclass(kind, cst.CSTNode):
            found = _NODE
        elif issubclass(kind, (tuple, list)):
            found = _SEQUENCE
        else:
            found = _OTHER
        _VALUE_KIND[kind] = found
    return found


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Direct children of ``node`` in source order (``node.children``, but cheaper)."""
    out: list[cst.CSTNode] = []
    for name in child_fields(node):
        value = getattr(node, name)
        kind = _VALUE_KIND.get(type(value)) or _value_kind(type(value))
        if kind == _NODE:
            out.append(value)
        elif kind == _SEQUENCE:
            out.extend(
                child
                for child in value
                if (_VALUE_KIND.get(type(child)) or _value_kind(type(child))) == _NODE
            )
    return out


def iter_children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Direct children of ``node`` in source order (``node.children``, but cheaper)."""
    return iter(children(node))


def walk_subtree(
    node: cst.CSTNode, prune: Callable[[cst.CSTNode], bool] | None = None
) -> Iterator[cst.CSTNode]:
    """``node`` and every node below it; below a node for which ``prune`` is true, nothing."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if prune is None or not prune(current):
            stack.extend(children(current))


def significant_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """:func:`walk_subtree` without the :data:`TRIVIA` nodes (nor anything below them:
    they hold only more trivia), for searches of expressions and statements. Written
    out, without :func:`children`: a search of a whole module runs once per module."""
    stack = [node]
    push, pop = stack.append, stack.pop
    while stack:
        current = pop()
        yield current
        for name in _FIXED.get(type(current)) or child_fields(current):
            value = getattr(current, name)
            kind = type(value)
            if kind is tuple or kind is list:
                for child in value:
                    wanted = _SIGNIFICANT.get(type(child))
                    if wanted or (wanted is None and _significant(type(child))):
                        push(child)
            else:
                wanted = _SIGNIFICANT.get(kind)
                if wanted or (wanted is None and _significant(kind)):
                    push(value)


def _significant(kind: type) -> bool:
    found = _SIGNIFICANT[kind] = issubclass(kind, cst.CSTNode) and kind not in TRIVIA
    return found


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
