"""DSK703 large-arg-to-many-submits."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleOption
from dasklint.rules._common import source_of
from dasklint.semantic.futures import ClientCall, client_call
from dasklint.semantic.largevalues import LargeValue, large_value, rebound_in
from dasklint.semantic.names import BindingKind
from dasklint.semantic.parents import ParentLinks
from dasklint.semantic.task_call import SUBMIT_KEYWORDS


class LargeArgToManySubmits(Rule):
    """
    ## What it does
    Checks for `client.submit(...)` or `client.map(...)` inside a loop or comprehension
    that passes, in every iteration, the same large concrete value bound to a name before
    the loop: a NumPy array or pandas object, the contents of a file (`np.load`,
    `pd.read_csv`, `f.read()`, ...), a byte string, or a list, set or dict built by a
    comprehension (the values DSK309 looks for in `dask.delayed` calls).

    It is a warning when the value comes from a file or the source writes a size of at
    least `min-elements` elements, and information when the size is unknown; a value of a
    known smaller size, a name the loop rebinds, and a loop of one iteration are not
    reported.

    ## Why is this bad?
    Every `submit` call sends its arguments to the scheduler and on to a worker, and
    with the default `pure=True` also hashes them to name the task, so a value passed to
    every call is serialized, hashed and moved once per task. Scattering it once with
    `client.scatter` leaves one copy on the cluster, and the tasks receive a small future
    instead. Measured here (distributed 2026.8.0, a `LocalCluster` of 2 worker processes),
    20 `submit` calls passing one 40 MB array took 13-16 s and warned "Sending large graph
    of size 38.15 MiB"; scattering the array once and passing the future took 0.4-1.3 s.

    ## Example
    ```python
    import pandas as pd
    from dask.distributed import Client

    def fit(frame, seed):
        return len(frame) + seed

    client = Client()
    frame = pd.read_csv("train.csv")
    futures = [client.submit(fit, frame, seed) for seed in range(100)]
    ```

    Use instead:
    ```python
    import pandas as pd
    from dask.distributed import Client

    def fit(frame, seed):
        return len(frame) + seed

    client = Client()
    frame = client.scatter(pd.read_csv("train.csv"))
    futures = [client.submit(fit, frame, seed) for seed in range(100)]
    ```

    ## Fix safety
    No fix is offered. `client.scatter` is not a drop-in wrapper: it splits lists,
    tuples, sets and dicts into one future per element (so `scatter` of a dict returned
    by a reader is no longer one argument), it needs a new name or a change of the
    existing binding, and tasks that change their input would then share one copy.

    ## Options
    - `min-elements` (int, default `1000000`): a value whose size the source writes is
      reported from this many elements (bytes for byte strings) on, as a warning.

    ## References
    - [Dask: Futures, move data (`scatter`)](https://docs.dask.org/en/stable/futures.html#move-data)
    - [Dask: Best practices, load data with Dask](https://docs.dask.org/en/stable/best-practices.html#load-data-with-dask)
    """

    code = "DSK703"
    name = "large-arg-to-many-submits"
    deliberate_in_tests = True
    summary = "The same large local value is sent with every task submitted in a loop"
    severity = Severity.WARNING
    fix_summary = "none (scatter the value once before the loop)"

    options = (
        RuleOption(
            "min-elements",
            1_000_000,
            "A value whose size the source writes is reported from this many elements on.",
        ),
    )

    def leave_Call(self, original_node: cst.Call) -> None:
        found = client_call(self.model, original_node)
        if found is None or found.method not in ("submit", "map"):
            return
        context = self.model.tasks.loop_context()
        if not context.loops or (context.iterations is not None and context.iterations < 2):
            return
        outer = context.loops[0].node
        minimum = self.option("min-elements")
        assert isinstance(minimum, int)
        for arg in original_node.args:
            if arg.value is found.callee or arg.star:
                continue
            if arg.keyword is not None and arg.keyword.value in SUBMIT_KEYWORDS:
                continue
            value = arg.value
            if not isinstance(value, cst.Name) or value.value in context.targets:
                continue
            binding = self.model.scopes.lookup(value.value)
            if binding is None or binding.kind is not BindingKind.VALUE or binding.value is None:
                continue
            if self.model.tasks.lazy_kind(value) is not None:
                continue  # a future or a lazy value: only a reference is sent
            large = large_value(self.model, binding.value)
            if large is None or (large.size is not None and large.size < minimum):
                continue
            if _inside(self.model.parents, binding.node, outer) or rebound_in(outer, value.value):
                continue  # a different value in each iteration
            certain = large.from_file or (large.size is not None and large.size >= minimum)
            message, note = self._message(found, value.value, large)
            self.report(
                value,
                message,
                severity=None if certain else Severity.INFO,
                help=f"scatter it once before the loop (`{source_of(found.receiver)}.scatter("
                f"{value.value})`) and pass the future",
                notes=[note],
            )
            return

    def _message(self, found: ClientCall, name: str, large: LargeValue) -> tuple[str, str]:
        """The short message and the note on what is sent."""
        pure = found.keyword("pure")
        constant = self.model.constant(pure.value) if pure is not None else None
        hashed = constant is None or constant.value is not False
        work = "serialized, hashed for the task key" if hashed else "serialized"
        size = f", {large.size:,} elements" if large.size is not None else ""
        return (
            f"`{name}` is sent again with every task this loop submits",
            f"`{name}` ({large.what}{size}) is {work} and sent again with every task",
        )


def _inside(links: ParentLinks, node: cst.CSTNode | None, outer: cst.CSTNode) -> bool:
    return node is not None and links.inside(node, outer)
