"""One batched traversal of a module for the semantic model and every rule.

It dispatches ``visit_<Node>``/``leave_<Node>`` methods of libcst
``BatchableCSTVisitor`` rules exactly as :func:`libcst.visit_batched` does, in the same
order, but without libcst's per-node reconstruction of the tree (a visit there rebuilds
every node even when nothing changes) and without descending into whitespace and
punctuation that no visitor asks for. A test checks that the order of visited nodes is
identical to libcst's.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable

import libcst as cst

Hook = Callable[[cst.CSTNode], object]

# Leaf-like nodes holding only whitespace, comments or punctuation: no expression or
# statement can be inside them, so they are skipped unless a visitor listens to them.
TRIVIA: frozenset[type[cst.CSTNode]] = frozenset(
    {
        cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.TrailingWhitespace,
        cst.EmptyLine, cst.Newline, cst.Comment,
        cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual,
        cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
        cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.ImportStar,
    }
)  # fmt: skip

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


@functools.cache
def visitor_method_names(kind: type[cst.BatchableCSTVisitor]) -> tuple[str, ...]:
    """The ``visit_*``/``leave_*`` methods of a visitor class.

    libcst's ``get_visitors()`` finds them with ``inspect.getmembers`` on every instance,
    which costs more than walking a small module; the names only depend on the class.
    """
    return tuple(
        name
        for name in dir(kind)
        if name.startswith(("visit_", "leave_"))
        and callable(getattr(kind, name))
        and not getattr(getattr(kind, name), "_is_no_op", False)  # libcst's empty stubs
    )


def walk(
    module: cst.Module,
    visitors: Iterable[cst.BatchableCSTVisitor],
    before_visit: Hook,
    after_leave: Hook,
) -> None:
    """Visit every node once, calling ``before_visit``, the visitors, then ``after_leave``."""
    methods: dict[str, list[Hook]] = {}
    for visitor in visitors:
        for name in visitor_method_names(type(visitor)):
            methods.setdefault(name, []).append(getattr(visitor, name))
    skip = {kind for kind in TRIVIA if f"visit_{kind.__name__}" not in methods}
    enter: dict[type[cst.CSTNode], tuple[Hook, ...]] = {}
    leave: dict[type[cst.CSTNode], tuple[Hook, ...]] = {}

    def visit(node: cst.CSTNode) -> None:
        kind = type(node)
        hooks = enter.get(kind)
        if hooks is None:
            hooks = enter[kind] = tuple(methods.get(f"visit_{kind.__name__}", ()))
            leave[kind] = tuple(methods.get(f"leave_{kind.__name__}", ()))
        before_visit(node)
        for hook in hooks:
            hook(node)
        for name in child_fields(node):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                if type(value) not in skip:
                    visit(value)
            elif isinstance(value, (tuple, list)):
                for child in value:
                    if isinstance(child, cst.CSTNode) and type(child) not in skip:
                        visit(child)
        for hook in leave[kind]:
            hook(node)
        after_leave(node)

    visit(module)
