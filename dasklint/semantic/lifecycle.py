"""Clients and clusters as resources: which calls start a cluster, and what closes a handle.

Facts from distributed 2026.8.0 (``distributed/client.py``), checked at runtime in
``tests/runtime/test_lifecycle_more.py``:

* ``Client()`` without an address starts a ``LocalCluster`` and ``close()`` closes it too.
  ``Client(cluster)`` and ``Client("tcp://...")`` only connect: their ``close()`` leaves the
  cluster running (``Client._close`` closes the cluster only when the client started it).
  ``client.shutdown()`` closes the cluster the client is connected to.
* Garbage collection does not close a client: its event-loop handlers keep it alive after
  the last name for it is gone, so an unclosed client (and the cluster it started) runs
  until the interpreter exits.
* ``with Client(...) as c:`` and ``with LocalCluster(...) as c:`` close on exit.

The use analysis is lexical and conservative: a handle counts as closed when any
``.close``/``.shutdown`` of its name appears in its scope (on any path), and as kept
("escapes") when it is returned, yielded, stored, captured by a nested function, declared
``global`` or passed to a call that might keep it. Only then is it left alone.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from dasklint.semantic.collections import CLUSTER_FACTORIES
from dasklint.semantic.effects import MUTATING_METHODS
from dasklint.semantic.names import dotted_parts
from dasklint.semantic.tree import iter_children, walk_subtree

CLIENT = "distributed.Client"
HANDLE_FACTORIES = frozenset({CLIENT, *CLUSTER_FACTORIES})
# ``Client(...)`` keywords that connect to a running scheduler instead of starting one.
_CONNECTS = frozenset({"address", "scheduler_file"})
_CLOSERS = frozenset({"close", "shutdown"})
# Calls that take ownership and close what they get: ``contextlib.closing(x)``,
# ``ExitStack.enter_context(x)`` / ``push(x)``.
_CLOSING_CALLS = frozenset({"closing", "aclosing", "enter_context", "enter_async_context", "push"})
# Callables that look at a handle without keeping it.
_INSPECTING_BUILTINS = frozenset(
    {"print", "repr", "str", "format", "type", "id", "isinstance", "hasattr", "getattr", "bool"}
)
_INSPECTING_FUNCTIONS = frozenset({"weakref.ref", "weakref.proxy", "sys.getrefcount"})
_LOGGING_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical"})
# Expressions through which the handle object itself flows to the enclosing expression.
_CARRIERS = (
    cst.Tuple, cst.List, cst.Set, cst.Element, cst.StarredElement, cst.Dict, cst.DictElement,
    cst.StarredDictElement, cst.IfExp, cst.BooleanOperation, cst.NamedExpr, cst.Await,
)  # fmt: skip
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
# Calls whose results live on the cluster (futures, persisted collections) and calls that
# bring results back as plain values.
_FUTURE_METHODS = frozenset({"submit", "map", "scatter", "persist", "publish_dataset"})
_FUTURE_FUNCTIONS = frozenset(
    {"dask.persist", "distributed.as_completed", "distributed.fire_and_forget"}
)
_RESULT_METHODS = frozenset({"result", "gather", "compute"})

Qualifier = Callable[[cst.BaseExpression], "str | None"]


class HandleKind(enum.Enum):
    CLIENT = "Client"
    CLUSTER = "cluster"


def handle_kind(qualified: str | None) -> HandleKind | None:
    if qualified == CLIENT:
        return HandleKind.CLIENT
    if qualified in CLUSTER_FACTORIES:
        return HandleKind.CLUSTER
    return None


def starts_cluster(qualified: str | None, call: cst.Call) -> bool:
    """The call starts a cluster of its own: a cluster constructor, or a ``Client`` given
    no address (no positional argument, ``address=`` or ``scheduler_file=``)."""
    if qualified in CLUSTER_FACTORIES:
        return True
    if qualified != CLIENT or any(arg.star for arg in call.args):
        return False
    return not any(arg.keyword is None or arg.keyword.value in _CONNECTS for arg in call.args)


@dataclass(frozen=True, slots=True)
class HandleUse:
    """What the code of one scope does with the object a name refers to."""

    closed: bool  # ``.close()``/``.shutdown()``, ``with name:``, ``closing(name)``
    shut_down: bool  # ``.shutdown()``: for a Client, also closes the cluster it is on
    escapes: bool  # returned, yielded, stored, captured, ``global``, passed on
    fed_clients: tuple[cst.Call, ...]  # ``Client(name)`` calls: they do not close ``name``
    loads: tuple[cst.Name, ...]  # every read of the name in the scope


def handle_use(scope: cst.CSTNode, name: str, qualify: Qualifier) -> HandleUse:
    """How the code of ``scope`` (a function, or the module) uses ``name``.

    Nested functions and classes that bind ``name`` themselves are another variable and
    are skipped; those that only read it capture it (an escape).
    """
    closed = shut_down = escapes = False
    fed: list[cst.Call] = []
    loads: list[cst.Name] = []
    for node, parents in _names(scope, name):
        if isinstance(parents[-1], cst.NameItem):
            escapes = True  # ``global name`` / ``nonlocal name``
            continue
        if _is_store(node, parents[-1]):
            continue
        loads.append(node)
        if any(isinstance(p, _SCOPES) for p in parents[1:]):
            escapes = True  # read by a nested function or class: it may close or keep it
            continue
        outcome = _flow(node, parents, qualify)
        if outcome is _Flow.CLOSED:
            closed = True
        elif outcome is _Flow.SHUTDOWN:
            closed = shut_down = True
        elif outcome is _Flow.ESCAPES:
            escapes = True
        elif isinstance(outcome, cst.Call):
            fed.append(outcome)
    return HandleUse(closed, shut_down, escapes, tuple(fed), tuple(loads))


def binding_of(call: cst.Call, parents: dict[int, cst.CSTNode]) -> tuple[str | None, cst.CSTNode]:
    """The name a constructor call's result is bound to (``x = Call()``,
    ``x: T = Call()``, ``x = await Call()``, ``with Call() as x``) and the node that
    binds it; ``(None, parent)`` when it is not bound to a plain name."""
    node: cst.CSTNode = call
    parent = parents.get(id(node))
    if isinstance(parent, cst.Await):
        node, parent = parent, parents.get(id(parent))
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
        target = parent.targets[0].target
        if isinstance(target, cst.Name):
            return target.value, parent
    if isinstance(parent, cst.AnnAssign) and isinstance(parent.target, cst.Name):
        return parent.target.value, parent
    if isinstance(parent, cst.WithItem) and parent.asname is not None:
        target = parent.asname.name
        if isinstance(target, cst.Name):
            return target.value, parent
    assert parent is not None
    return None, parent


def values_outlive(region: Sequence[cst.BaseStatement], client: str, qualify: Qualifier) -> bool:
    """Whether futures or persisted collections made in ``region`` (with the client named
    ``client``, or the default one) may be used after it: returned, yielded, stored into
    an attribute, an item or an outer container, or declared ``global``. Values brought
    back with ``.result()``, ``.gather()``, ``.compute()`` or ``dask.compute`` are plain.
    """
    held: set[str] = set()  # names in the region that hold values living on the cluster
    for _ in range(2):  # twice: a name may be used above the line that fills it
        for statement in region:
            for node in walk_subtree(statement, prune=lambda n: isinstance(n, _SCOPES)):
                if isinstance(node, (cst.Yield, cst.Global, cst.Nonlocal)):
                    return True
                if isinstance(node, cst.Return) and node.value is not None:
                    if _on_cluster(node.value, client, held, qualify):
                        return True
                elif isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                    value = node.value
                    if value is None or not _on_cluster(value, client, held, qualify):
                        continue
                    targets = (
                        [t.target for t in node.targets]
                        if isinstance(node, cst.Assign)
                        else [node.target]
                    )
                    for target in targets:
                        names = target_names(target)
                        if not isinstance(target, (cst.Name, cst.Tuple, cst.List)):
                            return True
                        held |= names
                elif isinstance(node, cst.Call) and _mutates_with_cluster_values(
                    node, client, held, qualify
                ):
                    receiver = _receiver_name(node)
                    if receiver is None or not _bound_in(region, receiver):
                        return True
                    held.add(receiver)
    return False


def _on_cluster(expr: cst.BaseExpression, client: str, held: set[str], qualify: Qualifier) -> bool:
    """``expr`` may evaluate to (or contain) a value that lives on the cluster."""
    stack: list[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Call):
            func = node.func
            method = func.attr.value if isinstance(func, cst.Attribute) else None
            on_client = (
                isinstance(func, cst.Attribute)
                and isinstance(func.value, cst.Name)
                and func.value.value == client
            )
            if method in _RESULT_METHODS and not (on_client and method == "compute"):
                continue  # brought back as a plain value
            name = qualify(func)
            if name == "dask.compute":
                continue
            if method in _FUTURE_METHODS or (on_client and method == "compute"):
                return True
            if name in _FUTURE_FUNCTIONS:
                return True
        elif isinstance(node, cst.Name) and (node.value in held or node.value == client):
            return True
        elif isinstance(node, _SCOPES):
            continue
        stack.extend(iter_children(node))
    return False


def _mutates_with_cluster_values(
    call: cst.Call, client: str, held: set[str], qualify: Qualifier
) -> bool:
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in MUTATING_METHODS:
        return False
    return any(_on_cluster(arg.value, client, held, qualify) for arg in call.args)


def _receiver_name(call: cst.Call) -> str | None:
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        return func.value.value
    return None


def _bound_in(region: Sequence[cst.BaseStatement], name: str) -> bool:
    for statement in region:
        for node in walk_subtree(statement, prune=lambda n: isinstance(n, _SCOPES)):
            target = bound_target(node)
            if target is not None and isinstance(target, cst.Name) and target.value == name:
                return True
    return False


class _Flow(enum.Enum):
    USED = "used"
    CLOSED = "closed"
    SHUTDOWN = "shutdown"
    ESCAPES = "escapes"


def _names(scope: cst.CSTNode, name: str) -> Iterator[tuple[cst.Name, list[cst.CSTNode]]]:
    """Each ``Name`` node spelling ``name`` in ``scope``, with its ancestors up to the
    scope (outermost first), skipping nested scopes that bind ``name`` themselves."""
    roots: list[cst.CSTNode] = [scope.body] if isinstance(scope, cst.FunctionDef) else [scope]
    stack: list[tuple[cst.CSTNode, list[cst.CSTNode]]] = [(r, [scope]) for r in roots]
    while stack:
        node, parents = stack.pop()
        if isinstance(node, cst.Name):
            if node.value == name:
                yield node, parents
            continue
        if isinstance(node, _SCOPES) and node is not scope and _binds_locally(node, name):
            continue
        below = [*parents, node]
        stack.extend((child, below) for child in iter_children(node))


def _binds_locally(node: cst.CSTNode, name: str) -> bool:
    """A nested function or class with its own variable ``name``."""
    if isinstance(node, (cst.FunctionDef, cst.Lambda)):
        params = node.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
        if any(p.name.value == name for p in every):
            return True
    if isinstance(node, cst.Lambda):
        return False
    body = node.body if isinstance(node, (cst.FunctionDef, cst.ClassDef)) else node
    declared = stored = False
    for inner in walk_subtree(body, prune=lambda n: isinstance(n, _SCOPES)):
        if isinstance(inner, (cst.Global, cst.Nonlocal)):
            declared = declared or any(item.name.value == name for item in inner.names)
            continue
        target = bound_target(inner)
        if target is not None and name in target_names(target):
            stored = True
    return stored and not declared


def bound_target(node: cst.CSTNode) -> cst.BaseExpression | None:
    """The target ``node`` binds: assignments, ``for`` targets, ``as`` names, ``:=``."""
    if isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
        return node.target
    if isinstance(node, (cst.For, cst.CompFor)):
        return node.target
    if isinstance(node, cst.AsName) and isinstance(node.name, cst.BaseExpression):
        return node.name
    return None


def target_names(target: cst.BaseExpression) -> set[str]:
    """The plain names a target binds (``a``, ``a, *b``), not attributes or items."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {n for e in target.elements for n in target_names(e.value)}
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return set()


