"""Calls that turn a function into tasks, and the function each one runs.

Recognised forms: ``delayed(f)(...)`` (and a name bound to ``delayed(f)``), calls of
functions decorated with ``@delayed`` / ``@delayed(...)`` in this module or elsewhere in
the project, ``client.submit(f, ...)`` / ``client.map(f, ...)``, and the collection
methods and functions that apply ``f`` per partition or block (``Bag.map``,
``map_partitions``, ``map_blocks``, ``blockwise``, ``apply``). The callee is resolved to a
lambda, a project function (through the project index) or an outside callable name.
"""

from __future__ import annotations

import builtins
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.facts import FunctionFacts
from dasklint.semantic.loops import LoopContext
from dasklint.semantic.size import ONE, Size

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

DELAYED = "dask.delayed"
# Keywords that ``Delayed.__call__`` and ``Client.submit`` consume themselves.
DELAYED_KEYWORDS = frozenset({"pure", "dask_key_name"})
SUBMIT_KEYWORDS = frozenset(
    {
        "key", "workers", "resources", "retries", "priority", "fifo_timeout",
        "allow_other_workers", "actor", "actors", "pure", "batch_size",
    }
)  # fmt: skip
# Methods of collections that run a function per partition, block or element batch.
COLLECTION_METHODS: dict[str, frozenset[CollectionKind]] = {
    "map": frozenset({CollectionKind.BAG}),
    "map_partitions": frozenset({CollectionKind.BAG, CollectionKind.DATAFRAME}),
    "map_blocks": frozenset({CollectionKind.ARRAY}),
    "map_overlap": frozenset({CollectionKind.ARRAY, CollectionKind.DATAFRAME}),
    "apply": frozenset({CollectionKind.DATAFRAME}),
}
COLLECTION_FUNCTIONS = frozenset(
    {
        "dask.array.map_blocks", "dask.array.blockwise", "dask.array.map_overlap",
        "dask.dataframe.map_partitions", "dask.bag.map", "dask.bag.map_partitions",
    }
)  # fmt: skip


class TaskApi(enum.Enum):
    DELAYED = "delayed"  # one task per call
    SUBMIT = "submit"  # one future per call
    CLIENT_MAP = "client.map"  # one future per element of the iterables
    DELAYED_MAP = "map(delayed)"  # builtin ``map(delayed(f), xs)``: one task per element
    COLLECTION = "collection"  # one task per partition or block
    # ``helper(delayed(f), ...)`` where the project function ``helper`` calls its parameter:
    # the tasks are made inside ``helper`` (``through``), how many is up to it.
    PASSED = "delayed function passed to a project function"


@dataclass(slots=True, eq=False)
class TaskCall:
    """A call site creating tasks that run ``callee``."""

    index: int
    call: cst.Call
    api: TaskApi
    callee_expr: cst.BaseExpression
    args: tuple[cst.Arg, ...]  # the arguments the task function receives
    loops: LoopContext
    scope: cst.CSTNode | None
    facts: FunctionFacts | None = None  # the project function it runs, when resolved
    external: str | None = None  # an outside callable: "operator.add", "sum", "numpy.sum"
    lambda_node: cst.Lambda | None = None
    # For ``lambda row: f(row, ...)``: the project function the lambda's body calls.
    lambda_callee: FunctionFacts | None = None
    method: str | None = None  # for collections: "map_partitions", "apply", ...
    row_wise: bool = False  # DataFrame.apply(axis=1)
    map_size: int | None = None  # client.map: elements of the first iterable, if known
    # Elements of a per-element call (client.map, map(delayed(f), ...)), exact or bounded.
    map_estimate: Size | None = None
    # What each argument is (a Lazy from dasklint.semantic.dataflow), by ``id`` of the
    # Arg, captured during the traversal while the call's scope is current.
    arg_kinds: dict[int, object] = field(default_factory=dict)
    origins: frozenset[int] = field(default_factory=frozenset)  # tasks it depends on
    through: FunctionFacts | None = None  # PASSED: the project function that makes them
    # The ``submit``/``map`` receiver is only likely a client (``futures.likely_client``):
    # findings about these tasks are not proven Dask's and have at most medium confidence.
    likely: bool = False

    @property
    def count(self) -> int | None:
        """Tasks this call creates over its loops (and ``client.map`` elements)."""
        count = self.loops.iterations if self.loops.in_loop else 1
        if self.api is TaskApi.CLIENT_MAP:
            count = None if count is None or self.map_size is None else count * self.map_size
        return count

    @property
    def per_element(self) -> bool:
        """One task per element of the iterables it is given."""
        return self.api in (TaskApi.CLIENT_MAP, TaskApi.DELAYED_MAP)

    @property
    def estimate(self) -> Size | None:
        """Tasks this call creates over its loops and elements, exact or bounded
        (:mod:`dasklint.semantic.sizes`); None when any factor is unknown."""
        count = self.loops.estimate if self.loops.in_loop else ONE
        if self.per_element:
            count = (
                None if count is None or self.map_estimate is None else count * self.map_estimate
            )
        return count


