"""Chunk layouts of Dask Arrays whose shape, chunks and dtype are written in the source.

Only literal values count (or names bound to literals one assignment away, parameter
defaults excluded): ``da.ones((10_000, 10_000), chunks=(10, 10))`` has a known layout,
``da.ones(shape, chunks=c)`` with computed ``shape`` does not, and nothing is guessed.
A missing ``dtype`` takes the creator's documented default (``float64`` for ``ones``,
``int64`` for ``randint``); a ``dtype`` that is not a literal leaves the size unknown but
the number of chunks known.

Chunk specifications follow ``dask.array.core.normalize_chunks``: an int for every
dimension, a tuple with one int per dimension (``-1`` or ``None`` for the whole
dimension), or explicit block sizes per dimension. ``"auto"``, byte strings and dicts
are not evaluated.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.names import BindingKind
from dasklint.semantic.values import literal_value

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

# NumPy dtype names and codes -> bytes per element.
_ITEMSIZE: dict[str, int] = {
    "float64": 8, "f8": 8, "float": 8, "double": 8, "d": 8,
    "float32": 4, "f4": 4, "single": 4, "f": 4,
    "float16": 2, "f2": 2, "half": 2, "e": 2,
    "int64": 8, "i8": 8, "int": 8, "long": 8, "longlong": 8, "intp": 8, "l": 8, "q": 8,
    "int32": 4, "i4": 4, "intc": 4, "i": 4,
    "int16": 2, "i2": 2, "short": 2, "h": 2,
    "int8": 1, "i1": 1, "byte": 1, "b": 1,
    "uint64": 8, "u8": 8, "uint": 8, "uintp": 8, "ulonglong": 8, "L": 8, "Q": 8,
    "uint32": 4, "u4": 4, "uintc": 4, "I": 4,
    "uint16": 2, "u2": 2, "ushort": 2, "H": 2,
    "uint8": 1, "u1": 1, "ubyte": 1, "B": 1,
    "bool": 1, "bool_": 1, "?": 1,
    "complex128": 16, "c16": 16, "complex": 16, "cdouble": 16, "D": 16,
    "complex64": 8, "c8": 8, "csingle": 8, "F": 8,
}  # fmt: skip
# Python builtins accepted as dtypes, as NumPy reads them (``int`` is int64 on NumPy 2).
_BUILTIN_ITEMSIZE = {"float": 8, "int": 8, "bool": 1, "complex": 16}


@dataclass(frozen=True, slots=True)
class Signature:
    """Where a creator's arguments are: positional parameter names, in order."""

    params: tuple[str, ...]
    shape: str  # the parameter holding the shape ("shape", "size", "N", "num")
    default_itemsize: int | None  # without ``dtype``; None: from other arguments
    default_dtype: str | None


_FLOAT = (8, "float64")
_INT = (8, "int64")


def _sig(params: str, shape: str, default: tuple[int | None, str | None] = _FLOAT) -> Signature:
    return Signature(tuple(params.split()), shape, default[0], default[1])


# dask.array creators (and NumPy creators, whose shape ``da.from_array`` inherits).
CREATORS: dict[str, Signature] = {
    "dask.array.ones": _sig("shape", "shape"),
    "dask.array.zeros": _sig("shape", "shape"),
    "dask.array.empty": _sig("shape", "shape"),
    "dask.array.full": _sig("shape fill_value", "shape", (None, None)),
    "dask.array.eye": _sig("N chunks M k dtype", "N"),
    "dask.array.linspace": _sig("start stop num endpoint retstep chunks dtype", "num"),
    "dask.array.random.random": _sig("size chunks", "size"),
    "dask.array.random.random_sample": _sig("size chunks", "size"),
    "dask.array.random.standard_normal": _sig("size chunks", "size"),
    "dask.array.random.normal": _sig("loc scale size chunks", "size"),
    "dask.array.random.uniform": _sig("low high size chunks", "size"),
    "dask.array.random.exponential": _sig("scale size chunks", "size"),
    "dask.array.random.randint": _sig("low high size chunks dtype", "size", _INT),
    "dask.array.random.poisson": _sig("lam size chunks", "size", _INT),
    "dask.array.random.binomial": _sig("n p size chunks", "size", _INT),
}
NUMPY_SHAPES: dict[str, Signature] = {
    "numpy.ones": _sig("shape dtype", "shape"),
    "numpy.zeros": _sig("shape dtype", "shape"),
    "numpy.empty": _sig("shape dtype", "shape"),
    "numpy.full": _sig("shape fill_value dtype", "shape", (None, None)),
    "numpy.random.random": _sig("size", "size"),
    "numpy.random.random_sample": _sig("size", "size"),
    "numpy.random.standard_normal": _sig("size", "size"),
    "numpy.random.uniform": _sig("low high size", "size"),
    "numpy.random.normal": _sig("loc scale size", "size"),
    "numpy.random.exponential": _sig("scale size", "size"),
    "numpy.random.randint": _sig("low high size dtype", "size", _INT),
    "numpy.linspace": _sig("start stop num endpoint retstep dtype", "num"),
}
# ``np.random.rand(d0, d1, ...)``: the dimensions are the positional arguments.
_DIMENSION_ARGS = frozenset({"numpy.random.rand", "numpy.random.randn"})
FROM_ARRAY = frozenset({"dask.array.from_array", "dask.array.asarray"})
RECHUNK = "dask.array.rechunk"


