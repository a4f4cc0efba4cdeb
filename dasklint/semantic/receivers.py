"""Collections the source proves through containers, attributes, annotations and returns.

``arrays = {n: da.from_zarr(p) for n, p in paths.items()}`` then
``for n, arr in arrays.items(): arr.mean().compute()``; ``self.frame = dd.read_parquet(p)``
in ``__init__`` and ``self.frame.x.sum().compute()`` in a method; ``def f(x: da.Array)``;
``def load(p): return dd.read_csv(p)`` then ``load(p).compute()``, in this module or
another module of the project. The semantic model asks this module when a name, an
attribute or a call is not a collection by its own binding.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.collections import CollectionKind, Element, creator_kind
from dasklint.semantic.names import BindingKind, ScopeKind
from dasklint.semantic.xarrays import xarray_element

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

# Class names of Dask's collections, as annotations spell them (``da.Array``,
# ``dask.dataframe.DataFrame``, ``dask.delayed.Delayed``).
_ANNOTATION_CLASSES = frozenset({"Array", "DataFrame", "Series", "Index", "Bag", "Item", "Scalar"})
_SAME_ELEMENTS = frozenset({"list", "tuple", "sorted", "reversed", "set", "iter"})
_HOPS = 3


class Receivers:
    """Inference on top of the model's bindings, with its per-module caches."""

    def __init__(self, model: ModelQueries) -> None:
        self.model = model
        # id(class) -> attribute -> the values its methods assign to ``self.<attribute>``
        self._class_values: dict[int, dict[str, list[cst.BaseExpression | None]]] = {}
        self._attribute_kinds: dict[tuple[int, str], CollectionKind | None] = {}

    # ----------------------------------------------------------------- annotations
    def annotation_kind(self, annotation: cst.BaseExpression) -> CollectionKind | None:
        """``x: da.Array``, ``x: dd.DataFrame | None``, ``x: Optional[Delayed]``."""
        if isinstance(annotation, cst.BinaryOperation) and isinstance(
            annotation.operator, cst.BitOr
        ):
            kinds = {self.annotation_kind(annotation.left), self.annotation_kind(annotation.right)}
            kinds.discard(None)
            return kinds.pop() if len(kinds) == 1 else None
        if isinstance(annotation, cst.Subscript) and len(annotation.slice) == 1:
            if self.model.qualified_name(annotation.value) == "typing.Optional":
                inner = annotation.slice[0].slice
                if isinstance(inner, cst.Index):
                    return self.annotation_kind(inner.value)
            return None
        name = self.model.qualified_name(annotation)
        if name is None or not name.startswith("dask."):
            return None
        last = name.rsplit(".", 1)[1]
        if last == "Delayed":
            return CollectionKind.DELAYED
        if last not in _ANNOTATION_CLASSES:
            return None
        return creator_kind(name)

    # ----------------------------------------------------------------- containers
    def element(self, expr: cst.BaseExpression, hops: int = _HOPS) -> Element:
        """What iterating ``expr`` gives, as far as the source shows."""
        if isinstance(expr, cst.Name):
            value = self._bound_value(expr)
            return self.element(value, hops - 1) if value is not None and hops else None
        if isinstance(expr, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            return self._kind(expr.elt)
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            return _same(self._kind(e.value) for e in expr.elements)
        if not isinstance(expr, cst.Call):
            return None
        func = expr.func
        args = [a.value for a in expr.args if a.keyword is None and not a.star]
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if self.model.collection_kind(func.value) is CollectionKind.XARRAY:
                return xarray_element(method)
            if method in ("values", "items") and not expr.args:
                values = self.dict_values(func.value, hops)
                if values is None:
                    return None
                return values if method == "values" else (None, values)
            if method == "to_delayed":
                receiver = self.model.collection_kind(func.value)
                return CollectionKind.DELAYED if receiver and receiver.is_collection else None
            if method in ("ravel", "flatten", "tolist") and not expr.args:
                return self.element(func.value, hops)
            return None
        if not isinstance(func, cst.Name) or self.model.scopes.lookup(func.value) is not None:
            return None  # not a builtin
        if func.value == "zip" and args:
            return tuple(self.element(a, hops) for a in args)
        if func.value == "enumerate" and args:
            return (None, self.element(args[0], hops))
        if func.value in _SAME_ELEMENTS and len(args) == 1:
            return self.element(args[0], hops)
        return None

    def dict_values(self, expr: cst.BaseExpression, hops: int = _HOPS) -> CollectionKind | None:
        """The kind of every value of a dict display or comprehension (or a name for one)."""
        if isinstance(expr, cst.Name):
            value = self._bound_value(expr)
            return self.dict_values(value, hops - 1) if value is not None and hops else None
        if isinstance(expr, cst.DictComp):
            return self._kind(expr.value)
        if isinstance(expr, cst.Dict):
            return _same(
                self._kind(e.value) if isinstance(e, cst.DictElement) else None
                for e in expr.elements
            )
        return None

    def item(self, container: cst.BaseExpression) -> CollectionKind | None:
        """``arrays[name]``/``arrays[0]`` of a container of collections."""
        values = self.dict_values(container)
        if values is not None:
            return values
        element = self.element(container)
        return element if isinstance(element, CollectionKind) else None

    # ----------------------------------------------------------------- attributes
    def attribute(self, expr: cst.Attribute) -> CollectionKind | None:
        """``self.frame`` in a method, when every ``self.frame = ...`` of the class
        assigns a collection of one kind."""
        owner = expr.value
        if not isinstance(owner, cst.Name):
            return None
        cls = self._method_class(owner.value)
        if cls is None:
            return None
        values = self._class_values.get(id(cls))
        if values is None:
            values = self._class_values[id(cls)] = _assigned_attributes(cls)
        key = (id(cls), expr.attr.value)
        if key in self._attribute_kinds:
            return self._attribute_kinds[key]
        self._attribute_kinds[key] = None  # while its values are read: no recursion
        kinds = {
            self._kind(value) if value is not None else None
            for value in values.get(expr.attr.value, ())
        }
        kind = kinds.pop() if len(kinds) == 1 else None
        self._attribute_kinds[key] = kind
        return kind

    def _method_class(self, name: str) -> cst.ClassDef | None:
        """The class of the method whose first parameter is ``name``."""
        binding = self.model.scopes.lookup(name)
        if binding is None or binding.kind is not BindingKind.PARAMETER:
            return None
        scope = self.model.scopes.current
        while scope.parent is not None and scope.bindings.get(name) is not binding:
            scope = scope.parent
        function = scope.node
        if not isinstance(function, cst.FunctionDef) or not function.params.params:
            return None
        if binding.node is not function.params.params[0] or scope.parent is None:
            return None
        outer = scope.parent
        if outer.kind is not ScopeKind.CLASS or not isinstance(outer.node, cst.ClassDef):
            return None
        return outer.node

    # ----------------------------------------------------------------- returns
    def returned(self, func: cst.BaseExpression) -> CollectionKind | None:
        """The collection a project function returns: every ``return`` calls a creator of
        the same kind (``return dd.read_csv(path)``), as the project index recorded."""
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return None
        facts = self.model.tasks.function_facts(func)
        if facts is None or not facts.returned_calls:
            return None
        kinds = set()
        for name in facts.returned_calls:
            kinds.add(CollectionKind.DELAYED if name == "dask.delayed" else creator_kind(name))
        if len(kinds) != 1:
            return None
        (kind,) = kinds
        return kind

    # ----------------------------------------------------------------- helpers
    def _kind(self, expr: cst.BaseExpression) -> CollectionKind | None:
        kind = self.model.collection_kind(expr)
        return kind if kind is not None and kind.is_collection else None

    def _bound_value(self, name: cst.Name) -> cst.BaseExpression | None:
        binding = self.model.scopes.lookup(name.value)
        if binding is None or binding.kind is not BindingKind.VALUE:
            return None
        return binding.value


def _assigned_attributes(cls: cst.ClassDef) -> dict[str, list[cst.BaseExpression | None]]:
    """What the class's methods assign to ``self.<attribute>`` (None for ``+=`` and the
    like), read from their statements only (expressions hold no assignment statement)."""
    found: dict[str, list[cst.BaseExpression | None]] = {}
    for method in cls.body.body:
        if not isinstance(method, cst.FunctionDef):
            continue
        me = _first_param(method)
        if me is None:
            continue
        for node in _small_statements(method.body):
            targets: list[cst.BaseExpression] = []
            value: cst.BaseExpression | None = None
            if isinstance(node, cst.Assign):
                targets, value = [t.target for t in node.targets], node.value
            elif isinstance(node, (cst.AnnAssign, cst.AugAssign)):
                targets = [node.target]
                value = node.value if isinstance(node, cst.AnnAssign) else None
            for target in targets:
                if (
                    isinstance(target, cst.Attribute)
                    and isinstance(target.value, cst.Name)
                    and target.value.value == me
                ):
                    found.setdefault(target.attr.value, []).append(value)
    return found


# Nodes whose ``body`` (and ``orelse``, ``finalbody``, ``handlers``, ``cases``) hold blocks.
_CLAUSES = (
    cst.BaseCompoundStatement, cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler,
    cst.MatchCase,
)  # fmt: skip


def _small_statements(block: cst.BaseSuite) -> Iterator[cst.BaseSmallStatement]:
    """The simple statements of a block and of the blocks inside it, not of nested
    functions and classes."""
    stack: list[cst.CSTNode] = [block]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            stack.extend(node.body)
        elif isinstance(node, cst.SimpleStatementLine):
            yield from node.body
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(node, _CLAUSES):
            stack.append(node.body)
            for clause in ("orelse", "finalbody"):
                sub = getattr(node, clause, None)
                if sub is not None:
                    stack.append(sub)
            stack.extend(getattr(node, "handlers", ()))
            stack.extend(getattr(node, "cases", ()))


def _first_param(function: cst.FunctionDef) -> str | None:
    params = function.params.params
    return params[0].name.value if params else None


def _same(kinds: object) -> CollectionKind | None:
    found = set(kinds)  # type: ignore[call-overload]
    if len(found) != 1:
        return None
    (kind,) = found
    return kind if isinstance(kind, CollectionKind) else None


def bind_kinds(target: cst.BaseExpression, element: Element) -> list[tuple[str, CollectionKind]]:
    """The names a loop target binds to collections, given what the iterable yields."""
    if isinstance(target, cst.Name):
        return [(target.value, element)] if isinstance(element, CollectionKind) else []
    if (
        isinstance(target, (cst.Tuple, cst.List))
        and isinstance(element, tuple)
        and len(target.elements) == len(element)
    ):
        out: list[tuple[str, CollectionKind]] = []
        for item, kind in zip(target.elements, element, strict=True):
            out += bind_kinds(item.value, kind)
        return out
    return []


__all__ = ["Receivers", "bind_kinds"]
