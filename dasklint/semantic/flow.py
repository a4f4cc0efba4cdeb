"""Data flow inside a loop: whether a computation in a loop has to run once per iteration.

A computation in a loop could run once for all iterations when no iteration needs
another's result. These questions are about the loop's code, never about the receiver's
type, so they hold for computations on receivers the source does not prove to be Dask's
as much as for proven ones. The loop and the call are located with the path from the
module to the call that the semantic model keeps for each compute site.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence

import libcst as cst

from dasklint.semantic.parents import ParentLinks
from dasklint.semantic.tree import iter_children, parent_table, read_names

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_BOUNDARIES = (*_SCOPES, cst.Module)
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_LIST_MUTATIONS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "sort"})
_STATEMENTS = (cst.BaseSmallStatement, cst.BaseCompoundStatement)
# Nodes between a binding and the loop that still run once every iteration, in order.
_STRAIGHT = (cst.IndentedBlock, cst.SimpleStatementLine, cst.SimpleStatementSuite, cst.With)
# Keywords and methods that choose a collection's layout: a loop that varies them
# compares layouts (``for chunks in [...]: da.ones(n, chunks=chunks).sum().compute()``).
_LAYOUT_KEYWORDS = frozenset(
    {"chunks", "npartitions", "chunksize", "blocksize", "partition_size", "split_every"}
)
_LAYOUT_METHODS = frozenset({"rechunk", "repartition"})
# Selections of one piece of a collection.
_SELECTIONS = frozenset({"isel", "sel", "get_partition", "loc", "iloc"})


class Repeat(enum.Enum):
    """Why a computation in a loop runs once per iteration on purpose."""

    WHILE = "a `while` loop runs until a computed condition holds"
    EXITS_EARLY = "the loop stops (`break`/`return`) on a computed result"
    CARRIED = "the next iteration's computation reads this one's result"
    STATE = "the result is dropped and the loop updates what the next computation reads"
    YIELDS = "each result is yielded as it is computed (streaming)"
    TIMED = "each computation is timed on its own"
    LAYOUTS = "the loop compares chunk or partition layouts"
    BATCHES = "the loop computes a sequence in batches"
    PIECEWISE = "the loop loads one collection piece by piece into a buffer"


def preorder(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """``node`` and the nodes below it in source order, not entering nested scopes."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current is not node and isinstance(current, _SCOPES):
            continue
        stack.extend(reversed(list(iter_children(current))))


def bound_names(node: cst.CSTNode) -> set[str]:
    """Names that ``node`` itself rebinds or changes in place (``x = ``, ``x += ``,
    ``for x in``, ``with ... as x``, ``x := ``, ``x.append(...)``, ``x[i] = ``)."""
    targets: list[cst.BaseExpression] = []
    if isinstance(node, cst.Assign):
        targets = [t.target for t in node.targets]
    elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.NamedExpr, cst.For, cst.CompFor)):
        targets = [node.target]
    elif isinstance(node, cst.WithItem) and node.asname is not None:
        targets = [node.asname.name]
    elif (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value in _LIST_MUTATIONS
        and isinstance(node.func.value, cst.Name)
    ):
        return {node.func.value.value}
    elif isinstance(node, cst.Del):
        targets = [node.target]
    names: set[str] = set()
    for target in targets:
        names |= target_names(target)
    return names


