"""What a loop that computes is for, when it streams results to its consumer.

A batch generator computes one batch when its consumer asks for the next one: the point
is never to hold the whole dataset. Computing all batches at once (the usual advice for
``compute()`` in a loop) would load it all. Two shapes: a generator expression that
escapes (returned, yielded, bound to a name) computes lazily, one item per ``next``; and
a computation nested in a loop whose iterations ``yield`` (a comprehension building one
batch) can only be batched per iteration of that loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from dasklint.semantic.tree import iter_children

_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def lazy_stream(path: Sequence[cst.CSTNode], loop: cst.CSTNode) -> bool:
    """``loop`` is a generator expression whose items are computed one at a time by its
    consumer: it is returned, yielded (``yield from``) or bound to a name, not consumed
    at once by a call such as ``sum(...)`` or ``list(...)``."""
    if not isinstance(loop, cst.GeneratorExp):
        return False
    parent = _parent(path, loop)
    if isinstance(parent, (cst.Return, cst.Yield, cst.From)):
        return True
    return isinstance(parent, cst.Assign) and parent.value is loop


def yielding_loop(path: Sequence[cst.CSTNode], loop: cst.CSTNode) -> cst.CSTNode | None:
    """The loop around ``loop`` (in the same function) whose body yields, if any: each of
    its iterations hands one result (a batch) to the consumer."""
    below = list(path)
    if loop in below:
        below = below[: below.index(loop)]
    for node in reversed(below):
        if isinstance(node, _SCOPES):
            return None
        if isinstance(node, (cst.For, cst.While)) and _yields(node.body):
            return node
    return None


def _parent(path: Sequence[cst.CSTNode], node: cst.CSTNode) -> cst.CSTNode | None:
    for i, current in enumerate(path):
        if current is node:
            return path[i - 1] if i > 0 else None
    return None


def _yields(body: cst.CSTNode) -> bool:
    stack: list[cst.CSTNode] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Yield):
            return True
        if not isinstance(node, _SCOPES):
            stack.extend(iter_children(node))
    return False
