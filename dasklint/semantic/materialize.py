"""Expressions that run a Dask graph without calling ``compute``.

* ``x.values``, ``x.load()``, ``x.to_numpy()`` and the pandas conversions of a Dask-backed
  xarray object (xarray 2026.9.0: ``DataArray.values`` converts with ``np.array``;
  ``load`` and ``compute`` pass their keywords to ``dask.compute``). ``.data`` is the Dask
  array and computes nothing; ``.item()`` is no trigger: xarray refuses it on Dask data.
* ``np.asarray(x)``, ``np.array(x)``, ``np.copy(x)`` (NumPy calls ``__array__``) and
  ``float(x)``/``int(x)``/``complex(x)`` of a Dask array, DataFrame or Dask-backed xarray
  object.
* ``ddf.head()``/``ddf.tail()`` (``compute=True`` by default) and ``bag.take(k)``.

Each one blocks until its result is back, as ``.compute()`` does; the model records them
for the rules that care where a graph runs (a computation in a loop, for instance).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.frames import CONCRETE_METHODS, lazy_kind
from dasklint.semantic.names import BindingKind
from dasklint.semantic.scheduler import Receiver

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

# Attributes and methods of a Dask-backed xarray object that compute it.
XARRAY_ATTRIBUTES = frozenset({"values"})
XARRAY_METHODS = frozenset(
    {"load", "to_numpy", "as_numpy", "to_pandas", "to_series", "to_dataframe", "load_async"}
)
# Methods of a Dask DataFrame or Bag that compute unless given ``compute=False``.
PEEK_METHODS: dict[str, CollectionKind] = {
    "head": CollectionKind.DATAFRAME,
    "tail": CollectionKind.DATAFRAME,
    "take": CollectionKind.BAG,
}
# Functions that turn their first argument into a NumPy array or a Python number.
NUMPY_CONVERSIONS = frozenset(
    {"numpy.asarray", "numpy.array", "numpy.copy", "numpy.asanyarray", "numpy.ascontiguousarray"}
)
BUILTIN_CONVERSIONS = frozenset({"float", "int", "complex"})
# Kinds whose values these conversions compute.
_CONVERTED = frozenset({CollectionKind.ARRAY, CollectionKind.DATAFRAME, CollectionKind.XARRAY})
# Methods only a Dask DataFrame has: a receiver reached through them is likely one.
PARTITION_METHODS = frozenset({"get_partition"})
PARTITION_ATTRIBUTES = frozenset({"partitions"})
_HOPS = 8


@dataclass(frozen=True, slots=True, eq=False)
class ImplicitCompute:
    """One expression that computes a lazy value as a side effect of what it asks for."""

    node: cst.BaseExpression  # the attribute or call that computes
    value: cst.BaseExpression  # the lazy value it computes
    trigger: str  # how it is spelled, for messages: "`.values`", "`np.copy(...)`"
    kind: CollectionKind
    receiver: Receiver  # PROVEN, or LIKELY when only a Dask-only method shows it
    in_loop: bool
    path: tuple[cst.CSTNode, ...]  # the nodes from the module down to ``node``'s parent


def attribute_trigger(
    model: ModelQueries, node: cst.Attribute
) -> tuple[cst.BaseExpression, str, CollectionKind, Receiver] | None:
    """``x.values`` of a Dask-backed xarray object, read (not called, not assigned)."""
    if node.attr.value not in XARRAY_ATTRIBUTES:
        return None
    parent = model.parent()
    if isinstance(parent, cst.Call) and parent.func is node:
        return None  # ``ds.data_vars.values()``: a mapping's method
    if isinstance(parent, (cst.AssignTarget, cst.AugAssign)) and parent.target is node:
        return None  # ``da.values = ...`` writes
    if model.collection_kind(node.value) is not CollectionKind.XARRAY:
        return None
    return node.value, f"`.{node.attr.value}`", CollectionKind.XARRAY, Receiver.PROVEN


def call_trigger(
    model: ModelQueries, call: cst.Call, name: str | None
) -> tuple[cst.BaseExpression, str, CollectionKind, Receiver] | None:
    """A method or function call that computes its receiver or argument; ``name`` is the
    call's qualified name, when it has one."""
    func = call.func
    if name is None and isinstance(func, cst.Attribute):
        method = func.attr.value
        receiver = func.value
        if method in XARRAY_METHODS:
            if model.collection_kind(receiver) is CollectionKind.XARRAY:
                return receiver, f"`.{method}()`", CollectionKind.XARRAY, Receiver.PROVEN
            return None
        kind = PEEK_METHODS.get(method)
        if kind is None or _compute_false(call):
            return None
        if _lazy(model, receiver) is kind:
            return receiver, f"`.{method}()`", kind, Receiver.PROVEN
        if kind is CollectionKind.DATAFRAME and _partition_of_unknown(model, receiver):
            return receiver, f"`.{method}()`", kind, Receiver.LIKELY
        return None
    if name in NUMPY_CONVERSIONS:
        spelled = "np." + name.rsplit(".", 1)[1]
    elif (
        isinstance(func, cst.Name)
        and func.value in BUILTIN_CONVERSIONS
        and model.scopes.lookup(func.value) is None
    ):
        spelled = func.value
    else:
        return None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if not positional:
        return None
    value = positional[0].value
    kind = _lazy(model, value)
    if kind not in _CONVERTED:
        return None
    assert kind is not None
    return value, f"`{spelled}(...)`", kind, Receiver.PROVEN


def _lazy(model: ModelQueries, expr: cst.BaseExpression) -> CollectionKind | None:
    """The kind of Dask value ``expr`` holds, lazily (``ddf.head()`` and ``x.shape`` are
    not lazy although the model tags them with their collection's kind)."""
    kind = model.collection_kind(expr)
    if kind is CollectionKind.XARRAY or kind is CollectionKind.BAG:
        return kind
    return lazy_kind(model, expr)


def _compute_false(call: cst.Call) -> bool:
    return any(
        arg.keyword is not None
        and arg.keyword.value == "compute"
        and isinstance(arg.value, cst.Name)
        and arg.value.value == "False"
        for arg in call.args
    )


def _partition_of_unknown(model: ModelQueries, expr: cst.BaseExpression) -> bool:
    """``table.get_partition(i)``/``table.partitions[i]`` (or a name bound to one) on a
    value of unknown type, in a module that imports Dask: methods pandas does not have."""
    if not model.uses_dask:
        return False
    for _ in range(_HOPS):
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
            method = expr.func.attr.value
            if method in PARTITION_METHODS:
                return True
            if method in CONCRETE_METHODS:
                return False  # ``.compute().head()``: a pandas frame by then
            expr = expr.func.value
        elif isinstance(expr, cst.Subscript):
            inner = expr.value
            if isinstance(inner, cst.Attribute) and inner.attr.value in PARTITION_ATTRIBUTES:
                return True
            expr = inner
        elif isinstance(expr, cst.Attribute):
            expr = expr.value
        elif isinstance(expr, cst.Name):
            binding = model.scopes.lookup(expr.value)
            if binding is None or binding.kind is not BindingKind.VALUE:
                return False
            if binding.value is None or binding.value is expr:
                return False
            expr = binding.value
        else:
            return False
    return False


__all__ = ["ImplicitCompute", "attribute_trigger", "call_trigger"]
