"""Dask DataFrames, Series and Arrays as the source shows them, and data loaded client-side.

The model tags every value derived from a Dask collection with the collection's kind, so
``ddf.columns`` and ``ddf.head()`` carry the DataFrame tag although they are pandas
objects. :func:`lazy_kind` refines the tag: it follows the outermost attributes and
method calls of an expression (and, for a name, of the value bound to it) and drops the
tag at the first step that leaves Dask (``columns``, ``npartitions``, ``head()``,
``compute()``), or switches it to Array at ``values``.

:func:`client_side_source` recognises values loaded or created in the client process
with pandas or NumPy (``pd.read_csv(...)``, ``np.load(...)``, ``np.ones(...)``), written
at the call or bound to a name one assignment away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.names import BindingKind

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

# Attributes of DataFrames, Series and Arrays that hold concrete (pandas, NumPy or Python)
# values rather than lazy collections.
CONCRETE_ATTRIBUTES = frozenset(
    {
        "columns", "dtypes", "dtype", "npartitions", "divisions", "known_divisions",
        "name", "ndim", "shape", "attrs", "axes", "empty", "_meta", "_meta_nonempty",
        "chunks", "chunksize", "numblocks", "nbytes", "itemsize", "dask", "expr",
    }
)  # fmt: skip
# Methods whose result is not a lazy collection: they compute, write or describe.
CONCRETE_METHODS = frozenset(
    {
        "compute", "head", "tail", "to_csv", "to_parquet", "to_hdf", "to_sql", "to_json",
        "to_orc", "to_zarr", "to_hdf5", "to_npy_stack", "store", "tolist", "visualize",
        "pprint", "explain", "analyze", "info", "iterrows", "itertuples", "items",
        "__dask_graph__", "__dask_keys__", "compute_current_divisions", "to_delayed",
        "to_bag", "result",
    }
)  # fmt: skip
# Steps that turn a DataFrame or Series into a Dask Array.
ARRAY_ATTRIBUTES = frozenset({"values"})
ARRAY_METHODS = frozenset({"to_dask_array", "to_records"})
# Methods of a Series (or DataFrame column) that return a Series.
SERIES_METHODS = frozenset({"unique", "value_counts", "drop_duplicates"})

_FRAME_KINDS = (CollectionKind.DATAFRAME, CollectionKind.ARRAY)
_HOPS = 4  # names followed back to the value they were bound to


def _step(expr: cst.BaseExpression) -> tuple[str | None, cst.BaseExpression | None]:
    """The name of the outermost attribute or method of ``expr`` and what it applies to."""
    if isinstance(expr, cst.Attribute):
        return expr.attr.value, expr.value
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        return expr.func.attr.value, expr.func.value
    if isinstance(expr, cst.Subscript):
        return None, expr.value
    return None, None


def _root(expr: cst.BaseExpression) -> cst.BaseExpression:
    """What the chain of attributes, items and method calls of ``expr`` starts from."""
    current = expr
    while True:
        _, inner = _step(current)
        if inner is None:
            return current
        current = inner


def _decisive(expr: cst.BaseExpression) -> CollectionKind | bool:
    """Walk the outermost steps of ``expr``: ``False`` when one leaves Dask, ARRAY when one
    turns a frame into an array, ``True`` when nothing in the chain decides."""
    current: cst.BaseExpression | None = expr
    while current is not None:
        name, inner = _step(current)
        if name is not None:
            is_call = isinstance(current, cst.Call)
            if name in CONCRETE_ATTRIBUTES and not is_call:
                return False
            if name in CONCRETE_METHODS and is_call:
                return False
            if (name in ARRAY_ATTRIBUTES and not is_call) or (name in ARRAY_METHODS and is_call):
                return CollectionKind.ARRAY
        current = inner
    return True


def lazy_kind(model: ModelQueries, expr: cst.BaseExpression) -> CollectionKind | None:
    """DATAFRAME (a Dask DataFrame, Series, Index or groupby) or ARRAY when ``expr`` is a
    lazy Dask collection of that kind; None otherwise (pandas, NumPy, unknown)."""
    kind = model.collection_kind(expr)
    if kind not in _FRAME_KINDS:
        return None
    found = _decisive(expr)
    root = _root(expr)
    for _ in range(_HOPS):
        # ``sample[c].tail()`` after ``sample = ddf.head(100)``: the name's value decides.
        if found is not True or not isinstance(root, cst.Name):
            break
        binding = model.scopes.lookup(root.value)
        if binding is None or binding.kind is not BindingKind.VALUE or binding.value is None:
            break
        if binding.value is root:
            break
        found, root = _decisive(binding.value), _root(binding.value)
    if found is False:
        return None
    if isinstance(found, CollectionKind):
        return found
    return kind


def is_dataframe_like(model: ModelQueries, expr: cst.BaseExpression) -> bool:
    """``expr`` is a lazy Dask DataFrame, Series, Index or groupby object."""
    return lazy_kind(model, expr) is CollectionKind.DATAFRAME


def is_series(model: ModelQueries, expr: cst.BaseExpression, hops: int = 2) -> bool:
    """``expr`` is known to be a Dask Series or Index: a column selected with a string
    (``ddf["a"]``), ``.index``, ``.unique()``, ``.value_counts()``, or a name bound to one."""
    if not is_dataframe_like(model, expr):
        return False
    if isinstance(expr, cst.Subscript):
        if len(expr.slice) != 1:
            return False
        index = expr.slice[0].slice
        if not isinstance(index, cst.Index):
            return False
        constant = model.constant(index.value)
        return constant is not None and isinstance(constant.value, str)
    if isinstance(expr, cst.Attribute):
        return expr.attr.value == "index"
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        return expr.func.attr.value in SERIES_METHODS
    if isinstance(expr, cst.Name) and hops > 0:
        binding = model.scopes.lookup(expr.value)
        if binding is not None and binding.kind is BindingKind.VALUE and binding.value is not None:
            return is_series(model, binding.value, hops - 1)
    return False


# ----------------------------------------------------------------------- client-side data

NUMPY_LOADERS = frozenset({"numpy.load", "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile"})
# NumPy creators with a Dask Array counterpart of the same name.
NUMPY_CREATORS: dict[str, str] = {
    "numpy.ones": "da.ones",
    "numpy.zeros": "da.zeros",
    "numpy.empty": "da.empty",
    "numpy.full": "da.full",
    "numpy.arange": "da.arange",
    "numpy.linspace": "da.linspace",
    "numpy.eye": "da.eye",
    "numpy.random.random": "da.random.random",
    "numpy.random.random_sample": "da.random.random_sample",
    "numpy.random.normal": "da.random.normal",
    "numpy.random.uniform": "da.random.uniform",
    "numpy.random.randint": "da.random.randint",
    "numpy.random.standard_normal": "da.random.standard_normal",
}
# ``np.asarray(f["x"])``: reading a dataset (h5py, zarr, netCDF) into memory.
NUMPY_CONVERTERS = frozenset({"numpy.asarray", "numpy.array"})
# The readers ``dask.dataframe`` exports (dask 2026.8.0; ``dir(dask.dataframe)``): a pandas
# reader has a Dask counterpart only when its name is here (there is no ``dd.read_pickle``).
DASK_DATAFRAME_READERS = frozenset(
    {
        "read_csv",
        "read_fwf",
        "read_hdf",
        "read_json",
        "read_orc",
        "read_parquet",
        "read_sql",
        "read_sql_query",
        "read_sql_table",
        "read_table",
    }
)
PYARROW_READERS = frozenset(
    {"pyarrow.parquet.read_table", "pyarrow.csv.read_csv", "pyarrow.feather.read_table"}
)


@dataclass(frozen=True, slots=True)
class ClientSideSource:
    """A value made in the client process: which call made it, and where."""

    function: str  # qualified name: "pandas.read_csv", "numpy.load", "numpy.ones"
    call: cst.Call
    via_name: bool  # reached through a name bound to the call

    @property
    def is_pandas(self) -> bool:
        return self.function.startswith("pandas.")

    @property
    def is_reader(self) -> bool:
        """Reads a file (rather than creating data in memory)."""
        return (
            self.function.startswith("pandas.read_")
            or self.function in NUMPY_LOADERS
            or self.function in PYARROW_READERS
        )

    @property
    def dask_counterpart(self) -> str | None:
        """The Dask call that makes the same data lazily, when there is one by that name."""
        if self.function.startswith("pandas.read_"):
            reader = self.function.rsplit(".", 1)[1]
            return "dd." + reader if reader in DASK_DATAFRAME_READERS else None
        return NUMPY_CREATORS.get(self.function)


def client_side_source(model: ModelQueries, expr: cst.BaseExpression) -> ClientSideSource | None:
    """The pandas/NumPy/pyarrow call that made ``expr`` in the client process, if the source
    shows it: the call itself or a name bound to it (one hop)."""
    via_name = False
    if isinstance(expr, cst.Name):
        binding = model.scopes.lookup(expr.value)
        if binding is None or binding.kind is not BindingKind.VALUE or binding.value is None:
            return None
        expr, via_name = binding.value, True
    if not isinstance(expr, cst.Call):
        return None
    name = model.qualified_name(expr.func)
    if name is None:
        return None
    if name.startswith("pandas.read_") or name in NUMPY_LOADERS or name in PYARROW_READERS:
        return ClientSideSource(name, expr, via_name)
    if name in NUMPY_CREATORS:
        return ClientSideSource(name, expr, via_name)
    if name in NUMPY_CONVERTERS:
        positional = [a for a in expr.args if a.keyword is None and not a.star]
        # ``np.asarray(f["x"])`` reads a stored dataset; ``np.asarray([1, 2])`` is small.
        if positional and isinstance(positional[0].value, cst.Subscript):
            return ClientSideSource(name, expr, via_name)
    return None


__all__ = [
    "DASK_DATAFRAME_READERS",
    "ClientSideSource",
    "client_side_source",
    "is_dataframe_like",
    "is_series",
    "lazy_kind",
]