def target_names(target: cst.BaseExpression) -> set[str]:
    """Names an assignment target rebinds or changes (``x[i] = ...`` changes ``x``)."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(target_names(e.value) for e in target.elements))
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    if isinstance(target, (cst.Subscript, cst.Attribute)):
        return target_names(target.value)  # ``x[i] = ...`` changes ``x``
    return set()


def reads(node: cst.CSTNode) -> set[str]:
    """Names read in ``node`` (attribute names and keyword names aside)."""
    return {name.value for name in read_names(node)}


def exits_early(loop: cst.CSTNode) -> bool:
    """A ``for`` loop left by ``break`` or ``return`` before its iterable is exhausted (a
    ``break`` of a nested loop leaves only that loop; a ``return`` leaves them all)."""
    if not isinstance(loop, cst.For):
        return False
    stack: list[cst.CSTNode] = [loop.body]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Break, cst.Return)):
            return True
        if isinstance(current, _SCOPES):
            continue
        if isinstance(current, (cst.For, cst.While)):
            if any(isinstance(n, cst.Return) for n in preorder(current)):
                return True
            continue
        stack.extend(iter_children(current))
    return False


def innermost_loop(path: Sequence[cst.CSTNode], call: cst.CSTNode) -> cst.CSTNode | None:
    """The innermost loop around ``call`` in its own function, given the nodes from the
    module down to ``call``'s parent; None when it only sits in what a loop evaluates
    once (a ``for``'s iterable, a comprehension's outermost iterable)."""
    chain = [*path, call]
    for i in range(len(path) - 1, -1, -1):
        node, child = chain[i], chain[i + 1]
        if isinstance(node, _BOUNDARIES):
            return None
        if isinstance(node, (cst.For, cst.While)) and child is node.body:
            return node
        if isinstance(node, COMPREHENSIONS):
            if child is node.for_in and chain[i + 2] is node.for_in.iter:
                continue  # the outermost iterable: evaluated once
            return node
    return None


def repeat_reason(
    path: Sequence[cst.CSTNode],
    call: cst.BaseExpression,
    loop: cst.CSTNode,
    clocks: frozenset[int] = frozenset(),
    computed: cst.BaseExpression | None = None,
) -> Repeat | None:
    """Why ``call`` (the computation: a ``compute`` call, or an expression that computes
    such as ``x.values``) has to run once per iteration of ``loop``, or None when the
    iterations do not need each other and could be computed together.
    ``clocks``: ids of the calls that read a clock (``time.perf_counter()``, ...);
    ``computed``: the lazy value ``call`` computes (by default the receiver of a
    ``.compute()``-like method call)."""
    if isinstance(loop, cst.While):
        return Repeat.WHILE
    if not isinstance(loop, cst.For):
        return None
    if exits_early(loop):
        return Repeat.EXITS_EARLY
    inside = _path_below(path, loop, call)
    statement = next((n for n in reversed(inside) if isinstance(n, _STATEMENTS)), None)
    if isinstance(statement, cst.Assign):
        # ``state = step(state).compute()``: the result feeds the next iteration.
        assigned = {t.target.value for t in statement.targets if isinstance(t.target, cst.Name)}
        if assigned & reads(call):
            return Repeat.CARRIED
    needed = _needed_from_before(loop, call, statement)
    if _fed_by_result(loop, inside) & needed:
        return Repeat.CARRIED
    if (
        isinstance(statement, cst.Expr)
        and statement.value is call
        and _changed_after(loop, call) & needed
    ):
        return Repeat.STATE
    if any(isinstance(n, cst.Yield) for n in preorder(loop.body)):
        return Repeat.YIELDS
    if (clocks and _timed(loop, call, clocks)) or _in_timer_block(inside):
        return Repeat.TIMED
    derived = _loop_derived(loop)
    lazy = _lazy_inputs(loop, call, statement)
    if _varies_layout(lazy, derived):
        return Repeat.LAYOUTS
    if isinstance(call, cst.Call) and _batched(loop, call, derived):
        return Repeat.BATCHES
    if computed is None and isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
        computed = call.func.value
    if computed is not None and _piecewise(statement, computed, derived):
        return Repeat.PIECEWISE
    return None


def _path_below(
    path: Sequence[cst.CSTNode], loop: cst.CSTNode, call: cst.CSTNode
) -> list[cst.CSTNode]:
    """The nodes strictly between ``loop`` and ``call``, outermost first."""
    for i, node in enumerate(path):
        if node is loop:
            return list(path[i + 1 :])
    return []


def _fed_by_result(loop: cst.For, inside: list[cst.CSTNode]) -> set[str]:
    """Names the loop body binds, directly or through other names, from the computed
    value: ``idx = set(compute(x))``, then ``seen |= idx``, then ``centers = f(seen)``."""
    fed: set[str] = set()
    for node in inside:
        fed |= bound_names(node)
    return _derived_in_body(loop, fed)


def _needed_from_before(loop: cst.For, call: cst.CSTNode, holder: cst.CSTNode | None) -> set[str]:
    """Names the computation reads as they were at the start of the iteration: the call's
    own names, and those of the bindings before it that they come from (a name bound
    unconditionally on the way no longer carries the previous iteration's value)."""
    needed = reads(call)
    parents = parent_table(loop)
    for node in reversed(_bindings_before(loop, call, holder)):
        names = bound_names(node)
        if not names & needed:
            continue
        if _unconditional(parents, node, loop):
            needed -= names
        needed |= _binding_reads(node)
    return needed


def _bindings_before(
    loop: cst.For, call: cst.CSTNode, holder: cst.CSTNode | None
) -> list[cst.CSTNode]:
    before: list[cst.CSTNode] = []
    for node in preorder(loop.body):
        if node is holder or node is call:
            break
        if bound_names(node):
            before.append(node)
    return before


def _lazy_inputs(loop: cst.For, call: cst.CSTNode, holder: cst.CSTNode | None) -> list[cst.CSTNode]:
    """The computation and the bindings in the iteration before it that it reads from."""
    found: list[cst.CSTNode] = [call]
    needed = reads(call)
    for node in reversed(_bindings_before(loop, call, holder)):
        if bound_names(node) & needed:
            found.append(node)
            needed |= _binding_reads(node)
    return found


def _changed_after(loop: cst.For, call: cst.CSTNode) -> set[str]:
    """Names the iteration rebinds or changes after ``call``."""
    after = False
    changed: set[str] = set()
    for node in preorder(loop.body):
        if node is call:
            after = True
        elif after:
            changed |= bound_names(node)
    return changed


def _loop_derived(loop: cst.For) -> set[str]:
    """The loop's targets and the names the body derives from them."""
    return _derived_in_body(loop, target_names(loop.target))


def _derived_in_body(loop: cst.For, seed: set[str]) -> set[str]:
    """``seed`` and every name the loop body binds from it, directly or through others."""
    derived = set(seed)
    binders = [n for n in preorder(loop.body) if bound_names(n)]
    changed = True
    while changed:
        changed = False
        for node in binders:
            names = bound_names(node)
            if not names <= derived and _binding_reads(node) & derived:
                derived |= names
                changed = True
    return derived


def _timed(loop: cst.For, call: cst.CSTNode, clocks: frozenset[int]) -> bool:
    """A clock is read in the iteration before the computation and again after it."""
    before = after = False
    seen_call = False
    for node in preorder(loop.body):
        if node is call:
            seen_call = True
        elif id(node) in clocks:
            if seen_call:
                after = True
            else:
                before = True
    return before and after


# What a context manager that times its block is called (``with Timer():``,
# ``with timer("read"):``, ``with timing(...)``), in lower case.
_TIMER_WORDS = ("timer", "timing", "timeit", "stopwatch")


def _in_timer_block(inside: list[cst.CSTNode]) -> bool:
    """The computation runs in a ``with`` block that times it."""
    for node in inside:
        if not isinstance(node, cst.With):
            continue
        for item in node.items:
            func = item.item.func if isinstance(item.item, cst.Call) else item.item
            name = func.attr.value if isinstance(func, cst.Attribute) else None
            if isinstance(func, cst.Name):
                name = func.value
            if name is not None and any(word in name.lower() for word in _TIMER_WORDS):
                return True
    return False


def _varies_layout(lazy: list[cst.CSTNode], derived: set[str]) -> bool:
    for root in lazy:
        for node in preorder(root):
            if not isinstance(node, cst.Call):
                continue
            for arg in node.args:
                if (
                    arg.keyword is not None
                    and arg.keyword.value in _LAYOUT_KEYWORDS
                    and reads(arg.value) & derived
                ):
                    return True
            func = node.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value in _LAYOUT_METHODS
                and any(reads(arg.value) & derived for arg in node.args)
            ):
                return True
    return False