def _is_store(node: cst.Name, parent: cst.CSTNode) -> bool:
    if isinstance(parent, cst.AssignTarget) and parent.target is node:
        return True
    if isinstance(parent, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr)) and parent.target is node:
        return True
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is node:
        return True
    if isinstance(parent, cst.AsName) and parent.name is node:
        return True
    if isinstance(parent, (cst.Tuple, cst.List, cst.Element, cst.StarredElement)):
        return False  # tuple targets: reads and stores look alike; a read is conservative
    if isinstance(parent, cst.Del):
        return True
    return isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Param, cst.ImportAlias))


def _flow(node: cst.Name, parents: list[cst.CSTNode], qualify: Qualifier) -> _Flow | cst.Call:
    """Follow the handle object from a read of its name to where it ends up."""
    current: cst.CSTNode = node
    for parent in reversed(parents):
        if isinstance(parent, cst.Attribute):
            if parent.value is not current:
                return _Flow.USED
            if parent.attr.value == "shutdown":
                return _Flow.SHUTDOWN
            return _Flow.CLOSED if parent.attr.value in _CLOSERS else _Flow.USED
        if isinstance(parent, cst.WithItem):
            return _Flow.CLOSED if parent.item is current else _Flow.USED
        if isinstance(parent, cst.Arg):
            return _argument(parent, parents, qualify)
        if isinstance(parent, (cst.Return, cst.Yield)):
            return _Flow.ESCAPES
        if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            return _Flow.ESCAPES if getattr(parent, "value", None) is current else _Flow.USED
        if not isinstance(parent, _CARRIERS):
            return _Flow.USED
        current = parent
    return _Flow.USED


