"""Delayed-ness of values: which names hold Delayed objects, lists of them, or futures.

Tracked through assignments, lists built with ``.append``/``.extend``/``+=``, list
displays and comprehensions, tuple unpacking (``a, b = f(x)`` with ``nout``), ``for``
targets over such lists, operators and methods on Delayed objects, and the returns of
functions in the same module. Each value also carries the task calls it comes from
(``origins``), so a compute site knows which task calls it runs.

Not seen: values stored in attributes, dicts or containers other than lists and tuples,
values passed through functions of other modules, and any rebinding inside ``exec``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.collections import PLAIN_ATTRIBUTES, CollectionKind
from dasklint.semantic.lazy import Lazy
from dasklint.semantic.names import Binding, BindingKind
from dasklint.semantic.task_call import TaskApi

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries


@dataclass(frozen=True, slots=True)
class ValueInfo:
    kind: Lazy
    origins: frozenset[int] = frozenset()

    def merge(self, other: ValueInfo | None) -> ValueInfo:
        if other is None:
            return self
        return ValueInfo(self.kind, self.origins | other.origins)


_API_KIND = {
    TaskApi.DELAYED: Lazy.DELAYED,
    TaskApi.SUBMIT: Lazy.FUTURE,
    TaskApi.CLIENT_MAP: Lazy.FUTURE_LIST,
    TaskApi.DELAYED_MAP: Lazy.DELAYED_LIST,
    TaskApi.COLLECTION: Lazy.COLLECTION,
    TaskApi.PASSED: Lazy.DELAYED,
}
_LIST_METHODS = frozenset({"append", "extend", "insert"})
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp)


class DataFlow:
    """Lazy values of one module, updated by the model's binding hooks."""

    def __init__(self, model: ModelQueries) -> None:
        self.model = model
        self._bindings: dict[int, tuple[Binding, ValueInfo]] = {}
        self._returns: dict[int, ValueInfo] = {}  # function node id -> what it returns
        self._calls: dict[int, ValueInfo] = {}  # task call node id -> its result

    # ----------------------------------------------------------------- queries
    def info(self, expr: cst.BaseExpression) -> ValueInfo | None:
        if isinstance(expr, cst.Name):
            binding = self.model.scopes.lookup(expr.value)
            if binding is None:
                return None
            found = self._bindings.get(id(binding))
            if found is not None:
                return found[1]
            if binding.tag is CollectionKind.DELAYED:
                return ValueInfo(Lazy.DELAYED)
            return None
        if isinstance(expr, cst.Call):
            return self._call_info(expr)
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            infos = [self.info(e.value) for e in expr.elements]
            return _as_list([i for i in infos if i is not None])
        if isinstance(expr, _COMPREHENSIONS):
            inner = self.info(expr.elt)
            return ValueInfo(inner.kind.as_list, inner.origins) if inner is not None else None
        if isinstance(expr, cst.BinaryOperation):
            left, right = self.info(expr.left), self.info(expr.right)
            if left is not None and right is not None and left.kind.is_list and right.kind.is_list:
                return left.merge(right)
            single = [i for i in (left, right) if i is not None and not i.kind.is_list]
            if single:
                return ValueInfo(single[0].kind, frozenset().union(*(i.origins for i in single)))
            return None
        if isinstance(expr, cst.Attribute) and expr.attr.value in PLAIN_ATTRIBUTES:
            return None  # ``d.key``: a str, not a Delayed
        if isinstance(expr, (cst.Subscript, cst.Attribute)):
            inner = self.info(expr.value)
            if inner is None:
                return None
            if isinstance(expr, cst.Subscript) and inner.kind.is_list:
                return ValueInfo(inner.kind.element, inner.origins)
            return inner if inner.kind in (Lazy.DELAYED, Lazy.COLLECTION) else None
        return None

    def _call_info(self, call: cst.Call) -> ValueInfo | None:
        found = self._calls.get(id(call))
        if found is not None:
            return found
        func = call.func
        if isinstance(func, cst.Attribute):
            receiver = self.info(func.value)
            if receiver is not None and receiver.kind in (Lazy.DELAYED, Lazy.COLLECTION):
                if func.attr.value in ("compute", "result"):
                    return None
                return receiver
            if (
                self.model.collection_kind(func.value) is CollectionKind.CLIENT
                and func.attr.value == "scatter"
            ):
                return ValueInfo(Lazy.FUTURE)
        if isinstance(func, cst.Name):
            binding = self.model.scopes.lookup(func.value)
            if binding is None and func.value in ("list", "tuple") and len(call.args) == 1:
                inner = self.info(call.args[0].value)  # ``list(map(delayed(f), xs))``
                return inner if inner is not None and inner.kind.is_list else None
            if binding is not None and binding.kind is BindingKind.FUNCTION:
                returned = self._returns.get(id(binding.node))
                if returned is not None:
                    return returned
        if self.model.collection_kind(call) is CollectionKind.DELAYED:
            return ValueInfo(Lazy.DELAYED)
        return None

    # ----------------------------------------------------------------- hooks
    def task_created(
        self, call: cst.Call, api: TaskApi, index: int, depends: frozenset[int]
    ) -> None:
        self._calls[id(call)] = ValueInfo(_API_KIND[api], depends | {index})

    def bound(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """After the model bound ``target = value``."""
        info = self.info(value)
        if info is None:
            return
        if isinstance(target, cst.Name):
            self._set(target.value, info)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = value.elements if isinstance(value, (cst.Tuple, cst.List)) else None
            for position, element in enumerate(target.elements):
                if not isinstance(element.value, cst.Name):
                    continue
                if elements is not None and len(elements) == len(target.elements):
                    self._set(element.value.value, self.info(elements[position].value))
                elif info.kind is Lazy.DELAYED or info.kind.is_list:
                    # ``a, b = f(x)`` with ``nout=2``, or unpacking a list of Delayed.
                    self._set(element.value.value, ValueInfo(info.kind.element, info.origins))

    def iterated(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        """A ``for`` target (or comprehension target) bound to each element."""
        if (
            isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Name)
            and iterable.func.value == "enumerate"
            and iterable.args
            and isinstance(target, cst.Tuple)
            and len(target.elements) == 2
        ):
            iterable, target = iterable.args[0].value, target.elements[1].value
        info = self.info(iterable)
        if info is not None and info.kind.is_list and isinstance(target, cst.Name):
            self._set(target.value, ValueInfo(info.kind.element, info.origins))

    def list_method(self, call: cst.Call) -> None:
        """``results.append(d)`` makes ``results`` a list of Delayed."""
        func = call.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value in _LIST_METHODS
            and isinstance(func.value, cst.Name)
            and call.args
        ):
            return
        added = self.info(call.args[-1].value)
        if added is None:
            return
        if func.attr.value == "extend":
            if not added.kind.is_list:
                return
            element = ValueInfo(added.kind.element, added.origins)
        else:
            element = added
        self._extend(func.value.value, element)

    def aug_assigned(
        self, target: cst.BaseExpression, value: cst.BaseExpression, before: ValueInfo | None
    ) -> None:
        """``x += value`` after the model rebound ``x``."""
        if not isinstance(target, cst.Name):
            return
        added = self.info(value)
        if before is not None and before.kind.is_list:
            if added is not None and added.kind.is_list:
                self._set(target.value, before.merge(added))
            else:
                self._set(target.value, before)
        elif before is not None or added is not None:
            base = before or added
            assert base is not None
            self._set(target.value, base.merge(added))

    def returned(self, function: cst.CSTNode | None, value: cst.BaseExpression | None) -> None:
        if function is None or value is None:
            return
        info = self.info(value)
        if info is not None:
            self._returns[id(function)] = info.merge(self._returns.get(id(function)))

    # ----------------------------------------------------------------- helpers
    def _set(self, name: str, info: ValueInfo | None) -> None:
        binding = self.model.scopes.lookup(name)
        if binding is None or info is None:
            return
        self._bindings[id(binding)] = (binding, info)

    def _extend(self, name: str, element: ValueInfo) -> None:
        binding = self.model.scopes.lookup(name)
        if binding is None:
            return
        found = self._bindings.get(id(binding))
        current = found[1] if found is not None else ValueInfo(element.kind.as_list)
        if not current.kind.is_list:
            return
        self._bindings[id(binding)] = (binding, current.merge(element))


def _as_list(infos: list[ValueInfo]) -> ValueInfo | None:
    if not infos:
        return None
    kind = infos[0].kind.element.as_list
    return ValueInfo(kind, frozenset().union(*(i.origins for i in infos)))


__all__ = ["DataFlow", "ValueInfo"]