def _batched(loop: cst.For, call: cst.Call, derived: set[str]) -> bool:
    """``dask.compute(*batch)`` over a slice of a sequence, or over the loop's own batch:
    computing many values at once per iteration, in batches on purpose (to bound memory
    or concurrency)."""
    starred = [arg.value for arg in call.args if arg.star == "*"]
    if not starred:
        return False
    for value in starred:
        if isinstance(value, cst.Subscript) and _is_slice(value):
            return True
        if isinstance(value, cst.Name):
            if value.value in target_names(loop.target):
                return True
            for node in preorder(loop.body):
                if (
                    isinstance(node, cst.Assign)
                    and value.value in bound_names(node)
                    and isinstance(node.value, cst.Subscript)
                    and _is_slice(node.value)
                    and reads(node.value.slice[0]) & derived
                ):
                    return True
    return False


def _is_slice(node: cst.Subscript) -> bool:
    return len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice)


def _piecewise(
    statement: cst.CSTNode | None, receiver: cst.BaseExpression, derived: set[str]
) -> bool:
    """``buffer[t] = whole[t].compute()`` (``receiver`` is ``whole[t]``): one piece of a
    collection the loop does not change, selected by the iteration, copied into a buffer
    at the iteration's place (what ``whole.compute()`` would do in one go, in bounded
    memory)."""
    if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
        return False
    target = statement.targets[0].target
    if not (isinstance(target, cst.Subscript) and reads(target.slice[0]) & derived):
        return False
    while True:
        if isinstance(receiver, cst.Subscript):
            return bool(reads(receiver.slice[0]) & derived) and not (
                reads(receiver.value) & derived
            )
        if isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute):
            if receiver.func.attr.value in _SELECTIONS:
                return bool(
                    any(reads(arg.value) & derived for arg in receiver.args)
                    and not reads(receiver.func.value) & derived
                )
            receiver = receiver.func.value
        elif isinstance(receiver, cst.Attribute):
            receiver = receiver.value
        else:
            return False


