"""One batched traversal of a module for the semantic model and every rule.

It dispatches ``visit_<Node>``/``leave_<Node>`` methods of libcst
``BatchableCSTVisitor`` rules exactly as :func:`libcst.visit_batched` does, in the same
order, but without libcst's per-node reconstruction of the tree (a visit there rebuilds
every node even when nothing changes) and without descending into whitespace and
punctuation that no visitor asks for. A test checks that the order of visited nodes is
identical to libcst's.

A visitor whose method raises is handed to ``on_error`` and receives no more nodes, so
that one failing rule does not stop the others. ``before_visit`` and ``after_leave``
(the semantic model, which every rule reads) are not guarded: their errors propagate.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import libcst as cst

from dasklint.semantic.tree import TRIVIA, child_fields

Hook = Callable[[cst.CSTNode], object]
OnError = Callable[[cst.BatchableCSTVisitor, Exception], object]


@functools.cache
def visitor_method_names(kind: type[cst.BatchableCSTVisitor]) -> tuple[str, ...]:
    """The ``visit_*``/``leave_*`` methods of a visitor class.

    libcst's ``get_visitors()`` finds them with ``inspect.getmembers`` on every instance,
    which costs more than walking a small module; the names only depend on the class.
    Only the classes above libcst's visitor base are searched: the base defines an empty
    stub for every node type (about 1,600 of them).
    """
    base = set(cst.BatchableCSTVisitor.__mro__)
    names = {
        name
        for klass in kind.__mro__
        if klass not in base
        for name in vars(klass)
        if name.startswith(("visit_", "leave_"))
    }
    return tuple(
        sorted(
            name
            for name in names
            if callable(getattr(kind, name))
            and not getattr(getattr(kind, name), "_is_no_op", False)  # libcst's empty stubs
        )
    )


def walk(
    module: cst.Module,
    visitors: Iterable[cst.BatchableCSTVisitor],
    before_visit: Hook,
    after_leave: Hook,
    owners: dict[int, int] | None = None,
    on_error: OnError | None = None,
) -> None:
    """Visit every node once, calling ``before_visit``, the visitors, then ``after_leave``.
    ``owners`` receives, for every visited node, the index in ``module.body`` of the
    top-level statement it is in (what positioning one statement at a time needs).
    ``on_error``: called with a visitor whose method raised, which is then dropped;
    without it, the error propagates."""
    if owners is not None:
        before_visit = _noting_owners(module, before_visit, owners)
    visitors = list(visitors)
    methods: dict[str, list[Hook]] = {}
    for visitor in visitors:
        for name in visitor_method_names(type(visitor)):
            methods.setdefault(name, []).append(getattr(visitor, name))
    skip = {kind for kind in TRIVIA if f"visit_{kind.__name__}" not in methods}
    enter: dict[type[cst.CSTNode], tuple[Hook, ...]] = {}
    leave: dict[type[cst.CSTNode], tuple[Hook, ...]] = {}
    # Per type of a child field's value: whether to visit it. libcst's node classes are
    # ABCs, whose ``isinstance`` is several times slower than a dict lookup.
    descend: dict[type, bool] = {tuple: False, list: False, type(None): False}

    def wanted(kind: type) -> bool:
        found = descend[kind] = issubclass(kind, cst.CSTNode) and kind not in skip
        return found

    def drop(hook: Hook, error: Exception) -> None:
        """Hand the visitor of ``hook`` to ``on_error`` and forget its methods."""
        failed = next((v for v in visitors if v is getattr(hook, "__self__", None)), None)
        if on_error is None or failed is None:
            raise error
        on_error(failed, error)
        for name, hooks in methods.items():
            methods[name] = [h for h in hooks if getattr(h, "__self__", None) is not failed]
        enter.clear()
        leave.clear()

    def visit(node: cst.CSTNode) -> None:
        kind = type(node)
        hooks = enter.get(kind)
        if hooks is None:
            hooks = enter[kind] = tuple(methods.get(f"visit_{kind.__name__}", ()))
            leave[kind] = tuple(methods.get(f"leave_{kind.__name__}", ()))
        before_visit(node)
        for hook in hooks:
            try:
                hook(node)
            except Exception as error:
                drop(hook, error)
        for name in child_fields(node):
            value = getattr(node, name)
            value_kind = type(value)
            if value_kind is tuple or value_kind is list:
                for child in value:
                    child_kind = type(child)
                    found = descend.get(child_kind)
                    if found or (found is None and wanted(child_kind)):
                        visit(child)
            else:
                found = descend.get(value_kind)
                if found or (found is None and wanted(value_kind)):
                    visit(value)
        hooks = leave.get(kind)
        if hooks is None:  # the hooks changed: a visitor failed below this node
            hooks = leave[kind] = tuple(methods.get(f"leave_{kind.__name__}", ()))
        for hook in hooks:
            try:
                hook(node)
            except Exception as error:
                drop(hook, error)
        after_leave(node)

    visit(module)


def _noting_owners(module: cst.Module, before_visit: Hook, owners: dict[int, int]) -> Hook:
    tops = {id(statement): index for index, statement in enumerate(module.body)}
    current = -1

    def noting(node: cst.CSTNode) -> object:
        nonlocal current
        key = id(node)
        current = tops.get(key, current)
        owners[key] = current
        return before_visit(node)

    return noting
