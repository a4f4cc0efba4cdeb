"""DSK806 load-data-client-side."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleOption
from dasklint.rules._common import source_of
from dasklint.semantic.frames import ClientSideSource, client_side_source
from dasklint.semantic.largevalues import large_value
from dasklint.semantic.task_call import TaskApi, recognise

_FROM_PANDAS = "dask.dataframe.from_pandas"
_FROM_ARRAY = frozenset(
    {"dask.array.from_array", "dask.array.asarray", "dask.dataframe.from_array"}
)
_DELAYED = "dask.delayed"


class LoadDataClientSide(Rule):
    """
    ## What it does
    Checks for data loaded or created in the client process with pandas or NumPy and then
    handed to Dask:

    - `dd.from_pandas(pd.read_csv(...))` (any `pd.read_*`, also through a name bound to
      one);
    - `da.from_array(...)` of `np.load`/`np.loadtxt`/`np.genfromtxt`/`np.fromfile`, of a
      NumPy creator (`np.ones`, `np.random.random`, ...), or of `np.asarray(f["x"])`;
      a creator whose shape the source writes is reported only from `min-elements`
      elements on (`np.zeros((4, 4))` in a test is small enough to embed);
    - `dask.delayed(pd.read_csv(path))`, which reads the file now and wraps the result;
    - a file read with pandas, NumPy or pyarrow passed as an argument of a `delayed` call,
      `client.submit` or `client.map`, written there or through a name bound to it.

    ## Why is this bad?
    Data made on the client is embedded in the task graph: Dask has to hold it in the
    client, send it to the scheduler and the workers (again for every task that uses
    it), and a large object can make the scheduler run out of memory. The whole file is
    also read up front, by one thread. Loading with Dask (`dd.read_csv`,
    `da.from_array(h5py_dataset)`, `dask.delayed(pd.read_csv)(path)`) reads in parallel,
    in the tasks, and the graph only passes references around.

    ## Example
    ```python
    import dask.dataframe as dd
    import pandas as pd

    ddf = dd.from_pandas(pd.read_csv("big.csv"), npartitions=8)
    ```

    Use instead:
    ```python
    import dask.dataframe as dd

    ddf = dd.read_csv("big.csv")
    ```

    ## Fix safety
    No fix is offered: `dd.read_csv` partitions by bytes rather than by a partition count
    and infers dtypes from a sample, and a NumPy loader may have no lazy counterpart, so
    the rewrite needs the author's review.

    ## Options
    - `min-elements` (int, default `1000000`): a NumPy creator whose shape the source
      writes is reported from this many elements on.

    ## References
    - [Dask: Best practices, load data with Dask](https://docs.dask.org/en/stable/best-practices.html#load-data-with-dask)
    - [Dask: Delayed best practices, avoid repeatedly putting large inputs into delayed calls](https://docs.dask.org/en/stable/delayed-best-practices.html#avoid-repeatedly-putting-large-inputs-into-delayed-calls)
    """

    code = "DSK806"
    name = "load-data-client-side"
    supersedes = frozenset({"DSK309"})
    deliberate_in_tests = True
    summary = "Data loaded with pandas/NumPy on the client is embedded in the Dask graph"
    severity = Severity.WARNING
    fix_summary = "none"
    options = (
        RuleOption(
            "min-elements",
            1_000_000,
            "A NumPy creator whose shape the source writes is reported from this many elements on.",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        name = self.model.qualified_name(node.func)
        if name == _FROM_PANDAS:
            self._from_pandas(node)
        elif name in _FROM_ARRAY:
            self._from_array(node, name)
        elif name == _DELAYED:
            self._delayed_value(node)
        else:
            self._task_arguments(node)

    def _first(self, call: cst.Call, keyword: str) -> cst.BaseExpression | None:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                return arg.value
        positional = [a for a in call.args if a.keyword is None]
        if positional and not positional[0].star:
            return positional[0].value
        return None

    def _from_pandas(self, call: cst.Call) -> None:
        data = self._first(call, "data")
        source = client_side_source(self.model, data) if data is not None else None
        if data is None or source is None or not (source.is_pandas and source.is_reader):
            return
        counterpart = source.dask_counterpart
        advice = (
            f"read it with Dask: `{counterpart}(...)`"
            if counterpart is not None
            else f"read the files in tasks: `dd.from_map({source_of(source.call.func)}, paths)`"
        )
        self.report(
            data,
            f"{_made(source, data)} reads the whole file in the client",
            help=advice,
            notes=["`dd.from_pandas` then embeds the data in the graph"],
        )

    def _from_array(self, call: cst.Call, name: str) -> None:
        data = self._first(call, "arr" if name == "dask.dataframe.from_array" else "x")
        source = client_side_source(self.model, data) if data is not None else None
        if data is None or source is None or source.is_pandas:
            return
        if self._small(source):
            return
        function = source.function
        if source.dask_counterpart is not None:
            advice = f"create it in the tasks with `{source.dask_counterpart}(...)`"
            what = "builds the whole array in the client"
        elif function.startswith("numpy.as") or function == "numpy.array":
            advice = "pass the dataset itself to `da.from_array`, which reads it chunk by chunk"
            what = "reads the whole dataset into the client"
        else:
            advice = (
                "let Dask read it (`da.from_array` of a memory-mapped, h5py or zarr array, "
                "or `dask.delayed` loaders with `da.from_delayed`)"
            )
            what = "reads the whole file into the client"
        self.report(
            data,
            f"{_made(source, data)} {what}",
            help=advice,
            notes=["the array is then embedded in the graph"],
        )

    def _small(self, source: ClientSideSource) -> bool:
        """A NumPy creator whose written shape has fewer elements than the option."""
        if source.is_reader or source.dask_counterpart is None:
            return False
        value = large_value(self.model, source.call)
        minimum = self.option("min-elements")
        assert isinstance(minimum, int)
        return value is not None and value.size is not None and value.size < minimum

    def _delayed_value(self, call: cst.Call) -> None:
        positional = [a for a in call.args if a.keyword is None]
        if len(positional) != 1 or positional[0].star:
            return
        inner = positional[0].value
        if not isinstance(inner, cst.Call):
            return
        source = client_side_source(self.model, inner)
        if source is None or not source.is_reader:
            return
        reader = source_of(inner.func)
        self.report(
            inner,
            f"`{reader}(...)` reads the file now, in the client",
            help=f"let the task read it: `dask.delayed({reader})(...)`",
            notes=[
                "`dask.delayed` only wraps the loaded data, which is then embedded in the graph"
            ],
        )

    def _task_arguments(self, call: cst.Call) -> None:
        recognised = recognise(self.model, call)
        if recognised is None or recognised[0] is TaskApi.COLLECTION:
            return
        for arg in recognised[2]:
            if arg.star:
                continue
            source = client_side_source(self.model, arg.value)
            if source is None or not source.is_reader:
                continue
            self.report(
                arg.value,
                f"{_made(source, arg.value)} reads the file in the client",
                help=f"load it in a task with `dask.delayed({source_of(source.call.func)})(...)` "
                "and pass that instead",
                notes=[
                    "the data is embedded in the graph and shipped with every task that uses it"
                ],
            )


def _made(source: ClientSideSource, expr: cst.BaseExpression) -> str:
    """```pd.read_csv(...)``` or ```data`` (from `pd.read_csv(...)`)``."""
    shown = f"`{source_of(source.call.func)}(...)`"
    return f"`{source_of(expr)}` (from {shown})" if source.via_name else shown
