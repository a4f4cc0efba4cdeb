"""DSK704 discarded-future."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, unsafe
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.rules.futures._futures import imported_name
from dasklint.semantic.futures import FIRE_AND_FORGET, client_call
from dasklint.semantic.lazy import Lazy


class DiscardedFuture(Rule):
    """
    ## What it does
    Checks for a statement that calls `client.submit(...)`, `client.map(...)` or
    `client.compute(...)` and drops the futures it returns.
    `client.compute(..., sync=True)` returns values, not futures, and is not reported.

    In notebooks (and files exported from them), an expression statement at the top
    level of a cell is not reported: it may be the cell's displayed value, which IPython
    keeps in its output history.

    ## Why is this bad?
    Dask only computes and keeps results that a future refers to. A future that nobody
    holds is released as soon as the statement ends, and the scheduler forgets the task:
    if it has not started yet, it never runs. Verified with distributed 2026.8.0: a
    discarded `client.submit(write, path)` queued behind another task never wrote its
    file, and its key was gone from the scheduler, while the same call wrapped in
    `fire_and_forget` ran. A task that has already started keeps running, but its result
    is dropped. Whether the work happens therefore depends on timing.

    ## Example
    ```python
    from dask.distributed import Client

    def write(path):
        with open(path, "w") as f:
            f.write("done")

    client = Client()
    client.submit(write, "out.txt")
    ```

    Use instead:
    ```python
    from dask.distributed import Client, fire_and_forget

    def write(path):
        with open(path, "w") as f:
            f.write("done")

    client = Client()
    fire_and_forget(client.submit(write, "out.txt"))
    ```

    ## Fix safety
    The fix wraps the call in `distributed.fire_and_forget(...)` (importing it when the
    name is free). It is unsafe: the task then always runs to completion, also after the
    function returns and after this client disconnects, and nothing waits for it or
    reports its errors. Keeping the future and calling `wait` or `.result()` is the
    alternative when the code needs the work to be done before it goes on. It is offered
    wherever the finding is reported (an expression statement that is a Client's `submit`,
    `map` or `compute` returning futures), except when the name `fire_and_forget` is
    bound to something other than distributed's.

    ## References
    - [Dask: Futures, fire and forget](https://docs.dask.org/en/stable/futures.html#fire-and-forget)
    - [Dask: Futures, references, cancellation, and exceptions](https://docs.dask.org/en/stable/futures.html#references-cancellation-and-exceptions)
    """

    code = "DSK704"
    name = "discarded-future"
    summary = "Future discarded right after submitting: Dask may cancel the task"
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "unsafe: wrap the call in `fire_and_forget`"

    def visit_Expr(self, node: cst.Expr) -> None:
        call = node.value
        if not isinstance(call, cst.Call):
            return
        found = client_call(self.model, call)
        if found is None or found.method not in ("submit", "map", "compute"):
            return
        if found.returns is None:
            return  # ``compute(..., sync=True)``: values, not futures
        # parent(1) is the ``Expr`` itself, parent(2) its line.
        if self.context.interactive and isinstance(self.model.parent(3), cst.Module):
            return  # perhaps the cell's displayed value
        plural = found.returns is Lazy.FUTURE_LIST
        what, verb, them = ("futures", "are", "them") if plural else ("future", "is", "it")
        tasks = "its tasks" if plural else "its task"
        self.report(
            call,
            f"The {what} returned by `{source_of(found.receiver)}.{found.method}(...)` {verb} "
            "discarded",
            fix=self._fix(call),
            help=f"keep the {what} and wait for {them}, or pass {them} to `fire_and_forget`",
            notes=[f"Dask releases tasks that no future refers to, so {tasks} may never run"],
        )

    def _fix(self, call: cst.Call) -> Fix | None:
        name, imports = imported_name(self.model, "fire_and_forget", FIRE_AND_FORGET)
        if name is None:
            return None
        wrapped = cst.Call(func=cst.Name(name), args=[cst.Arg(call)])
        return unsafe(
            f"Wrap the call in `{name}(...)` so the task runs although nothing holds it",
            call,
            wrapped,
            "the task then runs to the end, also after this client disconnects, and nothing "
            "reports its errors",
            add_imports=imports,
        )