def _argument(arg: cst.Arg, parents: list[cst.CSTNode], qualify: Qualifier) -> _Flow | cst.Call:
    index = next(i for i in range(len(parents) - 1, -1, -1) if parents[i] is arg)
    call = parents[index - 1] if index > 0 else None
    if not isinstance(call, cst.Call):
        return _Flow.ESCAPES
    if arg.keyword is not None and arg.keyword.value == "scheduler":
        return _Flow.USED  # ``compute(scheduler=client)``, ``config.set(scheduler=client)``
    qualified = qualify(call.func)
    if qualified == CLIENT and (arg.keyword is None or arg.keyword.value == "address"):
        return call
    parts = dotted_parts(call.func)
    last = parts[-1] if parts else None
    if isinstance(call.func, cst.Attribute):
        last = call.func.attr.value
    if last in _CLOSING_CALLS:
        return _Flow.CLOSED
    if parts is not None and len(parts) == 1 and last in _INSPECTING_BUILTINS:
        return _Flow.USED
    if qualified in _INSPECTING_FUNCTIONS:
        return _Flow.USED
    if isinstance(call.func, cst.Attribute) and last in _LOGGING_METHODS:
        return _Flow.USED
    return _Flow.ESCAPES


__all__ = [
    "CLIENT",
    "HANDLE_FACTORIES",
    "HandleKind",
    "HandleUse",
    "binding_of",
    "bound_target",
    "handle_kind",
    "handle_use",
    "starts_cluster",
    "target_names",
    "values_outlive",
]
