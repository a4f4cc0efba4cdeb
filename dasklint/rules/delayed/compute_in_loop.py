"""DSK303 compute-in-loop."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Confidence, FixAvailability, Severity
from dasklint.fix import Fix, unsafe
from dasklint.rule import Rule
from dasklint.rules._edits import dask_name as spell_dask
from dasklint.semantic import CollectionKind, ComputeSite
from dasklint.semantic.flow import innermost_loop, repeat_reason
from dasklint.semantic.materialize import ImplicitCompute
from dasklint.semantic.scheduler import Receiver
from dasklint.semantic.streams import lazy_stream, yielding_loop
from dasklint.semantic.tree import read_names

_WHAT = {
    CollectionKind.XARRAY: "Dask-backed xarray value",
    CollectionKind.ARRAY: "Dask array",
    CollectionKind.DATAFRAME: "Dask DataFrame",
    CollectionKind.BAG: "Dask Bag",
    CollectionKind.DELAYED: "Delayed value",
}


class ComputeInLoop(Rule):
    """
    ## What it does
    Checks for `.compute()` on a Dask collection or Delayed object, and for
    `dask.compute(...)`, inside a `for` loop or a comprehension.

    It also checks for what computes without saying so: `.values`, `.load()`,
    `.to_numpy()` and the pandas conversions of an xarray object whose data are Dask
    arrays; `np.asarray`, `np.array`, `np.copy` and `float()`/`int()` of such an object,
    of a Dask array or of a Dask DataFrame; and `.head()`/`.tail()` of a Dask DataFrame
    (which compute unless given `compute=False`). xarray holds Dask arrays when the data
    are opened with `xr.open_mfdataset(...)` (always), `xr.open_dataset(...)` or
    `xr.open_dataarray(...)` with `chunks=` (not None), `xr.open_zarr(...)` (unless
    `chunks=None`), or chunked with `.chunk(...)`; selections, arithmetic, reductions and
    `groupby` keep them lazy, and `.data` is the Dask array itself. `xr.open_dataset(...)`
    without chunks and `xr.load_dataset(...)` hold NumPy arrays and are not reported, nor
    are the index coordinates (`ds.time`), which xarray keeps in memory.

    Loops whose iterations need to compute one at a time are not reported: `while`
    loops (a `while not converged:` solver), loops that `break` or `return`, loops whose
    computed value feeds the next iteration's computation (`state = step(state).compute()`,
    or through other names: the result updates `centers`, which the next iteration's lazy
    value reads), loops that drop the result and then update what the next computation
    reads (a time step computed for its effects), generators that `yield` each result
    or generator expressions handed out (returned, yielded or bound to a name: each item
    is computed when the consumer asks for it),
    loops that time each computation (a clock read before and after it), compare chunk or
    partition layouts (`chunks=` from the loop variable), compute in batches
    (`dask.compute(*items[i:i + n])`), or load one collection piece by piece into a buffer
    (`out[t] = data[t].compute()`), and loops that compute with a `scheduler=` that is not
    a constant (comparing schedulers). A computation on the processes scheduler chosen
    with `scheduler=` or `dask.config.set` is reported by DSK108
    (processes-compute-in-loop), which also explains the pool start-up, when that rule is
    enabled; otherwise by this rule.

    A `.compute()` whose receiver's type the source does not show, with no argument or
    only Dask's keywords, in a module that imports Dask, is reported at `medium`
    confidence (and without a fix). Inside a loop that yields one batch per iteration (a
    batch generator), the advice is to compute that batch's values together, not
    everything at once, which would load the whole dataset.

    ## Why is this bad?
    Each `compute()` blocks until its result is back, so the iterations run one after
    another instead of in parallel, and intermediate results they share are computed
    again in every iteration. Building all the lazy values first and computing them in one
    call lets Dask run them together and share common parts.

    ## Example
    ```python
    import dask

    def inc(x):
        return x + 1

    results = []
    for x in range(10):
        results.append(dask.delayed(inc)(x).compute())
    ```

    Use instead:
    ```python
    import dask

    def inc(x):
        return x + 1

    results = []
    for x in range(10):
        results.append(dask.delayed(inc)(x))
    results = list(dask.compute(*results))
    ```

    With xarray, each `.values` below reads all the files and averages them again:
    ```python
    import xarray as xr

    clim = xr.open_mfdataset("salinity-*.nc")["salt"].mean("time")
    levels = [clim.isel(level=k).values for k in range(40)]
    ```

    Use instead:
    ```python
    import xarray as xr

    clim = xr.open_mfdataset("salinity-*.nc")["salt"].mean("time").compute()
    levels = [clim.isel(level=k).values for k in range(40)]
    ```

    ## Fix safety
    A fix is offered for the canonical pattern only: a `for` loop (without `else:`) whose
    body appends `<expr>.compute()` to a list that the loop does not otherwise read. It
    appends `<expr>` instead and adds `lst = list(dask.compute(*lst))` after the loop. It
    is unsafe: all the results are computed together (peak memory can grow), errors are
    raised after the loop instead of in the failing iteration, and code in the loop that
    has side effects now runs before any computation.

    ## References
    - [Dask: Delayed best practices, compute on lots of computation at once](https://docs.dask.org/en/stable/delayed-best-practices.html#compute-on-lots-of-computation-at-once)
    - [Dask: Best practices, avoid calling compute repeatedly](https://docs.dask.org/en/stable/best-practices.html#avoid-calling-compute-repeatedly)
    - [xarray: Parallel computing with Dask](https://docs.xarray.dev/en/stable/user-guide/dask.html)
    - [xarray: `open_zarr`, whose `chunks` default to the store's](https://docs.xarray.dev/en/stable/generated/xarray.open_zarr.html)
    - [xarray: `DataArray.values`, the data converted to a NumPy array](https://docs.xarray.dev/en/stable/generated/xarray.DataArray.values.html)
    - [Dask: `DataFrame.head`, computed unless `compute=False`](https://docs.dask.org/en/stable/generated/dask.dataframe.DataFrame.head.html)
    """

    code = "DSK303"
    name = "compute-in-loop"
    deliberate_in_tests = True
    summary = "`compute()` inside a loop runs the iterations one after another"
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "unsafe: collect the lazy values and compute them once after the loop"

    def finish(self) -> None:
        clocks = frozenset(self.model.clock_calls)
        for site in self.model.compute_sites:
            if not site.in_loop or site.function != "compute":
                continue
            if site.receiver is Receiver.UNKNOWN:
                continue  # a ``.compute()`` of some other library
            if site.scheduler is not None and site.scheduler.setting.value is None:
                continue  # ``for sched in [...]: x.compute(scheduler=sched)``: a comparison
            loop = innermost_loop(site.path, site.call)
            if loop is None or repeat_reason(site.path, site.call, loop, clocks) is not None:
                continue
            if lazy_stream(site.path, loop):
                continue  # a generator expression handed out: one item per ``next``
            batch = yielding_loop(site.path, loop) is not None
            proven = site.receiver is Receiver.PROVEN
            self.report(
                site.call,
                "This computation runs once per loop iteration and blocks until its result is back",
                fix=self._fix(site, loop) if proven else None,
                confidence=Confidence.HIGH if proven else Confidence.MEDIUM,
                help=(
                    "compute this batch's lazy values together in one `dask.compute` call "
                    "(not all batches at once: the enclosing loop yields one batch at a time)"
                    if batch
                    else "build all the lazy values and call `dask.compute` once"
                )
                + ("" if proven else " (if the receiver is a Dask collection)"),
                notes=[
                    "the iterations run one after another and shared intermediate results are "
                    "recomputed"
                ],
            )
        for implicit in self.model.implicit_computes:
            self._implicit(implicit, clocks)

    def _implicit(self, found: ImplicitCompute, clocks: frozenset[int]) -> None:
        """``x.values``, ``np.copy(x)``, ``float(x)``, ``ddf.head()`` in a loop."""
        if not found.in_loop:
            return
        loop = innermost_loop(found.path, found.node)
        if loop is None:
            return
        if repeat_reason(found.path, found.node, loop, clocks, computed=found.value):
            return
        if lazy_stream(found.path, loop):
            return  # a generator expression handed out: one item per ``next``
        batch = yielding_loop(found.path, loop) is not None
        proven = found.receiver is Receiver.PROVEN
        what = _WHAT[found.kind] if proven else f"value (likely a {_WHAT[found.kind]})"
        self.report(
            found.node,
            f"{found.trigger} computes this {what} once per loop iteration",
            confidence=Confidence.HIGH if proven else Confidence.MEDIUM,
            help=(
                "compute this batch's lazy values together in one `dask.compute` call "
                "(not all batches at once: the enclosing loop yields one batch at a time)"
                if batch
                else "compute it once before the loop, or build the lazy values and call "
                "`dask.compute` once"
            )
            + ("" if proven else " (if the receiver is a Dask collection)"),
            notes=[
                "it blocks until its result is back, so the iterations run one after another "
                "and the reads and intermediate results they share are computed again each time"
            ],
        )

    def _fix(self, site: ComputeSite, loop: cst.CSTNode) -> Fix | None:
        call = site.call
        if not (site.is_method and not call.args and isinstance(loop, cst.For)):
            return None
        if loop.orelse is not None or not isinstance(call.func, cst.Attribute):
            return None
        table = self.model.parents.table
        arg = table.get(id(call))
        append = table.get(id(arg))
        expr = table.get(id(append))
        line = table.get(id(expr))
        if not (
            isinstance(arg, cst.Arg)
            and isinstance(append, cst.Call)
            and len(append.args) == 1
            and isinstance(append.func, cst.Attribute)
            and append.func.attr.value == "append"
            and isinstance(append.func.value, cst.Name)
            and isinstance(expr, cst.Expr)
            and isinstance(line, cst.SimpleStatementLine)
            and isinstance(loop.body, cst.IndentedBlock)
            and line in loop.body.body
        ):
            return None
        target = append.func.value.value
        uses = [n for n in read_names(loop) if n.value == target]
        if len(uses) != 1:
            return None  # the list is read elsewhere in the loop
        if not isinstance(table.get(id(loop)), (cst.IndentedBlock, cst.Module)):
            return None
        dask_name, imports = spell_dask(self.model)
        if dask_name is None:
            return None
        new_loop = loop.deep_replace(call, call.func.value)
        after = cst.parse_statement(f"{target} = list({dask_name}.compute(*{target}))\n")
        return unsafe(
            "Append the lazy values and compute them once after the loop",
            loop,
            cst.FlattenSentinel([new_loop, after]),
            "results, errors and side effects happen after the loop, all at once",
            add_imports=imports,
        )
