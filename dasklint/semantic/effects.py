"""Side effects of a function body on its inputs and on state outside it, read with ``ast``.

Part of the per-function facts (:mod:`dasklint.semantic.facts`): the task rules need to
know, for functions of any module of the project, whether a function changes an object
it received (DSK305) or state that outlives the call (DSK306). Only the function's own
body is read; nested functions, lambdas and classes are not (they may never run).

A parameter that the body rebinds anywhere (``x = x.copy()``, ``for x in ...``) is left
out: after the rebinding it may no longer be the caller's object, and telling the two
apart needs the order of execution, which a conservative linter does not guess.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from dasklint.semantic.astvisit import DispatchingVisitor

# Methods that change their receiver in place (lists, dicts, sets, deques, NumPy arrays,
# pandas objects).
MUTATING_METHODS = frozenset(
    {
        "append", "extend", "insert", "update", "pop", "remove", "sort", "clear",
        "setdefault", "fill", "resize", "reverse", "popitem", "discard", "appendleft",
        "extendleft", "popleft", "difference_update", "intersection_update",
        "symmetric_difference_update",
    }
)  # fmt: skip
# Annotations and default values that show a parameter holds an immutable value.
_IMMUTABLE_ANNOTATIONS = frozenset(
    {"int", "float", "complex", "str", "bytes", "bool", "tuple", "frozenset", "Tuple"}
)
_IMMUTABLE_DEFAULTS = (int, float, complex, str, bytes, bool, tuple, frozenset)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_SPELLED_MAX = 40


@dataclass(frozen=True, slots=True)
class Mutation:
    """One statement or call that changes the object a name refers to."""

    name: str  # the parameter, or the outer name
    spelled: str  # ``x.append(...)``, ``x[i] = ...``, ``x += ...``
    line: int  # 1-based, in the function's module
    augmented: bool = False  # ``x += ...``: a mutation only for mutable values
    locked: bool = False  # inside ``with <...lock...>:``


@dataclass(frozen=True, slots=True)
class Effects:
    """What a function changes besides its locals."""

    # Changes to objects received as parameters (parameters the body rebinds excluded).
    parameters: tuple[Mutation, ...] = ()
    # Changes to objects bound outside the function (free names, in-place).
    outer: tuple[Mutation, ...] = ()
    # Names declared ``global``/``nonlocal`` and assigned in the body.
    rebound_outer: tuple[Mutation, ...] = ()
    nonlocal_names: frozenset[str] = frozenset()


NO_EFFECTS = Effects()


def function_effects(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Effects:
    args = node.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    params = {a.arg for a in every}
    params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    immutable = {a.arg for a in every if _immutable_annotation(a.annotation)}
    positional = [*args.posonlyargs, *args.args]
    with_defaults = positional[len(positional) - len(args.defaults) :]
    for arg, default in zip(with_defaults, args.defaults, strict=True):
        if _immutable_default(default):
            immutable.add(arg.arg)
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if kw_default is not None and _immutable_default(kw_default):
            immutable.add(arg.arg)

    walker = _Walker()
    for stmt in node.body:
        walker.visit(stmt)
    declared = walker.declared
    local = walker.stored - declared
    parameters: list[Mutation] = []
    outer: list[Mutation] = []
    for mutation in walker.mutations:
        name = mutation.name
        if name in params:
            if name in walker.stored or name in declared:
                continue  # rebound somewhere: perhaps no longer the caller's object
            if mutation.augmented and name in immutable:
                continue
            parameters.append(mutation)
        elif name not in local and not mutation.augmented:
            outer.append(mutation)
    rebound = [m for m in walker.rebinds if m.name in declared]
    return Effects(tuple(parameters), tuple(outer), tuple(rebound), frozenset(walker.nonlocals))


def module_variables(tree: ast.Module) -> frozenset[str]:
    """Names a module binds with assignments at its top level (``if``/``try`` included)."""
    found: set[str] = set()
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        stmt = stack.pop()
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = list(stmt.targets)
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
            targets = [stmt.target]
        elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody"):
                stack.extend(getattr(stmt, field, ()))
            for handler in getattr(stmt, "handlers", ()):
                stack.extend(handler.body)
        for target in targets:
            found.update(_target_names(target))
    return frozenset(found)


class _Walker(DispatchingVisitor):
    def __init__(self) -> None:
        self.mutations: list[Mutation] = []
        self.rebinds: list[Mutation] = []
        self.stored: set[str] = set()
        self.declared: set[str] = set()
        self.nonlocals: set[str] = set()
        self._locks = 0

    # Nested scopes are not part of this body.
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.stored.add(node.name)
        for decorator in node.decorator_list:
            self.visit(decorator)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.stored.add(node.name)
        for decorator in node.decorator_list:
            self.visit(decorator)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.stored.add(node.name)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        pass

    def visit_Global(self, node: ast.Global) -> None:
        self.declared.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.declared.update(node.names)
        self.nonlocals.update(node.names)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.stored.add(node.id)
            self._rebind(node.id, f"{node.id} = ...", node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.stored.add(alias.asname or alias.name.split(".", 1)[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.stored.add(alias.asname or alias.name)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.stored.add(node.name)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            if target.id in self.declared:
                self._rebind(target.id, f"{target.id} {_op(node.op)}= ...", node)
            else:
                self._record(target.id, f"{target.id} {_op(node.op)}= ...", node, augmented=True)
            self.visit(node.value)
            return
        self._store_into(target, _spelling(f"{{}} {_op(node.op)}= ...", target), node)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._store_into(target, _spelling("{} = ...", target), node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._store_into(node.target, _spelling("{} = ...", node.target), node)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._store_into(target, _spelling("del {}", target), node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            base = _base_name(func.value)
            if base is not None:
                if func.attr in MUTATING_METHODS:
                    self._record(base, f"{_short(func)}(...)", node)
                elif any(
                    k.arg == "inplace"
                    and isinstance(k.value, ast.Constant)
                    and k.value.value is True
                    for k in node.keywords
                ):
                    self._record(base, f"{_short(func)}(..., inplace=True)", node)
        for keyword in node.keywords:
            if keyword.arg == "out" and isinstance(keyword.value, ast.Name):
                self._record(keyword.value.id, f"{_short(func)}(..., out={keyword.value.id})", node)
        self.generic_visit(node)

    def visit_With(self, node: ast.With) -> None:
        locked = any("lock" in ast.unparse(item.context_expr).lower() for item in node.items)
        self._locks += locked
        self.generic_visit(node)
        self._locks -= locked

    def _store_into(self, target: ast.expr, spell: Callable[[], str], node: ast.stmt) -> None:
        """``x[i] = ...``, ``x.a = ...``, ``del x[i]``: a change to the object ``x``.
        ``spell`` gives the statement's short spelling, only when a change is found (most
        assignments change no object, and spelling one is costly)."""
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._store_into(element, spell, node)
        elif isinstance(target, ast.Starred):
            self._store_into(target.value, spell, node)
        elif isinstance(target, (ast.Subscript, ast.Attribute)):
            base = _base_name(target.value)
            if base is not None:
                self._record(base, spell(), node)

    def _rebind(self, name: str, spelled: str, node: ast.AST) -> None:
        line = getattr(node, "lineno", 0)
        self.rebinds.append(Mutation(name, spelled, line, locked=self._locks > 0))

    def _record(self, name: str, spelled: str, node: ast.AST, *, augmented: bool = False) -> None:
        line = getattr(node, "lineno", 0)
        self.mutations.append(Mutation(name, spelled, line, augmented, self._locks > 0))


def _base_name(expr: ast.expr) -> str | None:
    """``x`` for ``x``, ``x.a``, ``x[0]``, ``x.a[0].b``."""
    while isinstance(expr, (ast.Attribute, ast.Subscript)):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _target_names(e)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _spelling(template: str, target: ast.expr) -> Callable[[], str]:
    return lambda: template.format(_short(target))


def _short(expr: ast.expr) -> str:
    text = ast.unparse(expr)
    return text if len(text) <= _SPELLED_MAX else text[: _SPELLED_MAX - 3] + "..."


def _op(op: ast.operator) -> str:
    return {
        ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
        ast.Mod: "%", ast.Pow: "**", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^",
        ast.LShift: "<<", ast.RShift: ">>", ast.MatMult: "@",
    }.get(type(op), "+")  # fmt: skip


def _immutable_annotation(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        text = annotation.value
    else:
        text = ast.unparse(annotation)
    parts = [p.strip() for p in text.split("|")]
    return all(p.split("[", 1)[0].rsplit(".", 1)[-1] in _IMMUTABLE_ANNOTATIONS for p in parts)


def _immutable_default(default: ast.expr) -> bool:
    if isinstance(default, ast.Constant):
        return default.value is not None and isinstance(default.value, _IMMUTABLE_DEFAULTS)
    return isinstance(default, ast.Tuple)


__all__ = [
    "MUTATING_METHODS",
    "NO_EFFECTS",
    "Effects",
    "Mutation",
    "function_effects",
    "module_variables",
]