@dataclass(frozen=True, slots=True)
class ChunkLayout:
    """The blocks of an array: per dimension, how many and the largest one."""

    shape: tuple[int, ...]
    blocks: tuple[tuple[int, int], ...]  # (number of blocks, largest block) per dimension
    itemsize: int | None
    dtype: str | None
    chunks_node: cst.BaseExpression  # the ``chunks`` argument as written

    @property
    def chunk_count(self) -> int:
        return math.prod(count for count, _ in self.blocks)

    @property
    def chunk_shape(self) -> tuple[int, ...]:
        return tuple(largest for _, largest in self.blocks)

    @property
    def chunk_bytes(self) -> int | None:
        """Bytes of the largest chunk, when the dtype is known."""
        if self.itemsize is None:
            return None
        return math.prod(self.chunk_shape) * self.itemsize

    @property
    def total_bytes(self) -> int | None:
        if self.itemsize is None:
            return None
        return math.prod(self.shape) * self.itemsize


@dataclass(frozen=True, slots=True)
class _Array:
    """Shape and element size of an array made by a call written in the source."""

    shape: tuple[int, ...]
    itemsize: int | None
    dtype: str | None


def _argument(call: cst.Call, params: tuple[str, ...], name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    if name in params:
        position = params.index(name)
        positional = [a for a in call.args if a.keyword is None]
        if position < len(positional):
            return positional[position].value
    return None


def _binds(call: cst.Call, params: tuple[str, ...]) -> bool:
    """Every argument lands in a parameter we know (no ``*args``/``**kwargs``, no extras)."""
    if any(arg.star for arg in call.args):
        return False
    positional = [a for a in call.args if a.keyword is None]
    return len(positional) <= len(params)


def _int(model: ModelQueries, expr: cst.BaseExpression) -> int | None:
    constant = model.constant(expr)
    if constant is None or constant.from_parameter_default:
        return None
    value = constant.value
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _shape(model: ModelQueries, expr: cst.BaseExpression | None) -> tuple[int, ...] | None:
    if expr is None:
        return None
    if isinstance(expr, cst.Name):
        binding = model.scopes.lookup(expr.value)
        if (
            binding is not None
            and binding.kind is BindingKind.VALUE
            and isinstance(binding.value, (cst.Tuple, cst.List))
        ):
            expr = binding.value
    if isinstance(expr, (cst.Tuple, cst.List)):
        dims = [_int(model, e.value) for e in expr.elements]
        if any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return None
    else:
        dims = [_int(model, expr)]
    if not dims or any(d is None or d <= 0 for d in dims):
        return None
    return tuple(d for d in dims if d is not None)


def dtype_itemsize(model: ModelQueries, expr: cst.BaseExpression) -> tuple[int, str] | None:
    """Bytes per element of a literal dtype: ``"float32"``, ``np.int8``, ``float``."""
    value = literal_value(expr)
    if isinstance(value, str):
        text = value.lstrip("<>=|")
        size = _ITEMSIZE.get(text)
        return (size, text) if size is not None else None
    if isinstance(expr, cst.Name) and expr.value in _BUILTIN_ITEMSIZE:
        if model.scopes.lookup(expr.value) is None:
            return _BUILTIN_ITEMSIZE[expr.value], expr.value
        return None
    name = model.qualified_name(expr)
    if name is not None and name.startswith("numpy."):
        last = name.rsplit(".", 1)[1]
        size = _ITEMSIZE.get(last)
        if size is not None and last == last.lower():
            return size, last
    return None


def _fill_itemsize(expr: cst.BaseExpression | None) -> tuple[int, str] | None:
    """The dtype NumPy infers from a literal fill value."""
    if expr is None:
        return None
    if isinstance(expr, cst.Name) and expr.value in ("True", "False"):
        return 1, "bool"
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, (cst.Minus, cst.Plus)):
        expr = expr.expression
    if isinstance(expr, cst.Integer):
        return 8, "int64"
    if isinstance(expr, cst.Float):
        return 8, "float64"
    return None


