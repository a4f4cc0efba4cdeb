"""How many items and partitions a ``dask.bag`` has, when the source says so.

Bags run on the processes scheduler by default (``dask/bag/core.py``), which hands ready
tasks to its pool in batches of 6: a bag of a few partitions runs them serially in one or
two worker processes. ``db.from_sequence`` makes one partition per item for up to 100
items when neither ``npartitions`` nor ``partition_size`` is given (``dask/bag/core.py``,
``from_sequence``), so a literal sequence shows the partition count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.task_counts import iterable_size

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

_FROM_SEQUENCE = frozenset({"dask.bag.from_sequence", "dask.bag.core.from_sequence"})
_RANGE = frozenset({"dask.bag.range", "dask.bag.core.bag_range"})
_CONCAT = frozenset({"dask.bag.concat", "dask.bag.core.concat"})


@dataclass(frozen=True, slots=True)
class BagSize:
    """Items of the sequences a bag was made from, and its partitions (None: unknown)."""

    items: int | None
    partitions: int | None


def bag_size(model: ModelQueries, expr: cst.BaseExpression, hops: int = 4) -> BagSize | None:
    """The size of the bag ``expr`` evaluates to, through names (``hops`` of them) and
    method chains (``.map(f).filter(g).fold(h)`` keeps the partitions of its source)."""
    if isinstance(expr, cst.Name):
        if hops <= 0:
            return None
        binding = model.scopes.lookup(expr.value)
        if binding is None or binding.value is None or binding.tag is not CollectionKind.BAG:
            return None
        return bag_size(model, binding.value, hops - 1)
    if not isinstance(expr, cst.Call):
        return None
    name = model.qualified_name(expr.func)
    if name in _FROM_SEQUENCE:
        return _from_sequence(model, expr)
    if name in _RANGE:
        return _range(model, expr)
    if name in _CONCAT:
        return _concat(model, expr, hops)
    func = expr.func
    if name is None and isinstance(func, cst.Attribute):
        if model.collection_kind(func.value) is not CollectionKind.BAG:
            return None
        source = bag_size(model, func.value, hops)
        if source is None:
            return None
        if func.attr.value == "repartition":
            return BagSize(source.items, _int_argument(model, expr, "npartitions", 0))
        return source
    return None


def _from_sequence(model: ModelQueries, call: cst.Call) -> BagSize | None:
    seq = _argument(call, "seq", 0)
    if seq is None:
        return None
    items = iterable_size(model, seq)
    partition_size = _int_argument(model, call, "partition_size", 1)
    npartitions = _int_argument(model, call, "npartitions", 2)
    given = {a.keyword.value for a in call.args if a.keyword is not None}
    positional = sum(1 for a in call.args if a.keyword is None)
    size_given = "partition_size" in given or positional > 1
    count_given = "npartitions" in given or positional > 2
    if items is None:
        if count_given and not size_given:
            return BagSize(None, npartitions)
        return BagSize(None, None)
    if count_given and not size_given:
        if npartitions is None or npartitions <= 0:
            return BagSize(items, None)
        if items <= 100:
            partition_size = math.ceil(items / npartitions)
        else:
            partition_size = max(1, items // npartitions)
    elif not count_given and not size_given:
        partition_size = 1 if items <= 100 else max(1, math.ceil(math.sqrt(items) / 10))
    if partition_size is None or partition_size <= 0:
        return BagSize(items, None)
    return BagSize(items, max(1, math.ceil(items / partition_size)))


def _range(model: ModelQueries, call: cst.Call) -> BagSize | None:
    n = _int_argument(model, call, "n", 0)
    return BagSize(n, _int_argument(model, call, "npartitions", 1))


def _concat(model: ModelQueries, call: cst.Call, hops: int) -> BagSize | None:
    bags = _argument(call, "bags", 0)
    if isinstance(bags, cst.Name) and hops > 0:
        binding = model.scopes.lookup(bags.value)
        bags = binding.value if binding is not None else None
    if not isinstance(bags, (cst.List, cst.Tuple)):
        return None
    items: int | None = 0
    partitions: int | None = 0
    for element in bags.elements:
        if not isinstance(element, cst.Element):
            return None
        size = bag_size(model, element.value, hops - 1)
        if size is None:
            return None
        items = None if items is None or size.items is None else items + size.items
        parts = size.partitions
        partitions = None if partitions is None or parts is None else partitions + parts
    return BagSize(items, partitions)


def _argument(call: cst.Call, keyword: str, position: int) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [a for a in call.args if a.keyword is None]
    if any(a.star for a in positional[: position + 1]):
        return None
    return positional[position].value if position < len(positional) else None


def _int_argument(model: ModelQueries, call: cst.Call, keyword: str, position: int) -> int | None:
    value = _argument(call, keyword, position)
    if value is None:
        return None
    constant = model.constant(value)
    if constant is None or constant.from_parameter_default:
        return None
    return constant.value if type(constant.value) is int else None


__all__ = ["BagSize", "bag_size"]
