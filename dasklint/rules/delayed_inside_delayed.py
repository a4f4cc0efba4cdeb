"""DSK307 delayed-inside-delayed."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.semantic.facts import FunctionFacts
from dasklint.semantic.summaries import Summarizer
from dasklint.semantic.taskcalls import DELAYED

# Calling these inside a task is the documented way to launch work from a task.
_TASK_LAUNCH = frozenset(
    {"distributed.worker_client", "distributed.secede", "distributed.rejoin",
     "distributed.get_client"}
)  # fmt: skip


class DelayedInsideDelayed(Rule):
    """
    ## What it does
    Checks for task functions (run by `dask.delayed`, a `@dask.delayed` decorator,
    `client.submit`, `map_partitions`, ...) whose body creates Delayed objects: calls
    `dask.delayed`, calls a function of the project decorated with `@dask.delayed`, or
    calls `.to_delayed()`. The task function must be defined in the linted project.
    Functions that use `worker_client()`, `get_client()` or `secede()` (the documented way
    to launch tasks from a task on a cluster) are not reported.

    ## Why is this bad?
    The outer task runs only when the graph is computed, and what it returns is a
    structure of Delayed objects that have not run: either the caller gets Delayed
    objects back from `compute`, or the inner graph is computed inside the task, where
    Dask cannot schedule it together with the rest (dask/dask#10733 reports the lost
    concurrency). A function that only builds tasks is fast; call it directly, without
    `dask.delayed`, and compute the graph it returns.

    ## Example
    ```python
    import dask

    def inc(x):
        return x + 1

    @dask.delayed
    def process_all(values):
        return [dask.delayed(inc)(v) for v in values]

    result = process_all([1, 2, 3]).compute()
    ```

    Use instead:
    ```python
    import dask

    def inc(x):
        return x + 1

    def process_all(values):
        return [dask.delayed(inc)(v) for v in values]

    result = dask.compute(*process_all([1, 2, 3]))
    ```

    ## Fix safety
    No fix is offered yet; removing the outer `dask.delayed` is planned as an unsafe fix
    for builders whose body only creates and returns Delayed objects (the caller then
    receives Delayed objects directly and must compute them).

    ## References
    - [Dask: Delayed best practices, avoid calling delayed within delayed functions](https://docs.dask.org/en/stable/delayed-best-practices.html#avoid-calling-delayed-within-delayed-functions)
    - [Dask: Launch tasks from tasks](https://docs.dask.org/en/stable/futures.html#submit-tasks-from-tasks)
    - dask/dask#5751 (maintainer's answer), dask/dask#10733 (concurrency lost)
    """

    code = "DSK307"
    name = "delayed-inside-delayed"
    summary = "Task function creates Delayed objects of its own"
    severity = Severity.WARNING
    planned_fix = "unsafe: remove the outer `dask.delayed` from a function that only builds tasks"

    def finish(self) -> None:
        tasks = self.model.tasks
        summarizer = tasks.summarizer()
        for task in tasks.task_calls:
            facts = task.facts
            if facts is None or any(call in _TASK_LAUNCH for call in facts.calls):
                continue
            inner = _creates_delayed(facts, summarizer)
            if inner is None:
                continue
            self.report(
                task.callee_expr,
                f"`{facts.qualname}` runs as a task but creates Delayed objects itself",
                help="call the builder directly instead of making it a task",
                notes=[f"it calls {inner}: they are not scheduled with the rest of the graph"],
            )


def _creates_delayed(facts: FunctionFacts, summarizer: Summarizer) -> str | None:
    """How ``facts`` creates Delayed objects (``dask.delayed(...)``), or None."""
    for call in facts.calls:
        if call == DELAYED:
            return "`dask.delayed(...)`"
        if call == ".to_delayed":
            return "`.to_delayed()`"
        if call.startswith("."):
            continue
        callee = summarizer.resolve(call, facts.module)
        if (
            callee is not None
            and callee is not facts
            and any(d.name == DELAYED for d in callee.decorators)
        ):
            return f"`{callee.qualname}(...)`, a `@dask.delayed` function"
    return None
