"""The DataFrame and Array rules' claims (DSK801-DSK807, DSK901) hold with the installed Dask.

Each test runs the pattern with real Dask at a small size, on the synchronous scheduler
or a counting scheduler function, and also lints the same code so that the runtime fact
stays tied to the rule that states it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dask
import dask.array as da
import dask.dataframe as dd
import pandas as pd
import pytest
from programs import CountingScheduler, selected_findings

pytestmark = pytest.mark.dask_runtime


def _messages(source: str, code: str) -> list[str]:
    return [d.text for d in selected_findings(source, code)]


def _frame(partitions: int = 4) -> Any:
    pdf = pd.DataFrame({"a": range(20), "b": range(20)})
    return dd.from_pandas(pdf, npartitions=partitions)


def _counted_frame(calls: list[int]) -> Any:
    """A Dask DataFrame whose partitions record each time they are computed."""

    def tag(part: Any) -> Any:
        calls.append(1)
        return part

    return _frame().map_partitions(tag, meta=_frame()._meta)


def test_discarded_persist_computes_and_throws_the_result_away() -> None:
    source = """
        import dask.dataframe as dd
        import pandas as pd

        ddf = dd.from_pandas(pd.DataFrame({"a": range(20)}), npartitions=4)
        ddf.persist()
        print(ddf.a.sum().compute())
    """
    assert _messages(source, "DSK803")
    calls: list[int] = []
    ddf = _counted_frame(calls)
    graph_before = dict(ddf.__dask_graph__())
    with dask.config.set(scheduler="sync"):
        ddf.persist()  # the pattern DSK803 reports
        assert len(calls) == 4  # every partition was computed ...
        assert dict(ddf.__dask_graph__()).keys() == graph_before.keys()  # ... and dropped
        assert type(ddf.expr).__name__ == "MapPartitions"  # still the lazy expression
        ddf.a.sum().compute()
        assert len(calls) == 8  # so the next use computes everything again

        calls.clear()
        kept = ddf.persist()  # the fixed spelling
        kept.a.sum().compute()
    assert len(calls) == 4  # computed once; the computation reuses the persisted data
    assert type(kept.expr).__name__ == "FromGraph"


def test_len_computes_every_time(counting_scheduler: CountingScheduler) -> None:
    source = """
        import dask.dataframe as dd

        ddf = dd.read_csv("data-*.csv")
        for column in ["a", "b"]:
            print(len(ddf[ddf[column] > 0]))
    """
    assert _messages(source, "DSK801")
    ddf = _frame()
    assert len(ddf[ddf.a > 3]) == 16
    assert counting_scheduler.runs == 1  # `len` ran a computation
    assert len(ddf.index) == 20
    assert counting_scheduler.runs == 2  # and does so every time, nothing is shared
    assert len(ddf.columns) == 2
    assert counting_scheduler.runs == 2  # the columns are known without computing
    counts = dask.compute(*[ddf[ddf[c] > 3].shape[0] for c in ("a", "b")])
    assert counts == (16, 16)
    assert counting_scheduler.runs == 3  # the suggested spelling: one computation for all counts


def test_iteration(counting_scheduler: CountingScheduler) -> None:
    source = """
        import dask.dataframe as dd

        ddf = dd.read_csv("data-*.csv")
        for _, row in ddf.iterrows():
            print(row.a)
        for value in ddf["a"]:
            print(value)
        for column in ddf:
            print(column)
    """
    messages = _messages(source, "DSK807")
    assert len(messages) == 2  # iterrows and the Series; not the column names
    ddf = _frame(partitions=4)
    assert [column for column in ddf] == ["a", "b"]  # like pandas: the column names
    assert counting_scheduler.runs == 0  # and nothing is computed
    assert dict(ddf.items()).keys() == {"a", "b"}
    assert counting_scheduler.runs == 0  # `items` yields lazy columns
    rows = sum(1 for _ in ddf.iterrows())
    assert rows == 20
    assert counting_scheduler.runs == 4  # one computation per partition
    values = [value for value in ddf["a"]]
    assert values == list(range(20))
    assert counting_scheduler.runs == 8  # a Series too


def test_missing_meta_makes_dask_guess() -> None:
    source = """
        import dask.dataframe as dd

        ddf = dd.read_csv("data-*.csv")
        ddf["c"] = ddf.apply(lambda row: row.a + row.b, axis=1)
        ddf["d"] = ddf.a.map(lambda value: value + 1)
        ddf["e"] = ddf.map_partitions(lambda part: part.a + 1)
    """
    messages = _messages(source, "DSK802")
    assert len(messages) == 2 and "once per row" in messages[0] and "meta=" in messages[1]
    ddf = _frame()

    def warned(build: Callable[[], Any]) -> list[str]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            build()
        return [str(w.message) for w in caught]

    assert any(
        "You did not provide metadata" in m
        for m in warned(lambda: ddf.apply(lambda row: row.a + row.b, axis=1))
    )
    assert any("You did not provide metadata" in m for m in warned(lambda: ddf.a.map(str)))
    assert not warned(lambda: ddf.map_partitions(lambda part: part.a + 1))
    assert not warned(lambda: ddf.apply(lambda row: row.a, axis=1, meta=("a", "i8")))


def test_persist_stops_projection_pushdown(tmp_path: Path) -> None:
    source = """
        import dask.dataframe as dd

        ddf = dd.read_parquet("data/")
        ddf = ddf.persist()
        print(ddf["a"].sum().compute())
    """
    assert _messages(source, "DSK804")
    path = tmp_path / "data.parquet"
    pd.DataFrame({"a": range(20), "b": range(20)}).to_parquet(path)
    ddf = dd.read_parquet(path)

    def readers(frame: Any) -> list[tuple[str, Any]]:
        plan = frame["a"].sum().optimize(fuse=False).expr
        return [(type(e).__name__, getattr(e, "columns", None)) for e in plan.walk()]

    lazy = readers(ddf)
    assert any(name.startswith("ReadParquet") and cols == ["a"] for name, cols in lazy)
    with dask.config.set(scheduler="sync"):
        persisted = readers(ddf.persist())
    assert not any(name.startswith("ReadParquet") for name, _ in persisted)
    assert any(name == "FromGraph" for name, _ in persisted)  # all columns were loaded


def test_tiny_chunks_make_one_task_per_chunk() -> None:
    source = """
        import dask.array as da

        x = da.ones((1_000, 1_000), chunks=(10, 10))
    """
    messages = _messages(source, "DSK901")
    assert len(messages) == 1 and "10,000 chunks of 800 B" in messages[0]
    x = da.ones((1_000, 1_000), chunks=(10, 10))
    assert x.npartitions == 10_000  # the count the rule computes statically
    assert x.nbytes // x.npartitions == 800  # float64 chunks of 10 x 10
    assert len(x.sum().__dask_graph__()) > 10_000  # at least one task per chunk
    auto = da.ones((1_000, 1_000), chunks="auto")  # the unsafe fix
    assert auto.npartitions == 1  # 8 MB fits in one chunk of the 128 MiB target
    assert dask.config.get("array.chunk-size") == "128MiB"
    with dask.config.set(scheduler="sync"):
        assert float(auto.sum().compute()) == float(x.sum().compute()) == 1_000_000.0


def test_suggested_dataframe_readers_exist(tmp_path: Path) -> None:
    """DSK806 names `dd.read_X` only for readers `dask.dataframe` exports; for the others
    (pandas' `read_pickle`) it suggests `dd.from_map`, which reads one file per partition."""
    from dasklint.semantic.frames import DASK_DATAFRAME_READERS

    exported = {name for name in dir(dd) if name.startswith("read_")}
    assert exported == DASK_DATAFRAME_READERS
    source = """
        import dask.dataframe as dd
        import pandas as pd

        a = dd.from_pandas(pd.read_pickle("x.pkl"), npartitions=2)
        b = dd.from_pandas(pd.read_csv("x.csv"), npartitions=2)
    """
    pickled, csv = _messages(source, "DSK806")
    assert "dd.from_map(pd.read_pickle, paths)" in pickled and "dd.read_pickle" not in pickled
    assert "dd.read_csv(...)" in csv
    paths = []
    for i in range(2):
        pd.DataFrame({"a": [i, i + 1]}).to_pickle(tmp_path / f"{i}.pkl")
        paths.append(str(tmp_path / f"{i}.pkl"))
    frame = dd.from_map(pd.read_pickle, paths)
    assert frame.npartitions == 2
    with dask.config.set(scheduler="sync"):
        assert frame["a"].sum().compute() == 4