def recognise(
    model: ModelQueries, call: cst.Call
) -> tuple[TaskApi, cst.BaseExpression, tuple[cst.Arg, ...], str | None] | None:
    """``(api, callee expression, task arguments, collection method)`` for a task call."""
    func = call.func
    wrapped = _delayed_wrapper(model, func)
    if wrapped is not None:
        args = tuple(a for a in call.args if _keyword(a) not in DELAYED_KEYWORDS)
        return TaskApi.DELAYED, wrapped, args, None
    if model.is_delayed_function(func) or model.project_delayed_function(func):
        args = tuple(a for a in call.args if _keyword(a) not in DELAYED_KEYWORDS)
        return TaskApi.DELAYED, func, args, None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if not positional:
        return None
    first, rest = positional[0].value, tuple(a for a in call.args if a is not positional[0])
    if isinstance(func, cst.Name) and func.value == "map" and model.scopes.lookup("map") is None:
        mapped = _delayed_wrapper(model, first)
        if mapped is None and (
            model.is_delayed_function(first) or model.project_delayed_function(first)
        ):
            mapped = first
        return (TaskApi.DELAYED_MAP, mapped, rest, None) if mapped is not None else None
    if model.qualified_name(func) in COLLECTION_FUNCTIONS:
        return TaskApi.COLLECTION, first, rest, model.qualified_name(func)
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    receiver = model.collection_kind(func.value)
    if receiver is CollectionKind.CLIENT and method in ("submit", "map"):
        kept = tuple(a for a in rest if _keyword(a) not in SUBMIT_KEYWORDS)
        api = TaskApi.SUBMIT if method == "submit" else TaskApi.CLIENT_MAP
        return api, first, kept, None
    kinds = COLLECTION_METHODS.get(method)
    if kinds is not None and receiver in kinds:
        return TaskApi.COLLECTION, first, rest, method
    return None


def client_task_call(
    call: cst.Call,
) -> tuple[TaskApi, cst.BaseExpression, tuple[cst.Arg, ...]] | None:
    """``(api, callee, task arguments)`` of ``<receiver>.submit(f, ...)`` or
    ``<receiver>.map(f, ...)``, whatever the receiver is (the caller judges it)."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in ("submit", "map"):
        return None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if not positional:
        return None
    first = positional[0]
    kept = tuple(a for a in call.args if a is not first and _keyword(a) not in SUBMIT_KEYWORDS)
    api = TaskApi.SUBMIT if func.attr.value == "submit" else TaskApi.CLIENT_MAP
    return api, first.value, kept


def delayed_function(model: ModelQueries, expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """The function a delayed-function value runs: ``f`` for ``delayed(f)`` or a name bound to
    it, the name itself for a ``@delayed`` function."""
    wrapped = _delayed_wrapper(model, expr)
    if wrapped is not None:
        return wrapped
    if model.is_delayed_function(expr) or model.project_delayed_function(expr):
        return expr
    return None


def _keyword(arg: cst.Arg) -> str | None:
    return arg.keyword.value if arg.keyword is not None else None


def _delayed_wrapper(model: ModelQueries, func: cst.BaseExpression) -> cst.BaseExpression | None:
    """``f`` for ``delayed(f)`` or for a name bound to ``delayed(f)``."""
    if isinstance(func, cst.Name):
        binding = model.scopes.lookup(func.value)
        if binding is not None and isinstance(binding.value, cst.Call):
            func = binding.value
    if isinstance(func, cst.Call) and model.qualified_name(func.func) == DELAYED:
        positional = [a for a in func.args if a.keyword is None and not a.star]
        if positional and _callable_like(model, positional[0].value):
            return positional[0].value
    return None


def _callable_like(model: ModelQueries, expr: cst.BaseExpression) -> bool:
    """``delayed(x)`` also wraps plain values; only a call of the result runs a function."""
    return not isinstance(
        expr, (cst.Integer, cst.Float, cst.SimpleString, cst.List, cst.Tuple, cst.Dict)
    )


# Function names of benchmarks (``bench_merge``, asv's ``time_*``): tiny tasks are measured
# there on purpose, to time the scheduler itself.
_BENCHMARK_PREFIXES = ("bench", "time_", "peakmem_")


def in_benchmark_function(task: TaskCall) -> bool:
    """The task call is in a function named like a benchmark."""
    scope = task.scope
    return isinstance(scope, cst.FunctionDef) and scope.name.value.lower().startswith(
        _BENCHMARK_PREFIXES
    )


def is_builtin(name: str) -> bool:
    return hasattr(builtins, name)


def row_wise(call: cst.Call) -> bool:
    for arg in call.args:
        if _keyword(arg) == "axis":
            value = arg.value
            if isinstance(value, cst.Integer) and value.value == "1":
                return True
            if isinstance(value, cst.SimpleString) and value.evaluated_value == "columns":
                return True
    return False


__all__ = [
    "COLLECTION_METHODS", "TaskApi", "TaskCall", "client_task_call", "delayed_function",
    "in_benchmark_function", "is_builtin", "recognise", "row_wise",
]  # fmt: skip
