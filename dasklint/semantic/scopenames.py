"""Which names a function or class body binds, by Python's scoping rules.

A fix that assigns to a name must not turn a name the body reads from an enclosing or
the module scope into a local: in a function every read of it would then raise
``UnboundLocalError``, in a class body it would add an attribute. A name is local to a
body when the body binds it anywhere (assignment, ``for``, ``with ... as``, ``except ...
as``, ``import``, ``def``/``class``, ``:=`` also inside comprehensions, ``del``, ``match``
captures, parameters) and does not declare it ``global`` or ``nonlocal``.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from dasklint.semantic.tree import iter_children

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


@dataclass(frozen=True, slots=True)
class ScopeNames:
    """The names a body binds, and those it declares ``global``/``nonlocal``."""

    bound: frozenset[str]
    declared: frozenset[str]

    def may_assign(self, name: str) -> bool:
        """Assigning ``name`` in this body makes no name local that was not already."""
        return name in self.bound or name in self.declared


def scope_names(scope: cst.FunctionDef | cst.ClassDef) -> ScopeNames:
    bound: set[str] = set()
    declared: set[str] = set()
    if isinstance(scope, cst.FunctionDef):
        params = scope.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            bound.add(param.name.value)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                bound.add(star.name.value)
    stack: list[cst.CSTNode] = [scope.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            bound.add(node.name.value)
            continue  # their bodies are scopes of their own
        if isinstance(node, cst.Lambda):
            continue
        if isinstance(node, (cst.Global, cst.Nonlocal)):
            declared.update(item.name.value for item in node.names)
        elif isinstance(node, cst.CompFor):
            # The loop target belongs to the comprehension; ``:=`` in it binds here.
            stack.extend([node.iter, *node.ifs])
            if node.inner_for_in is not None:
                stack.append(node.inner_for_in)
            continue
        else:
            bound.update(_binds(node))
        stack.extend(iter_children(node))
    return ScopeNames(frozenset(bound), frozenset(declared))


def _binds(node: cst.CSTNode) -> set[str]:
    """The names ``node`` itself binds in the scope it runs in."""
    if isinstance(node, cst.Assign):
        return set().union(*(_target_names(t.target) for t in node.targets))
    if isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr, cst.Del)):
        return _target_names(node.target)
    if isinstance(node, (cst.WithItem, cst.ExceptHandler, cst.ExceptStarHandler)):
        alias = node.asname if isinstance(node, cst.WithItem) else node.name
        return _target_names(alias.name) if alias is not None else set()
    if isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(
        node.names, cst.ImportStar
    ):
        return {_imported_name(alias) for alias in node.names}
    if isinstance(node, (cst.MatchAs, cst.MatchStar)) and node.name is not None:
        return {node.name.value}
    if isinstance(node, cst.MatchMapping) and node.rest is not None:
        return {node.rest.value}
    if isinstance(node, cst.TypeAlias):
        return {node.name.value}
    return set()


def _target_names(target: cst.BaseExpression) -> set[str]:
    """Names an assignment target binds (``x.a = ...`` and ``x[i] = ...`` bind none)."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(_target_names(e.value) for e in target.elements))
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return set()


def _imported_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    name: cst.BaseExpression = alias.name
    while isinstance(name, cst.Attribute):
        name = name.value  # ``import a.b`` binds ``a``
    assert isinstance(name, cst.Name)
    return name.value
