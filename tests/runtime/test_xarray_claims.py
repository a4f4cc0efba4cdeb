"""What DSK303 claims about xarray objects backed by Dask, and about DataFrame peeks, holds.

Each test writes small netCDF files, opens them as real code does, counts the graphs the
scheduler is asked to run, and lints the same pattern so that the runtime fact stays tied
to the rule that states it.
"""

from __future__ import annotations

from pathlib import Path

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from programs import CountingScheduler, selected_findings

xr = pytest.importorskip("xarray", reason="install the test extra: it has xarray")
pytest.importorskip("scipy", reason="the netCDF files are written with scipy")

pytestmark = pytest.mark.dask_runtime


def _lines(source: str, code: str = "DSK303") -> list[int]:
    return [d.location.row for d in selected_findings(source, code)]


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    """Two netCDF files of one (time, node, level) salinity record, split along time."""
    rng = np.random.default_rng(0)
    ds = xr.Dataset(
        {"salt": (("time", "node", "level"), rng.random((4, 6, 3)))},
        coords={"time": np.arange(4), "level": [1.0, 2.0, 3.0]},
    )
    paths = []
    for i in range(2):
        path = tmp_path / f"part{i}.nc"
        ds.isel(time=slice(2 * i, 2 * i + 2)).to_netcdf(path, engine="scipy")
        paths.append(str(path))
    return paths


def test_values_and_np_copy_recompute_the_whole_graph_each_time(
    files: list[str], counting_scheduler: CountingScheduler
) -> None:
    lines = _lines(
        """
        import numpy as np
        import xarray as xr

        clim = xr.open_mfdataset(FILES)["salt"].mean("time")
        for k in range(3):
            print(np.copy(clim[:, k]), clim[:, k].values)
        """
    )
    assert lines == [7, 7]
    clim = xr.open_mfdataset(files, engine="scipy")["salt"].mean("time")
    assert isinstance(clim.data, da.Array)  # selections and reductions stay lazy
    assert counting_scheduler.runs == 0
    for k in range(3):
        np.copy(clim[:, k])
    assert counting_scheduler.runs == 3  # one whole read-and-mean per level
    for k in range(3):
        _ = clim[:, k].values
    assert counting_scheduler.runs == 6  # `.values` does the same: nothing is kept between them
    loaded = clim.compute()  # the advice: compute once before the loop
    assert counting_scheduler.runs == 7
    for k in range(3):
        np.copy(loaded[:, k])
        _ = loaded[:, k].values
    assert counting_scheduler.runs == 7


def test_other_spellings_compute_and_data_does_not(
    files: list[str], counting_scheduler: CountingScheduler
) -> None:
    mean = xr.open_mfdataset(files, engine="scipy")["salt"].mean("time")
    assert isinstance(mean.data, da.Array)  # `.data` is the Dask array itself
    assert counting_scheduler.runs == 0
    for convert in (np.asarray, np.array, lambda x: x.to_numpy(), lambda x: float(x[0, 0])):
        before = counting_scheduler.runs
        convert(mean)
        assert counting_scheduler.runs == before + 1
    with pytest.raises(NotImplementedError):
        mean[0, 0].item()  # `.item()` does not compute Dask data: it raises
    mean.load()  # loads in place: the same object holds NumPy data from now on
    before = counting_scheduler.runs
    _ = mean.values
    assert counting_scheduler.runs == before


def test_open_dataset_without_chunks_holds_numpy(
    files: list[str], counting_scheduler: CountingScheduler
) -> None:
    source = """
        import numpy as np
        import xarray as xr

        mean = xr.open_dataset(PATH)["salt"].mean("time")
        unchunked = xr.open_dataset(PATH, chunks=None)["salt"].mean("time")
        chunked = xr.open_dataset(PATH, chunks={})["salt"].mean("time")
        for k in range(3):
            print(np.copy(mean[:, k]), unchunked[:, k].values, chunked[:, k].values)
    """
    assert _lines(source) == [9]  # only the chunked one
    plain = xr.open_dataset(files[0], engine="scipy")["salt"].mean("time")
    unchunked = xr.open_dataset(files[0], engine="scipy", chunks=None)["salt"].mean("time")
    chunked = xr.open_dataset(files[0], engine="scipy", chunks={})["salt"].mean("time")
    assert isinstance(plain.data, np.ndarray)
    assert isinstance(unchunked.data, np.ndarray)
    assert isinstance(chunked.data, da.Array)
    for k in range(3):
        np.copy(plain[:, k])
        _ = unchunked[:, k].values
    assert counting_scheduler.runs == 0  # NumPy-backed: no graph at all
    _ = chunked[:, 0].values
    assert counting_scheduler.runs == 1


def test_chunk_and_open_zarr_make_dask_data(tmp_path: Path, files: list[str]) -> None:
    pytest.importorskip("zarr", reason="open_zarr needs zarr")
    plain = xr.open_dataset(files[0], engine="scipy")
    assert isinstance(plain["salt"].chunk({"time": 1}).data, da.Array)
    store = tmp_path / "store.zarr"
    plain.to_zarr(store, mode="w", consolidated=False)
    assert isinstance(xr.open_zarr(store, consolidated=False)["salt"].data, da.Array)
    unchunked = xr.open_zarr(store, consolidated=False, chunks=None)
    assert isinstance(unchunked["salt"].data, np.ndarray)


def test_head_and_tail_compute_per_call(counting_scheduler: CountingScheduler) -> None:
    source = """
        import dask.dataframe as dd

        frame = dd.read_parquet("table")
        bounds = []
        for i in range(frame.npartitions):
            bounds.append((frame.get_partition(i).head(1), frame.get_partition(i).tail(1)))
    """
    assert _lines(source) == [7, 7]
    frame = dd.from_pandas(pd.DataFrame({"a": range(20)}), npartitions=4)
    part = frame.get_partition(1)
    assert counting_scheduler.runs == 0  # selecting a partition is lazy
    part.head(1)
    part.tail(1)
    assert counting_scheduler.runs == 2  # each peek is its own computation
    part.head(1, compute=False)
    assert counting_scheduler.runs == 2
