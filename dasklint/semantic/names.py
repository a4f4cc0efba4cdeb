"""Canonical Dask names and lexical scopes with their bindings.

A qualified name is only ever computed for a pure dotted expression (``a.b.c``):
the callee of ``dask.delayed(f)(x)`` is a call, not the name ``dask.delayed``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

import libcst as cst

# Names that Dask re-exports under a second path; the value is the one rules use.
_ALIASES = {
    "dask.base.compute": "dask.compute",
    "dask.base.persist": "dask.persist",
    "dask.base.visualize": "dask.visualize",
    "dask.base.optimize": "dask.optimize",
    "dask.delayed.delayed": "dask.delayed",
    "dask.local.get_sync": "dask.get",
    # dask.array, dask.bag and dask.dataframe re-export dask.base.compute.
    "dask.array.compute": "dask.compute",
    "dask.bag.compute": "dask.compute",
    "dask.dataframe.compute": "dask.compute",
    "distributed.client.Client": "distributed.Client",
    "distributed.client.get_client": "distributed.get_client",
    "distributed.worker.get_client": "distributed.get_client",
    "distributed.deploy.LocalCluster": "distributed.LocalCluster",
    "distributed.deploy.local.LocalCluster": "distributed.LocalCluster",
    "distributed.deploy.SpecCluster": "distributed.SpecCluster",
    "distributed.deploy.spec.SpecCluster": "distributed.SpecCluster",
    "distributed.deploy.SubprocessCluster": "distributed.SubprocessCluster",
    "distributed.deploy.subprocess.SubprocessCluster": "distributed.SubprocessCluster",
    "distributed.deploy.SSHCluster": "distributed.SSHCluster",
    "distributed.deploy.ssh.SSHCluster": "distributed.SSHCluster",
}

# What ``from dask import *`` provides that rules care about (dask/__init__.py has no
# ``__all__``, so every public name it imports is exported; ``get`` is ``get_sync``).
_DASK_STAR_EXPORTS = frozenset(
    {"compute", "persist", "visualize", "optimize", "delayed", "config", "get"}
)


def canonical_name(name: str) -> str:
    """Map ``dask.distributed.X`` to ``distributed.X`` and Dask's re-exports to one spelling."""
    if name == "dask.distributed" or name.startswith("dask.distributed."):
        name = "distributed" + name[len("dask.distributed") :]
    return _ALIASES.get(name, name)


def is_dask_name(name: str) -> bool:
    return name.split(".", 1)[0] in ("dask", "distributed")


class BindingKind(enum.Enum):
    IMPORT = "import"  # refers to a module or object by qualified name
    FUNCTION = "function"  # a ``def`` in this module
    VALUE = "value"  # an assignment whose value expression is known
    PARAMETER = "parameter"  # a parameter, possibly with a default value
    UNKNOWN = "unknown"  # bound, but nothing is known (loop targets, ``except as``, ...)


@dataclass(slots=True)
class Binding:
    kind: BindingKind
    qualified_name: str | None = None
    value: cst.BaseExpression | None = None
    tag: object | None = None  # a CollectionKind, set by the model
    node: cst.CSTNode | None = None
    is_delayed_function: bool = False
    iterable: cst.BaseExpression | None = None  # what a ``for`` target iterates over


class ScopeKind(enum.Enum):
    MODULE = "module"
    FUNCTION = "function"
    CLASS = "class"
    COMPREHENSION = "comprehension"


@dataclass(slots=True, eq=False)
class Scope:
    kind: ScopeKind
    parent: Scope | None
    node: cst.CSTNode | None = None
    bindings: dict[str, Binding] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    loop_depth: int = 0

    def function_scope(self) -> Scope:
        """The nearest module or function scope (comprehensions and classes live inside one)."""
        scope: Scope = self
        while scope.kind in (ScopeKind.COMPREHENSION, ScopeKind.CLASS) and scope.parent:
            scope = scope.parent
        return scope


