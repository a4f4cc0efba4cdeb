"""Distributed clients and futures: which expressions hold a ``Client``, which values are
``Future`` objects, and which submitted functions are impure.

The model already tags ``Client(...)``, ``get_client()``, ``<cluster>.get_client()`` and
``with Client(...) as c`` as clients (:meth:`SemanticModel.collection_kind`), and its data
flow knows the futures of ``submit``/``map`` calls on them. This module adds what the
futures rules need besides: clients the model does not tag (``with worker_client() as
c``, ``default_client()``, ``Client.current()``, parameters annotated ``Client``), the
futures of ``compute`` and ``scatter``, lists of futures written as comprehensions, and
the impurity of the function a ``submit``/``map`` call runs (judged with
:mod:`dasklint.semantic.impurity`, which DSK313 uses for ``delayed``).

Every query runs during the traversal, while the model describes the code around the
node being visited; a name is followed to its value at most one hop, like the model does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.impurity import (
    Impurity,
    Source,
    expression_impurity,
    random_draw,
    returned_clock,
)
from dasklint.semantic.impurity import source_of as impurity_source
from dasklint.semantic.lazy import Lazy
from dasklint.semantic.names import Binding, BindingKind, dotted_parts

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

# Calls that return a client without the model tagging them.
CLIENT_GETTERS = frozenset(
    {
        "distributed.worker_client",
        "distributed.worker_client.worker_client",
        "distributed.default_client",
        "distributed.client.default_client",
        "distributed.Client.current",
    }
)
CLIENT_CLASS = "distributed.Client"
GET_CLIENT = "distributed.get_client"
WORKER_CLIENT = frozenset({"distributed.worker_client", "distributed.worker_client.worker_client"})
SECEDE = frozenset(
    {"distributed.secede", "distributed.worker.secede", "distributed.threadpoolexecutor.secede"}
)
WAIT = frozenset({"distributed.wait", "distributed.client.wait"})
AS_COMPLETED = frozenset({"distributed.as_completed", "distributed.client.as_completed"})
FIRE_AND_FORGET = frozenset({"distributed.fire_and_forget", "distributed.client.fire_and_forget"})
# ``Client`` methods that create futures.
FUTURE_METHODS = frozenset({"submit", "map", "compute", "scatter"})
PARTIAL = "functools.partial"


# ----------------------------------------------------------------- clients
def is_client(model: ModelQueries, expr: cst.BaseExpression) -> bool:
    """``expr`` evaluates to a distributed ``Client``, as far as the source shows."""
    if model.collection_kind(expr) is CollectionKind.CLIENT:
        return True
    if isinstance(expr, cst.Call):
        return model.qualified_name(expr.func) in CLIENT_GETTERS
    if not isinstance(expr, cst.Name):
        return False
    binding = model.scopes.lookup(expr.value)
    if binding is None:
        return False
    if binding.kind is BindingKind.VALUE and isinstance(binding.value, cst.Call):
        return model.qualified_name(binding.value.func) in CLIENT_GETTERS
    if binding.kind is BindingKind.PARAMETER and isinstance(binding.node, cst.Param):
        annotation = binding.node.annotation
        return annotation is not None and _names_client(model, annotation.annotation)
    return False


def likely_client(model: ModelQueries, expr: cst.BaseExpression) -> bool:
    """``expr`` is probably a distributed ``Client`` although the source does not prove it:
    a parameter (``def run(data, client):``) or an attribute set from one
    (``self._client = dask_client``) named ``client`` or ``..._client``, without a type
    annotation naming something else, in a module that imports ``distributed``. A name
    bound to a value the source shows (``QueueClient(...)``) is not."""
    if not model.uses_distributed or is_client(model, expr):
        return False
    if isinstance(expr, cst.Name):
        if not _CLIENT_NAME.fullmatch(expr.value.lower()):
            return False
        binding = model.scopes.lookup(expr.value)
        return binding is not None and _unknown_parameter(binding)
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
        if not _CLIENT_NAME.fullmatch(expr.attr.value.lower()):
            return False
        owned, assigned = model.self_attribute(expr)
        return owned and (
            assigned is None
            or (
                isinstance(assigned.value, cst.Name)
                and _CLIENT_NAME.fullmatch(assigned.value.value.lower()) is not None
            )
        )
    return False


# ``client``, ``_client``, ``dask_client``, ``self.cluster_client``.
_CLIENT_NAME = re.compile(r"_*(?:\w+_)?client")


def _unknown_parameter(binding: Binding) -> bool:
    """A parameter with no annotation (or ``Any``-like) and no default but ``None``."""
    if binding.kind is not BindingKind.PARAMETER or not isinstance(binding.node, cst.Param):
        return False
    param = binding.node
    if param.annotation is not None:
        return False
    return param.default is None or (
        isinstance(param.default, cst.Name) and param.default.value == "None"
    )


def _names_client(model: ModelQueries, annotation: cst.BaseExpression) -> bool:
    """``Client``, ``"Client"``, ``distributed.Client`` or ``Client | None``."""
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        return _names_client(model, annotation.left) or _names_client(model, annotation.right)
    if isinstance(annotation, cst.SimpleString):
        text = annotation.evaluated_value
        if not isinstance(text, str):
            return False
        try:
            annotation = cst.parse_expression(text)
        except cst.ParserSyntaxError:
            return False
    return model.qualified_name(annotation) == CLIENT_CLASS


@dataclass(frozen=True, slots=True)
class ClientCall:
    """A method call on a client: ``client.submit(f, x)``, ``client.gather(futures)``."""

    call: cst.Call
    method: str
    receiver: cst.BaseExpression
    callee: cst.BaseExpression | None  # the function of ``submit``/``map``
    returns: Lazy | None  # FUTURE or FUTURE_LIST for the calls that create futures

    def keyword(self, name: str) -> cst.Arg | None:
        return next(
            (a for a in self.call.args if a.keyword is not None and a.keyword.value == name),
            None,
        )

    @property
    def has_double_star(self) -> bool:
        return any(a.star == "**" for a in self.call.args)


def client_call(model: ModelQueries, call: cst.Call) -> ClientCall | None:
    func = call.func
    if not isinstance(func, cst.Attribute) or not is_client(model, func.value):
        return None
    method = func.attr.value
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    callee = positional[0] if method in ("submit", "map") and positional else None
    returns: Lazy | None = None
    if method == "submit":
        returns = Lazy.FUTURE
    elif method == "map":
        returns = Lazy.FUTURE_LIST
    elif method in ("compute", "scatter") and positional:
        sync = next((a for a in call.args if a.keyword and a.keyword.value == "sync"), None)
        if sync is None or sync_false(model, sync):  # ``sync=True`` returns the values
            returns = Lazy.FUTURE_LIST if _is_list(model, positional[0]) else Lazy.FUTURE
    return ClientCall(call, method, func.value, callee, returns)


def sync_false(model: ModelQueries, arg: cst.Arg) -> bool:
    constant = model.constant(arg.value)
    return constant is not None and constant.value is False


def _is_list(model: ModelQueries, expr: cst.BaseExpression) -> bool:
    if isinstance(expr, (cst.List, cst.Tuple, cst.ListComp)):
        return True
    kind = model.tasks.lazy_kind(expr)
    return kind is not None and kind.is_list


# ----------------------------------------------------------------- futures
def future_kind(model: ModelQueries, expr: cst.BaseExpression, hops: int = 1) -> Lazy | None:
    """``Lazy.FUTURE`` or ``Lazy.FUTURE_LIST`` when ``expr`` holds futures, else None."""
    kind = model.tasks.lazy_kind(expr)
    if kind in (Lazy.FUTURE, Lazy.FUTURE_LIST):
        return kind
    if isinstance(expr, cst.Call):
        found = client_call(model, expr)
        return found.returns if found is not None else None
    if isinstance(expr, cst.ListComp):
        element = expr.elt
        if isinstance(element, cst.Call) and future_kind(model, element, 0) is Lazy.FUTURE:
            return Lazy.FUTURE_LIST
        return None
    if isinstance(expr, (cst.List, cst.Tuple)):
        kinds = [future_kind(model, e.value, hops) for e in expr.elements]
        return Lazy.FUTURE_LIST if kinds and all(k is Lazy.FUTURE for k in kinds) else None
    if isinstance(expr, cst.Subscript):
        single = len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index)
        if single and future_kind(model, expr.value, hops) is Lazy.FUTURE_LIST:
            return Lazy.FUTURE
        return None
    if isinstance(expr, cst.Name) and hops > 0:
        binding = model.scopes.lookup(expr.value)
        if binding is not None and binding.kind is BindingKind.VALUE and binding.value:
            return future_kind(model, binding.value, hops - 1)
    return None


# ----------------------------------------------------------------- impure functions
def callee_impurity(model: ModelQueries, callee: cst.BaseExpression) -> Impurity | None:
    """Why the function a ``submit``/``map`` call runs returns different results for
    equal arguments (a random draw, or a clock reading it returns), or None.

    Built on :mod:`dasklint.semantic.impurity`, as DSK313 judges ``delayed`` callees;
    ``functools.partial(f, ...)`` is judged as ``f``.
    """
    if isinstance(callee, cst.Call) and model.qualified_name(callee.func) == PARTIAL:
        positional = [a.value for a in callee.args if a.keyword is None and not a.star]
        return callee_impurity(model, positional[0]) if positional else None
    if isinstance(callee, cst.Lambda):
        return expression_impurity(callee.body, model.qualified_name)
    if dotted_parts(callee) is None:
        return None
    resolve = model.tasks.summarizer().resolve
    facts = model.tasks.function_facts(callee)
    if isinstance(callee, cst.Name):
        binding = model.scopes.lookup(callee.value)
        if binding is not None and binding.kind is BindingKind.FUNCTION:
            found = random_draw(facts, resolve) if facts is not None else None
            if found is None and isinstance(binding.node, cst.FunctionDef):
                clock = returned_clock(binding.node, model.qualified_name)
                if clock is not None:
                    return Impurity(clock, Source.CLOCK, binding.node.name.value)
            return found
        if binding is None and facts is None and model.tasks.facts is not None:
            facts = model.tasks.facts.function(callee.value)  # defined further down
    if facts is not None:
        return random_draw(facts, resolve)
    name = model.tasks.external_name(callee)
    source = impurity_source(name)
    return Impurity(name, source) if source is not None and name is not None else None


__all__ = [
    "AS_COMPLETED",
    "CLIENT_GETTERS",
    "FIRE_AND_FORGET",
    "FUTURE_METHODS",
    "GET_CLIENT",
    "SECEDE",
    "WAIT",
    "WORKER_CLIENT",
    "ClientCall",
    "callee_impurity",
    "client_call",
    "future_kind",
    "is_client",
    "likely_client",
]