def _element(
    model: ModelQueries, call: cst.Call, signature: Signature
) -> tuple[int | None, str | None]:
    dtype_arg = _argument(call, signature.params, "dtype")
    if dtype_arg is not None:
        found = dtype_itemsize(model, dtype_arg)
        return found if found is not None else (None, None)
    if signature.default_itemsize is not None:
        return signature.default_itemsize, signature.default_dtype
    found = _fill_itemsize(_argument(call, signature.params, "fill_value"))
    return found if found is not None else (None, None)


def _made_array(model: ModelQueries, call: cst.Call, table: dict[str, Signature]) -> _Array | None:
    name = model.qualified_name(call.func)
    if table is NUMPY_SHAPES and name in _DIMENSION_ARGS:
        if not call.args or any(a.star or a.keyword is not None for a in call.args):
            return None
        dims = tuple(_int(model, a.value) for a in call.args)
        if any(d is None or d <= 0 for d in dims):
            return None
        return _Array(tuple(d for d in dims if d is not None), 8, "float64")
    signature = table.get(name) if name is not None else None
    if signature is None or not _binds(call, signature.params):
        return None
    shape_arg = _argument(call, signature.params, signature.shape)
    shape: tuple[int, ...] | None
    if signature.shape == "N":  # ``eye(N, M=None)``: N x M, square by default
        rows = _int(model, shape_arg) if shape_arg is not None else None
        cols_arg = _argument(call, signature.params, "M")
        cols = rows if cols_arg is None else _int(model, cols_arg)
        shape = (rows, cols) if rows and cols and rows > 0 and cols > 0 else None
    elif signature.shape == "num":
        num = 50 if shape_arg is None else _int(model, shape_arg)
        shape = (num,) if num is not None and num > 0 else None
    else:
        shape = _shape(model, shape_arg)
    if shape is None:
        return None
    itemsize, dtype = _element(model, call, signature)
    return _Array(shape, itemsize, dtype)


def _blocks(
    model: ModelQueries, spec: cst.BaseExpression, shape: tuple[int, ...]
) -> tuple[tuple[int, int], ...] | None:
    """``(count, largest)`` per dimension for a literal chunks specification."""
    uniform = _int(model, spec)
    if uniform is not None:
        per_dim = [_uniform(uniform, dim) for dim in shape]
        return tuple(b for b in per_dim if b is not None) if None not in per_dim else None
    if isinstance(spec, cst.Name) and spec.value != "None":
        binding = model.scopes.lookup(spec.value)
        if (
            binding is None
            or binding.kind is not BindingKind.VALUE
            or not isinstance(binding.value, (cst.Tuple, cst.List))
        ):
            return None
        spec = binding.value
    if not isinstance(spec, (cst.Tuple, cst.List)) or len(spec.elements) != len(shape):
        return None
    out: list[tuple[int, int]] = []
    for element, dim in zip(spec.elements, shape, strict=True):
        value = element.value
        if isinstance(element, cst.StarredElement):
            return None
        if isinstance(value, cst.Name) and value.value == "None":
            out.append((1, dim))
            continue
        if isinstance(value, (cst.Tuple, cst.List)):
            sizes = [_int(model, e.value) for e in value.elements]
            if not sizes or any(s is None or s < 0 for s in sizes):
                return None
            known = [s for s in sizes if s is not None]
            if sum(known) != dim:
                return None
            out.append((len(known), max(known)))
            continue
        size = _int(model, value)
        block = _uniform(size, dim) if size is not None else None
        if block is None:
            return None
        out.append(block)
    return tuple(out)