class ScopeChain:
    """Python's name lookup (local, enclosing functions, module) over flow-ordered bindings.

    Rules and the model look the same names up many times between two changes of the
    bindings (every call asks what its callee is): lookups are remembered until the next
    ``bind``, ``push``, ``pop`` or ``declare_global``, which are the only changes."""

    def __init__(self, module_fallback: dict[str, Binding], star_from_dask: bool) -> None:
        self.module = Scope(ScopeKind.MODULE, None)
        self.current = self.module
        self._fallback = module_fallback
        self._star_from_dask = star_from_dask
        self._found: dict[str, Binding | None] = {}
        # Changes to the bindings so far: what was derived from lookups holds while it stays.
        self.generation = 0

    def _changed(self) -> None:
        self._found.clear()
        self.generation += 1

    def push(self, kind: ScopeKind, node: cst.CSTNode) -> Scope:
        self._changed()
        self.current = Scope(kind, self.current, node)
        return self.current

    def pop(self) -> None:
        self._changed()
        if self.current.parent is not None:
            self.current = self.current.parent

    def bind(self, name: str, binding: Binding) -> None:
        self._changed()
        scope = self.current
        if name in scope.global_names:
            scope = self.module
        scope.bindings[name] = binding

    def declare_global(self, names: Iterable[str]) -> None:
        """``global a, b`` in the current scope."""
        self._changed()
        self.current.global_names.update(names)

    def lookup(self, name: str) -> Binding | None:
        found = self._found.get(name, _UNSEEN)
        if found is _UNSEEN:
            found = self._found[name] = self._resolve(name)
        if found is _STAR:  # a new binding each time, as the name is not bound in the module
            return Binding(BindingKind.IMPORT, qualified_name=f"dask.{name}")
        return found

    def _resolve(self, name: str) -> Binding | None:
        scope: Scope | None = self.current
        first = True
        while scope is not None:
            # Class bodies are not visible from the functions nested in them.
            if first or scope.kind is not ScopeKind.CLASS:
                if name in scope.global_names:
                    return self.module.bindings.get(name) or self._fallback.get(name)
                found = scope.bindings.get(name)
                if found is not None:
                    return found
            first = False
            scope = scope.parent
        found = self._fallback.get(name)
        if found is None and self._star_from_dask and name in _DASK_STAR_EXPORTS:
            return _STAR
        return found


# Markers of ``ScopeChain``'s remembered lookups: not looked up yet; ``from dask import *``.
_UNSEEN = Binding(BindingKind.UNKNOWN)
_STAR = Binding(BindingKind.IMPORT)


def dotted_parts(expr: cst.BaseExpression) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; None for anything that is not a pure dotted name."""
    parts: list[str] = []
    # Exact type tests: libcst's node classes are ABCs, whose ``isinstance`` is several
    # times slower, and this runs for most expressions of a module.
    while type(expr) is cst.Attribute:
        parts.append(expr.attr.value)
        expr = expr.value
    if type(expr) is not cst.Name:
        return None
    parts.append(expr.value)
    parts.reverse()
    return parts


def import_bindings(node: cst.Import | cst.ImportFrom) -> list[tuple[str, Binding]]:
    """The names an import statement binds, each with the qualified name it refers to."""
    out: list[tuple[str, Binding]] = []
    if isinstance(node, cst.Import):
        for alias in node.names:
            full = _attr_text(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                out.append((alias.asname.name.value, _import(full, node)))
            else:
                top = full.split(".", 1)[0]
                out.append((top, _import(top, node)))
        return out
    if node.relative or node.module is None:
        names = [] if isinstance(node.names, cst.ImportStar) else node.names
        return [(_bound_name(a), Binding(BindingKind.UNKNOWN, node=node)) for a in names]
    if isinstance(node.names, cst.ImportStar):
        return out
    module = _attr_text(node.module)
    for alias in node.names:
        out.append((_bound_name(alias), _import(f"{module}.{_attr_text(alias.name)}", node)))
    return out


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _attr_text(alias.name).split(".", 1)[0]


def _import(name: str, node: cst.CSTNode) -> Binding:
    return Binding(BindingKind.IMPORT, qualified_name=canonical_name(name), node=node)


def _attr_text(node: cst.Attribute | cst.Name) -> str:
    parts = dotted_parts(node)
    return ".".join(parts) if parts else ""


def prescan_module_imports(module: cst.Module) -> tuple[dict[str, Binding], bool]:
    """Module-level imports anywhere in the file, for functions that run after the whole
    module was imported (``def f(): dask.compute(...)`` above ``import dask``).

    Also reports whether the module does ``from dask import *``.
    """
    found: dict[str, Binding] = {}
    star = False
    stack: list[cst.BaseStatement] = list(module.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    if (
                        isinstance(small, cst.ImportFrom)
                        and isinstance(small.names, cst.ImportStar)
                        and small.module is not None
                        and not small.relative
                        and _attr_text(small.module) == "dask"
                    ):
                        star = True
                    for name, binding in import_bindings(small):
                        found.setdefault(name, binding)
        elif isinstance(stmt, (cst.If, cst.Try)):
            body = stmt.body
            if isinstance(body, cst.IndentedBlock):
                stack.extend(body.body)
            if isinstance(stmt, cst.Try):
                for handler in stmt.handlers:
                    if isinstance(handler.body, cst.IndentedBlock):
                        stack.extend(handler.body.body)
            elif isinstance(stmt.orelse, cst.Else) and isinstance(
                stmt.orelse.body, cst.IndentedBlock
            ):
                stack.extend(stmt.orelse.body.body)
    return found, star