def _binding_reads(node: cst.CSTNode) -> set[str]:
    """What a binding reads: the value of ``x = value``; all of ``x += v``, ``x[i] = v``,
    ``x.append(v)``, which keep part of the old ``x``."""
    if isinstance(node, cst.Assign) and all(
        isinstance(t.target, (cst.Name, cst.Tuple, cst.List)) for t in node.targets
    ):
        return reads(node.value)
    if isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
        return reads(node.value) if node.value is not None else set()
    if isinstance(node, (cst.For, cst.CompFor)):
        return reads(node.iter)
    if isinstance(node, cst.WithItem):
        return reads(node.item)
    if isinstance(node, cst.NamedExpr):
        return reads(node.value)
    return reads(node)


def _unconditional(parents: dict[int, cst.CSTNode], node: cst.CSTNode, loop: cst.For) -> bool:
    """``node`` is a plain assignment that runs in every iteration before what follows."""
    if not isinstance(node, (cst.Assign, cst.AnnAssign)):
        return False
    current = parents.get(id(node))
    while current is not None and current is not loop:
        if not isinstance(current, _STRAIGHT):
            return False
        current = parents.get(id(current))
    return current is loop


def loop_body(loop: cst.CSTNode) -> cst.CSTNode | None:
    """What runs once per iteration: a loop's body, a comprehension's element(s)."""
    if isinstance(loop, (cst.For, cst.While)):
        return loop.body
    if isinstance(loop, cst.DictComp):
        return cst.Tuple([cst.Element(loop.key), cst.Element(loop.value)])
    if isinstance(loop, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        return loop.elt
    return None


def changed_in(node: cst.CSTNode) -> set[str]:
    """Every name that ``node`` rebinds or changes in place."""
    found: set[str] = set()
    for current in preorder(node):
        found |= bound_names(current)
    return found


def carried_names(links: ParentLinks, loop: cst.CSTNode, call: cst.CSTNode) -> set[str]:
    """Names the loop rebinds in the statement holding ``call`` or after it: a value the
    next iteration reads from this one (``future = client.submit(step, future)``)."""
    body = loop_body(loop)
    if body is None:
        return set()
    table = links.table
    holders: set[int] = set()
    current: cst.CSTNode | None = call
    while current is not None and current is not loop:
        holders.add(id(current))
        current = table.get(id(current))
    found: set[str] = set()
    after = False
    for node in preorder(body):
        if node is call:
            after = True
        # An inner loop's target is bound anew before each use: not carried over.
        if (after or id(node) in holders) and not isinstance(node, (cst.For, cst.CompFor)):
            found |= bound_names(node)
    return found


__all__ = [
    "COMPREHENSIONS",
    "Repeat",
    "bound_names",
    "carried_names",
    "changed_in",
    "exits_early",
    "innermost_loop",
    "loop_body",
    "preorder",
    "reads",
    "repeat_reason",
    "target_names",
]
