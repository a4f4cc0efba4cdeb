"""What a task costs next to the scheduler's per-task overhead.

Dask documents a fixed cost for every task: "between 200us and 1ms" in general
(``best-practices.rst``), "about 1ms" per future on the distributed scheduler
(``futures.rst``), "around 50us" on the local threads (``scheduling.rst``). Whether a
loop of tasks is too fine-grained depends on that overhead against each task's work and
on how many tasks there are. This module answers the work side, from what the source
shows:

- *tiny* work: :func:`dasklint.semantic.trivial.trivial_callee` (a lambda of arithmetic,
  ``operator.*``, a small builtin, a single random draw, a project function of a few
  statements of arithmetic);
- *one row*: a task given one row of an in-memory array (``a[i, :]`` for a loop index
  ``i``): the work grows with a row, and the count with the rows of the data;
- *long* work: the function waits (``time.sleep``, a stand-in for real work in tutorials),
  reads or writes files or the network, runs a subprocess or a nested Dask computation,
  through the functions it calls in the project (:func:`long_work`);

and the count side that the loops do not give: which tasks make up one computation (the
values a ``compute``, ``gather`` or ``.result()`` reads) and whether the tasks are made
one per item of the data (:func:`per_item`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.facts import FunctionFacts
from dasklint.semantic.gil import matches
from dasklint.semantic.lazy import Lazy
from dasklint.semantic.loops import LoopContext
from dasklint.semantic.task_call import TaskCall
from dasklint.semantic.tree import walk_subtree
from dasklint.semantic.trivial import trivial_callee

if TYPE_CHECKING:
    from dasklint.semantic.model import SemanticModel

# Calls whose time is spent waiting (on a clock, a disk, a network, another process) or in
# a nested Dask computation: a task making one is not small next to the overhead.
LONG_CALLS: tuple[str, ...] = (
    "time.sleep", "asyncio.sleep", "open", "io", "os.read", "os.write", "os.system",
    "shutil", "sqlite3", "socket", "requests", "urllib", "http", "aiohttp", "boto3",
    "botocore", "s3fs", "gcsfs", "fsspec", "subprocess", "dask", "distributed",
)  # fmt: skip
# Builtins that reduce the results of other tasks: cheap when those are a few numbers.
_AGGREGATES = frozenset({"sum", "max", "min", "len", "sorted", "list", "tuple", "any", "all"})
_MAX_DEPTH = 8


WAITS: tuple[str, ...] = ("time.sleep", "asyncio.sleep")


def long_work(
    model: SemanticModel, facts: FunctionFacts, table: tuple[str, ...] = LONG_CALLS
) -> str | None:
    """The call of ``table`` that makes ``facts`` (or a project function it calls) long,
    if any; with the default table, a nested Dask computation counts too."""
    summarizer = model.tasks.summarizer()
    seen: set[int] = set()
    stack = [(facts, 0)]
    while stack:
        current, depth = stack.pop()
        if id(current) in seen or depth > _MAX_DEPTH:
            continue
        seen.add(id(current))
        if current.computes and table is LONG_CALLS:
            return "a nested Dask computation"
        for callee in current.calls:
            if callee.startswith("."):
                continue
            local = summarizer.resolve(callee, current.module)
            if local is not None:
                stack.append((local, depth + 1))
            elif matches(callee, table):
                return f"`{callee}`"
    return None


def task_long_work(model: SemanticModel, task: TaskCall) -> str | None:
    """Why the task's function is known to run long, or None."""
    return long_work(model, task.facts) if task.facts is not None else None


def per_item(task: TaskCall) -> bool:
    """For a count the source does not give: the tasks are made one per item of the data
    (a per-element map, or a loop whose item or index is itself the task's argument:
    ``delayed(f)(x)``, ``delayed(f)(rows[i])``), in ``for`` loops or comprehensions, not
    in ``while`` loops of unknown length other than halving reductions. A task given a
    value the loop body computes (``delayed(len)(X[y == c])`` per class) works on a
    group, whose count is not known to be large; pieces of a lazy computation
    (partitions, blocks, futures) are counted by their collection."""
    loops = task.loops.loops
    if any(
        loop.estimate is None and isinstance(loop.node, cst.While) and loop.halves is None
        for loop in loops
    ):
        return False
    positional = [a for a in task.args if a.keyword is None and not a.star]
    if any(loop.over_lazy for loop in loops) or any(
        lazy_argument(task, a) is not None for a in positional
    ):
        return False
    if task.per_element or task.loops.halving is not None:
        return True
    return any(item_of(_in_loop(task, arg.value), task.loops.targets) for arg in positional)


def _in_loop(task: TaskCall, expr: cst.BaseExpression) -> cst.BaseExpression:
    """A name bound in the loop body, followed to its value (``row = a[i]``)."""
    if isinstance(expr, cst.Name) and expr.value not in task.loops.targets:
        return _bound_in_loops(task.loops, expr.value) or expr
    return expr


def lazy_argument(task: TaskCall, arg: cst.Arg) -> Lazy | None:
    """What a task argument held when the call was made, when it is lazy."""
    kind = task.arg_kinds.get(id(arg))
    return kind if isinstance(kind, Lazy) else None


def item_of(expr: cst.BaseExpression, targets: frozenset[str]) -> bool:
    """``x`` or ``rows[i]``/``rows[i, :]``/``x.field`` for a loop target."""
    if isinstance(expr, cst.Name):
        return expr.value in targets
    if isinstance(expr, cst.Attribute):
        return item_of(expr.value, targets)
    if isinstance(expr, cst.Subscript):
        return item_of(expr.value, targets) or any(
            isinstance(e.slice, cst.Index) and item_of(e.slice.value, targets) for e in expr.slice
        )
    return False


