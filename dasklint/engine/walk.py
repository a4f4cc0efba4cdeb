"""One batched traversal of a module for the semantic model and every rule.

It dispatches ``visit_<Node>``/``leave_<Node>`` methods of libcst
``BatchableCSTVisitor`` rules exactly as :func:`libcst.visit_batched` does, in the same
order, but without libcst's per-node reconstruction of the tree (a visit there rebuilds
every node even when nothing changes) and without descending into whitespace and
punctuation that no visitor asks for. A test checks that the order of visited nodes is
identical to libcst's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import libcst as cst

from dasklint.semantic.tree import child_fields

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