def _uniform(size: int | None, dim: int) -> tuple[int, int] | None:
    if size == -1:
        return 1, dim
    if size is None or size <= 0:
        return None
    return -(-dim // size), min(size, dim)


# Names followed from a ``rechunk`` back to the array it rechunks. A binding can lead
# back to itself (``x = x.rechunk(2)`` read again on the next line finds that binding
# for the inner ``x`` too), so the walk stops after this many.
_MAX_HOPS = 8


def _array_of(model: ModelQueries, expr: cst.BaseExpression, hops: int = 0) -> _Array | None:
    """Shape and dtype of an array made by a creator call written here or one name away."""
    if isinstance(expr, cst.Name):
        binding = model.scopes.lookup(expr.value)
        if (
            hops >= _MAX_HOPS
            or binding is None
            or binding.kind is not BindingKind.VALUE
            or not isinstance(binding.value, cst.Call)
        ):
            return None
        expr = binding.value
        hops += 1
    if not isinstance(expr, cst.Call):
        return None
    layout = _layout(model, expr, hops)
    if layout is not None:
        return _Array(layout.shape, layout.itemsize, layout.dtype)
    made = _made_array(model, expr, CREATORS)
    if made is not None:
        return made
    return _made_array(model, expr, NUMPY_SHAPES)


def _numpy_array(model: ModelQueries, expr: cst.BaseExpression) -> _Array | None:
    """An array made by a NumPy creator written here or one name away."""
    if isinstance(expr, cst.Name):
        binding = model.scopes.lookup(expr.value)
        if binding is None or binding.kind is not BindingKind.VALUE or binding.value is None:
            return None
        expr = binding.value
    return _made_array(model, expr, NUMPY_SHAPES) if isinstance(expr, cst.Call) else None


def numpy_shape(model: ModelQueries, expr: cst.BaseExpression) -> tuple[int, ...] | None:
    """The literal shape of a NumPy array made by a creator written here or one name
    away (``np.random.rand(10_000, 1)``, ``np.zeros((n, 3))`` with ``n`` a constant)."""
    made = _numpy_array(model, expr)
    return made.shape if made is not None else None


def chunk_layout(model: ModelQueries, call: cst.Call) -> ChunkLayout | None:
    """The chunk layout ``call`` gives its array, when every part of it is literal:
    a dask.array creator, ``da.from_array`` of a NumPy creator, or ``rechunk`` of either."""
    return _layout(model, call, 0)


def _layout(model: ModelQueries, call: cst.Call, hops: int) -> ChunkLayout | None:
    name = model.qualified_name(call.func)
    source: _Array | None = None
    chunks: cst.BaseExpression | None = None
    if name is not None and name in CREATORS:
        signature = CREATORS[name]
        source = _made_array(model, call, CREATORS)
        chunks = _argument(call, signature.params, "chunks")
    elif name is not None and name in FROM_ARRAY:
        params = ("x", "chunks")
        if any(a.star for a in call.args):
            return None
        data = _argument(call, params, "x")
        source = _numpy_array(model, data) if data is not None else None
        chunks = _argument(call, params, "chunks")
    elif name == RECHUNK:
        params = ("x", "chunks")
        data = _argument(call, params, "x")
        source = _array_of(model, data, hops) if data is not None else None
        chunks = _argument(call, params, "chunks")
    elif (
        name is None
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "rechunk"
        and not any(a.star for a in call.args)
    ):
        source = _array_of(model, call.func.value, hops)
        chunks = _argument(call, ("chunks",), "chunks")
    if source is None or chunks is None:
        return None
    blocks = _blocks(model, chunks, source.shape)
    if blocks is None:
        return None
    return ChunkLayout(source.shape, blocks, source.itemsize, source.dtype, chunks)


# ----------------------------------------------------------------------- byte sizes

_UNITS = {
    "": 1, "b": 1,
    "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12, "pb": 10**15,
    "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12, "p": 10**15,
    "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40, "pib": 2**50,
    "ki": 2**10, "mi": 2**20, "gi": 2**30, "ti": 2**40, "pi": 2**50,
}  # fmt: skip
_BYTES = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)(?:[eE](\d+))?\s*([A-Za-z]*)\s*$")


def parse_bytes(text: str) -> int | None:
    """``"100MB"`` -> 100_000_000, ``"1 MiB"`` -> 1_048_576 (the units of Dask's
    ``dask.utils.parse_bytes``: kB, MB, ... are powers of 1000, KiB, MiB, ... of 1024)."""
    match = _BYTES.match(text)
    if match is None:
        return None
    unit = _UNITS.get(match.group(3).lower())
    exponent = int(match.group(2) or 0)
    if unit is None or exponent > 30:
        return None  # not a size anyone writes (and beyond float range)
    return int(float(match.group(1)) * 10**exponent * unit)


def byte_size(model: ModelQueries, expr: cst.BaseExpression) -> int | None:
    """A literal byte count: an int, or a string such as ``"64MB"``."""
    constant = model.constant(expr)
    if constant is None or constant.from_parameter_default:
        return None
    value = constant.value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return parse_bytes(value)
    return None


def format_bytes(count: int) -> str:
    """``80 B``, ``78.1 KiB``, ``7.6 MiB``, ``3.7 GiB`` (binary units, like Dask's)."""
    if count >= 1024**6:
        return f"{count:,} B"  # beyond TiB: no unit helps, and floats may overflow
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{count} B"


__all__ = [
    "ChunkLayout",
    "byte_size",
    "chunk_layout",
    "dtype_itemsize",
    "format_bytes",
    "numpy_shape",
    "parse_bytes",
]