def row_argument(task: TaskCall) -> str | None:
    """The spelling of an argument that is one row of an array, indexed by the loop:
    ``a[i, :]`` or ``a[i, :, :]`` (the slices show that the item keeps the trailing
    dimensions of a larger array), directly or through a name bound to it in the loop
    body (``row = a[i, :]``). ``a[i]`` alone is not enough: it may be a whole image."""
    targets = task.loops.targets
    for arg in task.args:
        if arg.keyword is not None or arg.star:
            continue
        value = _in_loop(task, arg.value)
        if isinstance(value, cst.Subscript) and _row(value, targets):
            return cst.Module([]).code_for_node(value)
    return None


def _row(expr: cst.Subscript, targets: frozenset[str]) -> bool:
    parts = expr.slice
    if len(parts) < 2 or not isinstance(parts[0].slice, cst.Index):
        return False
    index = parts[0].slice.value
    if not (isinstance(index, cst.Name) and index.value in targets):
        return False
    return all(_whole(p.slice) for p in parts[1:])


def _whole(part: cst.BaseSlice) -> bool:
    return (
        isinstance(part, cst.Slice)
        and part.lower is None
        and part.upper is None
        and part.step is None
    )


def _bound_in_loops(loops: LoopContext, name: str) -> cst.BaseExpression | None:
    """What ``name`` holds in the loops' bodies when every assignment to it there is one
    value, or that value reworked (``y = a[i, :]`` then ``if c: y = np.hstack([y, ...])``):
    the value itself, innermost loop first."""
    for loop in reversed(loops.loops):
        if not isinstance(loop.node, cst.For):
            continue
        found: list[cst.BaseExpression] = []
        for node in _statements(loop.node.body):
            if isinstance(node, cst.Assign):
                if any(
                    isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets
                ):
                    found.append(node.value)
            elif (
                isinstance(node, (cst.AugAssign, cst.AnnAssign))
                and isinstance(node.target, cst.Name)
                and node.target.value == name
            ):
                return None
        fresh = [value for value in found if not _mentions(value, name)]
        if len(fresh) == 1:
            return fresh[0]
        if found:
            return None
    return None


def _mentions(expr: cst.CSTNode, name: str) -> bool:
    return any(isinstance(n, cst.Name) and n.value == name for n in walk_subtree(expr))


def _statements(body: cst.BaseSuite) -> list[cst.BaseSmallStatement]:
    """The small statements of a loop body, nested ``if``/``else`` blocks included."""
    out: list[cst.BaseSmallStatement] = []
    lines = body.body if isinstance(body, cst.IndentedBlock) else [body]
    for line in lines:
        if isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            out.extend(line.body)
        elif isinstance(line, cst.If):
            out.extend(_statements(line.body))
            orelse = line.orelse
            while orelse is not None:
                out.extend(_statements(orelse.body))
                orelse = orelse.orelse if isinstance(orelse, cst.If) else None
    return out


def aggregate(task: TaskCall) -> bool:
    """``delayed(sum)(parts)``/``client.submit(max, futures)``: a builtin reducing a list
    of other tasks' results, cheap when those are a few numbers."""
    if task.external not in _AGGREGATES:
        return False
    positional = [a for a in task.args if a.keyword is None and not a.star]
    if len(positional) != 1:
        return False
    kind = lazy_argument(task, positional[0])
    return kind is not None and kind.is_list


def tiny(model: SemanticModel, task: TaskCall) -> str | None:
    """Why the task's work is tiny (``trivial_callee``), or None."""
    positional = sum(1 for a in task.args if a.keyword is None and not a.star)
    return trivial_callee(model, task, 1 if task.per_element else positional)


def computations(model: SemanticModel, task: TaskCall) -> list[list[TaskCall]]:
    """The tasks of each computation whose results are read and include ``task``'s: a
    compute site, ``client.gather``, ``future.result()``. Empty when nothing reads them
    (futures only waited for, graphs only built)."""
    out = []
    for origins in model.tasks.consumers():
        if task.index in origins:
            out.append([t for t in model.tasks.task_calls if t.index in origins])
    return out


def tiny_pipeline(model: SemanticModel, task: TaskCall) -> int | None:
    """The number of tasks of the computations that read ``task``'s results, when they
    form a pipeline of tiny tasks: every one is tiny (or a builtin reducing the others),
    at least one tiny task is fed by another (each stage pays the overhead again), and
    every count is written in the source; None otherwise. A single map of a few tiny
    tasks is left alone: it is how examples show a scheduler at work."""
    groups = computations(model, task)
    if not groups:
        return None
    members = {t.index: t for group in groups for t in group}
    total = 0
    staged = False
    for member in members.values():
        estimate = member.estimate
        if estimate is None or not estimate.exact:
            return None
        if aggregate(member):
            total += estimate.value
            continue
        if tiny(model, member) is None:
            return None
        staged = staged or bool(member.origins & members.keys())
        total += estimate.value
    return total if staged else None


__all__ = [
    "LONG_CALLS", "WAITS", "aggregate", "computations", "item_of", "lazy_argument",
    "long_work", "per_item", "row_argument", "task_long_work", "tiny", "tiny_pipeline",
]  # fmt: skip
