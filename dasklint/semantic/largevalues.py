"""Concrete (not lazy) values that are likely large: arrays, frames, file contents, big lists.

A value counts when the expression that builds it is one of:

* a NumPy array constructor or random generator (``np.zeros``, ``np.arange``,
  ``np.random.rand`` ...), a pandas ``DataFrame``/``Series``/``concat``;
* a file reader: ``np.load``/``loadtxt``/``genfromtxt``/``fromfile``, ``pd.read_*``,
  ``pickle.load``, ``json.load``, ``joblib.load``, or a ``.read()``/``.read_bytes()``/
  ``.read_text()`` method;
* a byte string of a given size (``bytes(n)``, ``bytearray(n)``, ``os.urandom(n)``,
  ``<random>.randbytes(n)``);
* a list, set or dict comprehension, ``list(range(n))`` or ``[x] * n``.

Its size in elements (bytes for byte strings) is known when the source writes it as a
literal (a shape, a ``range`` bound, a repeat count); file contents are taken as large.
Nothing is imported or run: a value built otherwise is not a candidate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.loops import loop_size, target_names
from dasklint.semantic.tree import iter_children

if TYPE_CHECKING:
    from dasklint.semantic.model import SemanticModel

# NumPy functions whose first argument (or ``size=``) is the shape of a new array.
_NUMPY_SHAPED = frozenset(
    {
        "zeros", "ones", "empty", "full", "random.random", "random.rand", "random.randn",
        "random.random_sample", "random.sample", "random.standard_normal",
    }
)  # fmt: skip
_NUMPY_SIZED = frozenset(
    {"random.normal", "random.uniform", "random.randint", "random.choice", "random.integers"}
)
_NUMPY_OTHER = frozenset(
    {
        "arange", "linspace", "eye", "identity", "array", "asarray", "tile", "repeat",
        "concatenate", "stack", "vstack", "hstack", "fromfunction", "indices", "meshgrid",
    }
)  # fmt: skip
_READERS = frozenset(
    {
        "numpy.load", "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile", "pickle.load",
        "json.load", "joblib.load",
    }
)  # fmt: skip
_READ_METHODS = frozenset({"read", "read_bytes", "read_text", "readlines"})
_FRAMES = frozenset({"pandas.DataFrame", "pandas.Series", "pandas.concat"})
_BYTES = frozenset({"os.urandom"})


@dataclass(frozen=True, slots=True)
class LargeValue:
    """What builds a concrete value, and how many elements it has when the source says."""

    what: str  # "a NumPy array", "the contents of a file", "a list", ...
    size: int | None  # elements (bytes for byte strings); None when unknown
    from_file: bool = False


def large_value(model: SemanticModel, expr: cst.BaseExpression) -> LargeValue | None:
    """The kind of concrete value ``expr`` builds, if it is one that may be large."""
    if isinstance(expr, (cst.ListComp, cst.SetComp, cst.DictComp)):
        kind = {cst.ListComp: "list", cst.SetComp: "set", cst.DictComp: "dict"}[type(expr)]
        return LargeValue(f"a {kind} built by a comprehension", _comprehension_size(model, expr))
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
        for display, count in ((expr.left, expr.right), (expr.right, expr.left)):
            if isinstance(display, cst.List):
                size = _literal_int(model, count)
                known = len(display.elements) * size if size is not None else None
                return LargeValue("a repeated list", known)
        return None
    if not isinstance(expr, cst.Call):
        return None
    name = model.qualified_name(expr.func)
    if name is None:
        return _builtin_or_method(model, expr)
    if name in _READERS or name.startswith("pandas.read_"):
        return LargeValue("the contents of a file", None, from_file=True)
    if name in _FRAMES:
        return LargeValue("a pandas object", None)
    if name in _BYTES:
        return LargeValue("a byte string", _int_arg(model, expr, 0, "n"))
    if name.startswith("numpy."):
        short = name[len("numpy.") :]
        if short in _NUMPY_SHAPED:
            return LargeValue("a NumPy array", _shape(model, expr, "size", "shape"))
        if short in _NUMPY_SIZED:
            return LargeValue("a NumPy array", _shape_keyword(model, expr, "size"))
        if short in ("eye", "identity"):
            return LargeValue("a NumPy array", _square(model, expr, short))
        if short in _NUMPY_OTHER:
            known = _int_arg(model, expr, 0, "stop") if short == "arange" else None
            if short == "arange" and len(_positional(expr)) > 1:
                known = None
            return LargeValue("a NumPy array", known)
    return None


def _builtin_or_method(model: SemanticModel, call: cst.Call) -> LargeValue | None:
    func = call.func
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        if method in _READ_METHODS:
            return LargeValue("the contents of a file", None, from_file=True)
        if method == "randbytes":
            return LargeValue("a byte string", _int_arg(model, call, 0, "n"))
        return None
    if not isinstance(func, cst.Name) or model.scopes.lookup(func.value) is not None:
        return None  # not a builtin, or a builtin shadowed by a local name
    args = _positional(call)
    if func.value in ("bytes", "bytearray") and len(args) == 1:
        size = _literal_int(model, args[0])
        return LargeValue("a byte string", size)
    if func.value in ("list", "tuple", "set") and len(args) == 1:
        inner = args[0]
        if (
            isinstance(inner, cst.Call)
            and isinstance(inner.func, cst.Name)
            and inner.func.value == "range"
        ):
            return LargeValue(f"a {func.value} of a range", loop_size(model, inner))
    return None


def _positional(call: cst.Call) -> list[cst.BaseExpression]:
    return [a.value for a in call.args if a.keyword is None and not a.star]


def _int_arg(model: SemanticModel, call: cst.Call, position: int, keyword: str) -> int | None:
    args = _positional(call)
    expr = args[position] if len(args) > position else None
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            expr = arg.value
    return _literal_int(model, expr) if expr is not None else None


def _dims(model: SemanticModel, expr: cst.BaseExpression) -> int | None:
    """Elements of a shape written as an int or a tuple of ints."""
    if isinstance(expr, (cst.Tuple, cst.List)):
        sizes = [_dims(model, e.value) for e in expr.elements]
        if not sizes or any(s is None for s in sizes):
            return None
        return math.prod(s for s in sizes if s is not None)
    return _literal_int(model, expr)


def _literal_int(model: SemanticModel, expr: cst.BaseExpression) -> int | None:
    """An int the source writes (a parameter's default is only the caller's default)."""
    constant = model.constant(expr)
    if constant is None or constant.from_parameter_default:
        return None
    return constant.value if isinstance(constant.value, int) else None


def _shape(model: SemanticModel, call: cst.Call, *keywords: str) -> int | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            return _dims(model, arg.value)
    args = _positional(call)
    if not args:
        return None
    if len(args) > 1 and all(_literal_int(model, a) is not None for a in args):
        return _dims(model, cst.Tuple([cst.Element(a) for a in args]))  # np.random.rand(3, 4)
    return _dims(model, args[0])


def _square(model: SemanticModel, call: cst.Call, short: str) -> int | None:
    """Elements of ``np.eye(N, M)`` / ``np.identity(n)`` when the source writes them."""
    rows = _int_arg(model, call, 0, "N" if short == "eye" else "n")
    if rows is None:
        return None
    written = len(_positional(call)) > 1 or any(
        a.keyword is not None and a.keyword.value == "M" for a in call.args
    )
    if short == "identity" or not written:
        return rows * rows
    cols = _int_arg(model, call, 1, "M")
    return rows * cols if cols is not None else None


def _shape_keyword(model: SemanticModel, call: cst.Call, keyword: str) -> int | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return _dims(model, arg.value)
    return None


def _comprehension_size(
    model: SemanticModel, node: cst.ListComp | cst.SetComp | cst.DictComp
) -> int | None:
    size = 1
    comp_for: cst.CompFor | None = node.for_in
    while comp_for is not None:
        step = None if comp_for.ifs else loop_size(model, comp_for.iter)
        if step is None:
            return None
        size *= step
        comp_for = comp_for.inner_for_in
    return size


def rebound_in(node: cst.CSTNode, name: str) -> bool:
    """``name`` is assigned (or deleted) somewhere in ``node``: its value may change."""
    for current in _walk(node):
        targets: list[cst.BaseExpression] = []
        if isinstance(current, cst.Assign):
            targets = [t.target for t in current.targets]
        elif isinstance(
            current, (cst.AugAssign, cst.AnnAssign, cst.NamedExpr, cst.For, cst.CompFor)
        ):
            targets = [current.target]
        elif isinstance(current, cst.AsName):
            targets = [current.name] if isinstance(current.name, cst.BaseExpression) else []
        elif isinstance(current, cst.Del):
            targets = [current.target]
        if any(name in target_names(t) for t in targets):
            return True
    return False


def mutated_in(node: cst.CSTNode, name: str) -> bool:
    """``name.method(...)``, ``name[...] = ...``, ``name.attr = ...`` (or ``del``/``+=``
    on those) somewhere in ``node``: the object may change between iterations."""
    for current in _walk(node):
        if (
            isinstance(current, cst.Call)
            and isinstance(current.func, cst.Attribute)
            and _is_name(current.func.value, name)
        ):
            return True
        targets: list[cst.BaseExpression] = []
        if isinstance(current, cst.Assign):
            targets = [t.target for t in current.targets]
        elif isinstance(current, (cst.AugAssign, cst.AnnAssign, cst.Del)):
            targets = [current.target]
        for target in targets:
            if isinstance(target, (cst.Subscript, cst.Attribute)) and _is_name(target.value, name):
                return True
            if (
                isinstance(target, cst.Name)
                and target.value == name
                and isinstance(current, cst.AugAssign)
            ):
                return True
    return False


def _is_name(expr: cst.BaseExpression, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name


def _walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(iter_children(current))
    return found


__all__ = ["LargeValue", "large_value", "mutated_in", "rebound_in"]
