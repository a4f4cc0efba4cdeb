"""xarray objects whose data are Dask arrays: what makes them, what keeps them lazy.

xarray wraps Dask arrays when the data are opened with chunks (xarray 2026.9.0, "Parallel
computing with Dask", https://docs.xarray.dev/en/stable/user-guide/dask.html):
``open_mfdataset`` always (``chunks=None`` becomes ``{}`` in ``xarray/backends/api.py``),
``open_dataset``/``open_dataarray`` when ``chunks=`` is given and is not None,
``open_zarr`` unless ``chunks=None`` (its default is ``"auto"``), and ``.chunk(...)`` on
any xarray object. ``open_dataset`` without chunks and ``load_dataset`` hold NumPy data.

Selections, arithmetic, reductions, ``groupby``/``resample`` and their reductions keep
the Dask data lazy; ``.data`` is the Dask array itself. ``.values``, ``.load()``,
``.compute()``, ``.to_numpy()`` and the pandas conversions compute (what the model records
as implicit computations, see :mod:`dasklint.semantic.materialize`). Index coordinates
(``ds.time``) are pandas indexes in memory: a variable named like a dimension is that
dimension's coordinate, so the names the module uses as dimensions (``ds.isel(level=k)``,
``ds.mean("time")``, ``dim=...``), the coordinate names of the CF conventions, virtual
coordinates (``ds["time.month"]``) and ``.coords`` are not treated as lazy.

The model tags these values with :attr:`CollectionKind.XARRAY` and asks this module for
what a step on one gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.names import BindingKind
from dasklint.semantic.tree import walk_subtree
from dasklint.semantic.values import literal_value

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

_XR = CollectionKind.XARRAY

# Openers whose result is Dask-backed: always, or only when ``chunks=`` is given (not
# None), or unless ``chunks=None`` is given. ``xarray.tutorial.open_dataset`` passes its
# keywords to ``open_dataset``.
ALWAYS_DASK = frozenset({"xarray.open_mfdataset"})
DASK_WITH_CHUNKS = frozenset(
    {
        "xarray.open_dataset",
        "xarray.open_dataarray",
        "xarray.tutorial.open_dataset",
        "xarray.backends.api.open_dataset",
    }
)
DASK_UNLESS_CHUNKS_NONE = frozenset({"xarray.open_zarr", "xarray.backends.zarr.open_zarr"})
# Constructors that wrap their first argument: Dask-backed when it is a Dask array.
WRAPPERS = frozenset({"xarray.DataArray", "xarray.Variable"})
# Functions that combine xarray objects: Dask-backed when one of their inputs is.
COMBINERS = frozenset(
    {
        "xarray.concat", "xarray.merge", "xarray.combine_by_coords", "xarray.combine_nested",
        "xarray.where", "xarray.dot", "xarray.zeros_like", "xarray.ones_like",
        "xarray.full_like", "xarray.broadcast", "xarray.align",
    }
)  # fmt: skip

# What an attribute of a Dask-backed object holds: ``None`` for plain values (metadata,
# in-memory coordinates, computed NumPy data), a kind for lazy ones. Attributes not listed
# are data variables or coordinates by name (``ds.salinity``): lazy.
ATTRIBUTES: dict[str, CollectionKind | None] = {
    "values": None,  # computes: a NumPy array
    "data": CollectionKind.ARRAY,  # the Dask array itself
    "variables": _XR,
    "data_vars": _XR,
    **dict.fromkeys(
        (
            "coords", "indexes", "xindexes", "dims", "sizes", "shape", "ndim", "size",
            "dtype", "dtypes", "nbytes", "chunks", "chunksizes", "attrs", "encoding", "name",
            "loc", "plot", "str", "dt", "chunksize", "itemsize",
        ),
        None,
    ),
}  # fmt: skip
# ``loc``/``str``/``dt`` are accessors whose steps the model does not follow: not lazy
# rather than guessed.

# What a method of a Dask-backed object returns: ``None`` when the result is not lazy
# (computed, written, plotted or plain), ARRAY/DATAFRAME for conversions to Dask
# collections. Methods not listed (``isel``, ``sel``, ``mean``, ``groupby``, ``where``,
# ``chunk``, ``persist``, ...) return a Dask-backed object.
METHODS: dict[str, CollectionKind | None] = {
    "to_dask_dataframe": CollectionKind.DATAFRAME,
    **dict.fromkeys(
        (
            "load", "compute", "to_numpy", "as_numpy", "item", "tolist", "to_pandas",
            "to_series", "to_dataframe", "to_dict", "to_index", "to_netcdf", "to_zarr",
            "plot", "equals", "identical", "broadcast_equals", "get_index", "get_axis_num",
            "keys", "values", "items", "info", "load_async",
        ),
        None,
    ),
}  # fmt: skip

# Coordinate names of the CF conventions and of common model output (NEMO's
# ``time_counter``, ``deptht``), compared in lower case (``Z``, ``Time``): index
# coordinates are pandas indexes, in memory even when the data variables are Dask arrays.
COORDINATE_NAMES = frozenset(
    {
        "time", "lat", "lon", "latitude", "longitude", "x", "y", "z", "level", "lev",
        "plev", "depth", "height", "member", "band", "year", "month", "day", "hour",
        "season", "nav_lat", "nav_lon", "nav_lev", "xc", "yc", "rlat", "rlon", "station",
        "node", "time_counter", "time_centered", "time_bnds", "time_bounds", "lat_bnds",
        "lon_bnds", "deptht", "depthu", "depthv", "depthw", "olevel", "bnds",
    }
)  # fmt: skip

# Methods whose iteration gives ``(label, group)`` pairs of Dask-backed objects.
GROUPINGS = frozenset({"groupby", "groupby_bins", "resample"})


def attribute_kind(attribute: str, dimensions: frozenset[str]) -> CollectionKind | None:
    """What ``value.<attribute>`` holds when ``value`` is Dask-backed; ``dimensions``:
    the names the module uses as dimensions."""
    if attribute in ATTRIBUTES:
        return ATTRIBUTES[attribute]
    if _coordinate(attribute, dimensions) or attribute.startswith("_"):
        return None
    return _XR


def method_kind(method: str) -> CollectionKind | None:
    """What ``value.<method>(...)`` returns when ``value`` is Dask-backed."""
    return METHODS.get(method, _XR)


def item_kind(subscript: cst.Subscript, dimensions: frozenset[str]) -> CollectionKind | None:
    """``ds["salinity"]``, ``ds[name]``, ``arr[:, k]``: lazy, except a coordinate by its
    name (``ds["time"]``, a dimension of ``dimensions``) and a virtual coordinate
    (``ds["time.year"]``, computed from the in-memory index)."""
    if len(subscript.slice) == 1:
        index = subscript.slice[0].slice
        if isinstance(index, cst.Index):
            key = literal_value(index.value)
            if isinstance(key, str) and (_coordinate(key, dimensions) or "." in key):
                return None
    return _XR


def _coordinate(name: str, dimensions: frozenset[str]) -> bool:
    return name in dimensions or name.lower() in COORDINATE_NAMES


# Methods whose keywords name dimensions (``ds.isel(level=k)``, ``ds.chunk(time=10)``),
# and reductions whose first positional argument does (``ds.mean("time")``).
_DIMENSION_KEYWORDS = frozenset(
    {
        "isel", "sel", "chunk", "rolling", "coarsen", "resample", "interp", "reindex",
        "thin", "shift", "roll", "pad", "expand_dims", "drop_sel", "drop_isel", "squeeze",
        "swap_dims", "rename_dims", "stack", "weighted_mean",
    }
)  # fmt: skip
_DIMENSION_ARGUMENT = frozenset(
    {
        "mean", "sum", "std", "var", "min", "max", "median", "prod", "count", "any", "all",
        "cumsum", "cumprod", "diff", "argmax", "argmin", "idxmax", "idxmin", "transpose",
        "groupby", "differentiate", "integrate",
    }
)  # fmt: skip
_DIMENSION_PARAMETERS = frozenset({"dim", "dims", "group"})


def dimension_names(module: cst.Module) -> frozenset[str]:
    """The names the module uses as dimensions of xarray objects: keywords of
    selections (``isel(level=k)``), the string arguments of reductions (``mean("time")``,
    ``groupby("time.month")`` names ``time``) and of ``dim=``/``dims=``."""
    found: set[str] = set()
    for node in walk_subtree(module):
        if not isinstance(node, cst.Call):
            continue
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else None
        for position, arg in enumerate(node.args):
            if arg.keyword is not None:
                key = arg.keyword.value
                if method in _DIMENSION_KEYWORDS:
                    found.add(key)
                if key in _DIMENSION_PARAMETERS:
                    found.update(_strings(arg.value))
            elif position == 0 and method in _DIMENSION_ARGUMENT:
                found.update(_strings(arg.value))
    return frozenset(name.split(".", 1)[0] for name in found)


def _strings(expr: cst.BaseExpression) -> list[str]:
    """The string literals of ``"time"``, ``["x", "y"]`` or ``("x", "y")``."""
    parts = [e.value for e in expr.elements] if isinstance(expr, (cst.List, cst.Tuple)) else [expr]
    return [v for v in (literal_value(p) for p in parts) if isinstance(v, str)]


def xarray_element(method: str) -> CollectionKind | tuple[None, CollectionKind] | None:
    """What iterating ``value.<method>(...)`` of a Dask-backed object gives: the
    variables of ``ds.data_vars.values()``, the ``(name, variable)`` pairs of
    ``.items()``, the ``(label, group)`` pairs of ``groupby``/``resample``."""
    if method == "values":
        return _XR
    if method == "items" or method in GROUPINGS:
        return (None, _XR)
    return None


def opened_kind(model: ModelQueries, call: cst.Call, name: str) -> CollectionKind | None:
    """XARRAY when the ``xarray`` function ``name`` returns Dask-backed data here."""
    if name in ALWAYS_DASK:
        return _XR
    if name in DASK_WITH_CHUNKS or name in DASK_UNLESS_CHUNKS_NONE:
        chunks = next(
            (a.value for a in call.args if a.keyword is not None and a.keyword.value == "chunks"),
            None,
        )
        if chunks is None:
            return _XR if name in DASK_UNLESS_CHUNKS_NONE else None
        return _XR if _not_none(model, chunks) else None
    if name in WRAPPERS:
        data = _first_argument(call, "data")
        wraps_dask = data is not None and model.collection_kind(data) is CollectionKind.ARRAY
        return _XR if wraps_dask else None
    if name in COMBINERS:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value not in ("objs", "datasets", "x", "y"):
                continue
            value = arg.value
            if isinstance(value, (cst.List, cst.Tuple)):
                parts = [e.value for e in value.elements]
            else:
                parts = [value]
            for part in parts:
                if model.collection_kind(part) is _XR or model.receivers.element(part) is _XR:
                    return _XR
    return None


def chunked(model: ModelQueries, receiver: cst.BaseExpression) -> CollectionKind | None:
    """``receiver.chunk(...)``: XARRAY when the source shows ``receiver`` is an xarray
    object (made by an ``xarray`` function, directly or through names and steps)."""
    return _XR if is_xarray(model, receiver) else None


_HOPS = 16


def is_xarray(model: ModelQueries, expr: cst.BaseExpression) -> bool:
    """``expr`` is an xarray object, NumPy- or Dask-backed: its chain of attributes,
    items and method calls starts at a call of an ``xarray`` function, or at a name the
    model tagged as Dask-backed. Read from the syntax and the bindings only (no kind
    inference: ``v = v.chunk(...)`` must not ask about itself)."""
    for _ in range(_HOPS):
        if isinstance(expr, cst.Call):
            name = model.qualified_name(expr.func)
            if name is not None:
                return name.startswith("xarray.")
            if not isinstance(expr.func, cst.Attribute):
                return False
            expr = expr.func.value
        elif isinstance(expr, cst.Subscript):
            expr = expr.value
        elif isinstance(expr, cst.Attribute):
            if expr.attr.value in ATTRIBUTES and ATTRIBUTES[expr.attr.value] is None:
                return False  # ``ds.values``, ``ds.attrs``: not an xarray object
            expr = expr.value
        elif isinstance(expr, cst.Name):
            binding = model.scopes.lookup(expr.value)
            if binding is None:
                return False
            if binding.tag is _XR:
                return True
            if binding.kind is not BindingKind.VALUE or binding.value is None:
                return False
            if binding.value is expr:
                return False
            expr = binding.value
        else:
            return False
    return False


def _not_none(model: ModelQueries, value: cst.BaseExpression) -> bool:
    """``chunks=`` is a value other than None: a literal, a dict display or a name bound
    to one in this scope (a parameter may be None at run time: not proven)."""
    if isinstance(value, cst.Name):
        if value.value == "None":
            return False
        binding = model.scopes.lookup(value.value)
        if binding is None or binding.kind is not BindingKind.VALUE or binding.value is None:
            return False
        value = binding.value
        if isinstance(value, cst.Name) and value.value == "None":
            return False
    if isinstance(value, (cst.Dict, cst.Tuple, cst.SimpleString, cst.ConcatenatedString)):
        return True
    return literal_value(value) is not None or (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Name)
        and value.func.value == "dict"
        and model.scopes.lookup("dict") is None
    )


def _first_argument(call: cst.Call, keyword: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            return arg.value
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


__all__ = [
    "COORDINATE_NAMES",
    "GROUPINGS",
    "attribute_kind",
    "chunked",
    "dimension_names",
    "is_xarray",
    "item_kind",
    "method_kind",
    "opened_kind",
    "xarray_element",
]
