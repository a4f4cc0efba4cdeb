"""Loops in a function body that do real work for each element of one of its parameters.

``delayed-best-practices.rst`` ("Break up computations into many pieces"): Dask does not
look inside a task, so a task function that loops over its input and loads, processes or
saves each element runs that whole loop on one worker thread. The question asked here is
only what the function body shows: does a ``for`` loop or comprehension iterate over a
parameter (directly or through ``enumerate``/``zip``/``sorted``/``.items()``...), and does
its body call something that does real work per element (a function of the project whose
body is not trivial, an imported function outside the cheap standard-library helpers, or
``open``)? Method calls are not counted: their receiver is usually the element itself.

The analysis runs during the engine's traversal, while the model's scopes describe the
loop, so names resolve as Python would resolve them there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.gil import PYTHON_LEVEL, matches
from dasklint.semantic.names import BindingKind, is_dask_name
from dasklint.semantic.task_call import is_builtin
from dasklint.semantic.tree import walk_subtree

if TYPE_CHECKING:
    from dasklint.semantic.model import SemanticModel

_WRAPPERS = frozenset({"enumerate", "zip", "sorted", "reversed", "list", "tuple", "set", "iter"})
_VIEWS = frozenset({"items", "values", "keys"})
_IO_BUILTINS = frozenset({"open"})
# Cheap helpers called per element that do not make a loop heavy.
_CHEAP = ("logging", "warnings", "os.path", "pathlib", "posixpath", "ntpath", "datetime",
          "typing", "dataclasses", "enum", "uuid", "fnmatch", "shlex")  # fmt: skip
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


@dataclass(frozen=True, slots=True)
class ElementLoop:
    """A loop over a parameter with a call that does work for each element."""

    function: cst.FunctionDef
    parameter: str
    loop: cst.CSTNode  # the For or comprehension
    work: str  # the callee as resolved: "load", "pandas.read_csv", "open"


def element_loop(model: SemanticModel, loop: cst.CSTNode) -> ElementLoop | None:
    """For a ``For`` or comprehension being visited: the element loop it is, if any."""
    function = model.function_node()
    if not isinstance(function, cst.FunctionDef):
        return None
    if isinstance(loop, cst.For):
        iterable: cst.BaseExpression = loop.iter
        bodies: list[cst.CSTNode] = [loop.body]
    elif isinstance(loop, _COMPREHENSIONS):
        if model.scopes.current.node is not loop:
            return None
        iterable = loop.for_in.iter
        bodies = [loop.key, loop.value] if isinstance(loop, cst.DictComp) else [loop.elt]
    else:
        return None
    parameter = _iterated_parameter(model, iterable)
    if parameter is None or parameter not in _parameters(function):
        return None
    for body in bodies:
        work = _first_work(model, body)
        if work is not None:
            return ElementLoop(function, parameter, loop, work)
    return None


def _parameters(function: cst.FunctionDef) -> set[str]:
    params = function.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    return {p.name.value for p in every}


def _iterated_parameter(model: SemanticModel, iterable: cst.BaseExpression) -> str | None:
    """``p`` for ``p``, ``enumerate(p)``, ``zip(p, ...)``, ``sorted(p)``, ``p.items()``."""
    if isinstance(iterable, cst.Name):
        binding = model.scopes.lookup(iterable.value)
        if binding is not None and binding.kind is BindingKind.PARAMETER:
            return iterable.value
        return None
    if not isinstance(iterable, cst.Call):
        return None
    func = iterable.func
    if isinstance(func, cst.Attribute) and func.attr.value in _VIEWS and not iterable.args:
        return _iterated_parameter(model, func.value)
    if (
        isinstance(func, cst.Name)
        and func.value in _WRAPPERS
        and model.scopes.lookup(func.value) is None
    ):
        for arg in iterable.args:
            if arg.keyword is None and not arg.star:
                found = _iterated_parameter(model, arg.value)
                if found is not None:
                    return found
    return None


def _first_work(model: SemanticModel, body: cst.CSTNode) -> str | None:
    for node in walk_subtree(body, prune=lambda n: isinstance(n, _SCOPES)):
        if isinstance(node, cst.Call):
            work = _work(model, node.func)
            if work is not None:
                return work
    return None


def _work(model: SemanticModel, func: cst.BaseExpression) -> str | None:
    """The callee's name when calling it is real work, else None."""
    qualified = model.qualified_name(func)
    if qualified is not None:
        if (
            is_dask_name(qualified)
            or matches(qualified, PYTHON_LEVEL)
            or matches(qualified, _CHEAP)
        ):
            return None
        return qualified
    if not isinstance(func, cst.Name):
        return None
    binding = model.scopes.lookup(func.value)
    if binding is None:
        return func.value if is_builtin(func.value) and func.value in _IO_BUILTINS else None
    if binding.kind is BindingKind.FUNCTION and binding.is_delayed_function:
        return None  # calling it builds a task (DSK307), it does not do the work
    if binding.kind not in (BindingKind.FUNCTION, BindingKind.UNKNOWN):
        return None
    facts = model.tasks.function_facts(func)
    if facts is None or model.tasks.summary(facts).trivial:
        return None
    if any(d.name == "dask.delayed" for d in facts.decorators):
        return None
    return func.value


__all__ = ["ElementLoop", "element_loop"]
