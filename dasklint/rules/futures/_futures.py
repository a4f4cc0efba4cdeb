"""Helpers shared by the futures rules (DSK701-DSK707): what a loop iterates over, and
how a fix spells a name imported from ``distributed``."""

from __future__ import annotations

import libcst as cst

from dasklint.fix import ImportSpec
from dasklint.semantic.flow import COMPREHENSIONS
from dasklint.semantic.model import SemanticModel
from dasklint.semantic.names import BindingKind, dotted_parts


def iterable_of(loop: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    """The expression whose elements the loop target ``name`` takes, or None.

    ``for f in futures`` gives ``futures``; ``for i, f in enumerate(futures)`` gives
    ``futures`` for ``f``.
    """
    clauses: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
    if isinstance(loop, cst.For):
        clauses.append((loop.target, loop.iter))
    elif isinstance(loop, COMPREHENSIONS):
        comp_for: cst.CompFor | None = loop.for_in
        while comp_for is not None:
            clauses.append((comp_for.target, comp_for.iter))
            comp_for = comp_for.inner_for_in
    for target, iterable in clauses:
        if isinstance(target, cst.Name) and target.value == name:
            return iterable
        if (
            isinstance(target, cst.Tuple)
            and len(target.elements) == 2
            and isinstance(target.elements[1].value, cst.Name)
            and target.elements[1].value.value == name
            and isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Name)
            and iterable.func.value == "enumerate"
            and iterable.args
        ):
            return iterable.args[0].value
    return None


def distributed_module(model: SemanticModel) -> str:
    """``dask.distributed`` or ``distributed``: the spelling the module imports from."""
    for binding in model.scopes.module.bindings.values():
        node = binding.node
        if binding.kind is BindingKind.IMPORT and isinstance(node, cst.ImportFrom):
            parts = dotted_parts(node.module) if node.module is not None else None
            if parts and parts[0] == "distributed":
                return "distributed"
    return "dask.distributed"


def imported_name(
    model: SemanticModel, name: str, qualified: frozenset[str]
) -> tuple[str | None, tuple[ImportSpec, ...]]:
    """How a fix calls the ``distributed`` function ``name``: the name already imported,
    or the name plus an import; None when ``name`` is bound to something else."""
    binding = model.scopes.lookup(name)
    if binding is None:
        return name, (ImportSpec(distributed_module(model), name),)
    if binding.kind is BindingKind.IMPORT and binding.qualified_name in qualified:
        return name, ()
    return None, ()
