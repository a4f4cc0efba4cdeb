"""DSK307 delayed-inside-delayed."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.semantic.collections import creator_kind
from dasklint.semantic.facts import FunctionFacts
from dasklint.semantic.returns import returned_origins
from dasklint.semantic.summaries import Summarizer
from dasklint.semantic.task_call import DELAYED, TaskCall

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
    calls `.to_delayed()`; or whose return value is a Dask collection it builds itself
    (`return da.mean(block, axis=0)`: dask.array functions build a graph even on a NumPy
    input). The task function must be defined in the linted project.

    A `@dask.delayed` function of the linted module runs as a task wherever it is
    called, so it is checked where it is defined, once. When the task function is in the
    linted module, the finding is on the call that makes the returned lazy value (followed
    back through local names, method chains and tuples), else on its first call that
    creates Delayed objects; for a function of another module it is on the task call.
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
    fix_summary = "unsafe: remove the outer `dask.delayed` from a function that only builds tasks"

    def finish(self) -> None:
        tasks = self.model.tasks
        summarizer = tasks.summarizer()
        # A ``@dask.delayed`` function of this module runs as a task wherever it is called:
        # reported here, at what it builds, once.
        for decorated, definition in tasks.delayed_definitions():
            self._check(decorated, definition, None, summarizer)
        for task in tasks.task_calls:
            facts = task.facts
            if facts is None or any(d.name == DELAYED for d in facts.decorators):
                continue  # decorated: reported where it is defined
            self._check(facts, tasks.definition(facts), task, summarizer)

    def _check(
        self,
        facts: FunctionFacts,
        definition: cst.FunctionDef | None,
        task: TaskCall | None,
        summarizer: Summarizer,
    ) -> None:
        if any(call in _TASK_LAUNCH for call in facts.calls):
            return
        name = facts.qualname
        if definition is not None:
            returned = [c for c in returned_origins(definition) if self._lazy(c) is not None]
            if returned:
                made = self._lazy(returned[0])
                self.report(
                    returned[0],
                    f"`{name}` runs as a task but returns {made} it builds itself",
                    help="call the builder directly instead of making it a task, so that its "
                    "graph joins the caller's",
                    notes=[
                        f"`{_spelled(returned[0])}`: the task's result is an unrun graph, "
                        "which `compute` does not run"
                    ],
                )
                return
        inner = _creates_delayed(facts, summarizer)
        if inner is None:
            return
        node: cst.CSTNode | None = task.callee_expr if task is not None else None
        if definition is not None:
            calls = self.model.definition_calls.of(definition)
            node = next((c for c in calls if self._lazy(c) == _DELAYED), node)
        if node is None:
            return
        self.report(
            node,
            f"`{name}` runs as a task but creates Delayed objects itself",
            help="call the builder directly instead of making it a task",
            notes=[f"it calls {inner}: they are not scheduled with the rest of the graph"],
        )

    def _lazy(self, call: cst.Call) -> str | None:
        """What lazy value ``call`` makes: a Delayed object or a Dask collection, or None."""
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "to_delayed":
            return _DELAYED
        if isinstance(func, cst.Call) and self.model.qualified_name(func.func) == DELAYED:
            return _DELAYED
        if self.model.is_delayed_function(func) or self.model.project_delayed_function(func):
            return _DELAYED
        name = self.model.qualified_name(func)
        if name == DELAYED:
            return _DELAYED
        kind = creator_kind(name) if name is not None else None
        if kind is not None and kind.is_collection:
            return f"a Dask {kind.value}"
        return None


_DELAYED = "Delayed objects"


def _spelled(call: cst.Call) -> str:
    head = source_of(call.func)
    return f"{head}(...)"


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
