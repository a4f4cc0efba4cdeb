"""What kind of Dask object an expression evaluates to, and what iterating it gives, as far
as the source shows."""

from __future__ import annotations

import enum
from typing import TypeAlias


class CollectionKind(enum.Enum):
    """Dask collections (with their default local scheduler) and the distributed handles."""

    DELAYED = "delayed"
    ARRAY = "array"
    DATAFRAME = "dataframe"
    BAG = "bag"
    # An xarray Dataset, DataArray or Variable (or a groupby of one) whose data are Dask
    # arrays: a Dask collection itself (``dask.compute(ds)``); see semantic/xarrays.py.
    XARRAY = "xarray"
    CLIENT = "client"
    CLUSTER = "cluster"

    @property
    def is_collection(self) -> bool:
        return self in _COLLECTIONS


_COLLECTIONS = frozenset(
    {
        CollectionKind.DELAYED,
        CollectionKind.ARRAY,
        CollectionKind.DATAFRAME,
        CollectionKind.BAG,
        CollectionKind.XARRAY,
    }
)

# What iterating a value gives: one kind per element, or a tuple of them (``zip``,
# ``enumerate``, ``dict.items()``), or None when the source does not say.
Element: TypeAlias = "CollectionKind | tuple[Element, ...] | None"

# Module prefixes whose calls create collections of that kind (submodules included:
# ``da.random.random``, ``dd.io.read_parquet``).
CREATOR_MODULES: dict[str, CollectionKind] = {
    "dask.bag": CollectionKind.BAG,
    "dask.array": CollectionKind.ARRAY,
    "dask.dataframe": CollectionKind.DATAFRAME,
}

# Submodules of those packages whose functions work on pandas/NumPy objects (metadata,
# per-chunk kernels, backends), not on collections: ``dask.dataframe.utils.make_meta``,
# ``dask.array.chunk.sum``. Private submodules (``_pyarrow``) are skipped as well.
HELPER_MODULES = frozenset({"utils", "methods", "chunk", "backends", "dispatch", "numpy_compat"})


def creator_kind(name: str) -> CollectionKind | None:
    """``dask.array.random.random`` creates an array: the longest creator module wins."""
    if any(p.startswith("_") or p in HELPER_MODULES for p in name.split(".")[2:-1]):
        return None  # ``dask.dataframe.utils.make_meta`` returns a pandas object
    module = name
    while "." in module:
        module = module.rsplit(".", 1)[0]
        if module in CREATOR_MODULES:
            return CREATOR_MODULES[module]
    return None


# Methods that turn one kind of collection into another; ``None`` means "not lazy any more".
CONVERSION_METHODS: dict[str, CollectionKind | None] = {
    "compute": None,
    "to_delayed": CollectionKind.DELAYED,
    "to_dataframe": CollectionKind.DATAFRAME,
    "to_bag": CollectionKind.BAG,
    "to_dask_array": CollectionKind.ARRAY,
    "result": None,
    "tolist": None,
}

# Attributes of a collection that hold plain values, not collections (dask 2026.8.0):
# ``Delayed.__slots__`` and its ``key``/``dask`` properties, array and DataFrame metadata.
# ``delayed(f)(1).key.startswith("f")`` is a ``str`` method call, not a Delayed.
PLAIN_ATTRIBUTES = frozenset(
    {
        "key", "_key", "dask", "_dask", "_length", "_layer", "name", "_name", "_meta",
        "npartitions", "divisions", "known_divisions", "columns", "dtypes", "dtype", "shape",
        "ndim", "size", "nbytes", "itemsize", "chunks", "chunksize", "numblocks",
    }
)  # fmt: skip

CLIENT_FACTORIES = frozenset({"distributed.Client", "distributed.get_client"})
CLUSTER_FACTORIES = frozenset(
    {
        "distributed.LocalCluster",
        "distributed.SubprocessCluster",
        "distributed.SpecCluster",
        "distributed.SSHCluster",
    }
)
