"""The semantic model's xarray kinds and the computations it records without ``compute``.

What xarray and Dask do at run time is checked in tests/runtime/test_xarray_claims.py;
here the model's reading of the source is checked on its own, as every rule sees it.
"""

from __future__ import annotations

import textwrap

import libcst as cst

from dasklint.semantic import CollectionKind, SemanticModel
from dasklint.semantic.names import BindingKind
from dasklint.semantic.scheduler import Receiver

XR = CollectionKind.XARRAY


def _model(source: str) -> SemanticModel:
    module = cst.parse_module(textwrap.dedent(source))
    model = SemanticModel(module)
    cst.visit_batched(module, [], before_visit=model.on_visit, after_leave=model.on_leave)
    model.finish()
    return model


def _tags(source: str) -> dict[str, object]:
    """The kind of every module-level name, as bound last."""
    bindings = _model(source).scopes.module.bindings
    return {name: b.tag for name, b in bindings.items() if b.kind is BindingKind.VALUE}


def _implicit(source: str) -> list[tuple[str, str, CollectionKind, Receiver, bool]]:
    model = _model(source)
    empty = cst.Module(body=[])
    return [
        (empty.code_for_node(f.node), f.trigger, f.kind, f.receiver, f.in_loop)
        for f in model.implicit_computes
    ]


def test_what_is_dask_backed() -> None:
    tags = _tags(
        """
        import dask.array as da
        import xarray as xr

        mf = xr.open_mfdataset("part-*.nc")
        plain = xr.open_dataset("one.nc")
        unchunked = xr.open_dataset("one.nc", chunks=None)
        chunked = xr.open_dataset("one.nc", chunks={"time": 1})
        store = xr.open_zarr("store.zarr")
        store_none = xr.open_zarr("store.zarr", chunks=None)
        eager = xr.load_dataset("one.nc")
        rechunked = plain.chunk({"time": 1})
        wrapped = xr.DataArray(da.ones(10, chunks=5))
        wrapped_numpy = xr.DataArray([1, 2, 3])
        var = mf["salt"]
        clim = var.mean("time")
        grouped = mf.groupby("time.month").mean()
        arith = 2 * clim - clim.mean()
        joined = xr.concat([clim, plain.salt], dim="run")
        values = clim.values
        data = clim.data
        loaded = clim.load()
        computed = clim.compute()
        shape = clim.shape
        time = mf.time
        lat = mf["lat"]
        attrs = mf.attrs
        frame = clim.to_dataframe()
        dframe = mf.to_dask_dataframe()
        """
    )
    assert {name for name, tag in tags.items() if tag is XR} == {
        "mf", "chunked", "store", "rechunked", "wrapped", "var", "clim", "grouped", "arith",
        "joined",
    }  # fmt: skip
    assert tags["data"] is CollectionKind.ARRAY  # `.data` is the Dask array itself
    assert tags["dframe"] is CollectionKind.DATAFRAME
    for name in ("plain", "unchunked", "store_none", "eager", "wrapped_numpy", "values"):
        assert tags[name] is None, name
    for name in ("loaded", "computed", "shape", "time", "lat", "attrs", "frame"):
        assert tags[name] is None, name


def test_computations_without_compute() -> None:
    found = _implicit(
        """
        import dask.dataframe as dd
        import numpy as np
        import xarray as xr

        clim = xr.open_mfdataset("part-*.nc")["salt"].mean("time")
        frame = dd.read_parquet("table")
        print(clim.values, clim.data, float(clim[0]), clim.mean().load())
        for k in range(3):
            np.copy(clim[:, k])
            np.asarray(clim.data)
            frame.head(1)
            frame.tail(1, compute=False)
            frame.columns.values
        for name, var in xr.open_mfdataset("part-*.nc").data_vars.items():
            var.to_numpy()
        """
    )
    assert found == [
        ("clim.values", "`.values`", XR, Receiver.PROVEN, False),
        ("float(clim[0])", "`float(...)`", XR, Receiver.PROVEN, False),
        ("clim.mean().load()", "`.load()`", XR, Receiver.PROVEN, False),
        ("np.copy(clim[:, k])", "`np.copy(...)`", XR, Receiver.PROVEN, True),
        ("np.asarray(clim.data)", "`np.asarray(...)`", CollectionKind.ARRAY, Receiver.PROVEN, True),
        ("frame.head(1)", "`.head()`", CollectionKind.DATAFRAME, Receiver.PROVEN, True),
        ("var.to_numpy()", "`.to_numpy()`", XR, Receiver.PROVEN, True),
    ]


def test_partitions_of_unknown_values_are_likely_frames() -> None:
    found = _implicit(
        """
        import dask

        def bounds(table):
            part = table.get_partition(0)
            return part.head(1), table.partitions[1].tail(1), table.head(1)
        """
    )
    assert [(code, receiver) for code, _, _, receiver, _ in found] == [
        ("part.head(1)", Receiver.LIKELY),
        ("table.partitions[1].tail(1)", Receiver.LIKELY),
    ]


def test_load_as_a_statement_loads_the_name_in_place() -> None:
    tags = _tags(
        """
        import xarray as xr

        clim = xr.open_mfdataset("part-*.nc")["salt"].mean("time")
        kept = clim
        clim.load()
        """
    )
    assert tags["kept"] is XR
    assert tags["clim"] is None


def test_chunk_of_itself_is_followed_without_recursion() -> None:
    tags = _tags(
        """
        import xarray as xr

        def align(v, chunks):
            v = v.chunk(dict(zip(v.dims, chunks)))
            v = v.chunk(dict(zip(v.dims, chunks)))
            return v.values

        ds = xr.open_dataset("one.nc")
        ds = ds.chunk({"time": 1})
        ds = ds.chunk({"time": 2})
        """
    )
    assert tags["ds"] is XR


def test_dimension_coordinates_are_in_memory() -> None:
    tags = _tags(
        """
        import xarray as xr

        anom = xr.open_mfdataset("part-*.nc")["biomass"]
        one = anom.isel(length=0).mean(dim=["x", "y"])
        sizes = one["length"]
        across = anom.x
        year = anom["time.year"]
        ocean = anom.sum("ocean_basin")["ocean_basin"]
        depth = anom.Z
        stamps = anom["time_counter"]
        salt = anom["salt"]
        """
    )
    for name in ("sizes", "across", "year", "ocean", "depth", "stamps"):
        assert tags[name] is None, name
    assert tags["salt"] is XR
    assert tags["one"] is XR
