"""DSK601 unused-task-dependency."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.semantic.arguments import Slot, bind_arguments
from dasklint.semantic.taskcalls import TaskApi


class UnusedTaskDependency(Rule):
    """
    ## What it does
    Checks for a Delayed object or a Future (or a list of them) passed to a task function
    in a parameter the function never reads, including `*args` or `**kwargs` that are
    never read. The task function must be defined in the linted project (this module or
    another one), so that its body is known.

    The analysis is conservative: functions that may read their parameters without
    naming them (`locals()`, `vars()`, `eval`, `exec`, frame inspection), methods, and
    functions with decorators other than `dask.delayed` are skipped; a parameter counts
    as read when its name is read anywhere in the body, nested functions included.

    ## Why is this bad?
    Each such argument adds an edge to the graph: the task waits until the upstream task
    has finished, and on processes or a cluster the upstream result is shipped to it,
    although the function never uses it. Edges added only for ordering serialise work
    that could run in parallel. When the ordering is really wanted (a side effect that
    must happen first), `dask.graph_manipulation.bind` states it explicitly.

    ## Example
    ```python
    import time
    import dask

    def task(seconds, *upstream):
        time.sleep(seconds)

    start = dask.delayed(task)(0)
    b = dask.delayed(task)(1, start)
    c = dask.delayed(task)(1, start)
    dask.compute(b, c)
    ```

    Use instead:
    ```python
    import time
    import dask

    def task(seconds, *upstream):
        time.sleep(seconds)

    start = dask.delayed(task)(0)
    b = dask.delayed(task)(1)
    c = dask.delayed(task)(1)
    dask.compute(start, b, c)
    # or, when b must run after start: dask.graph_manipulation.bind(b, start)
    ```

    ## Fix safety
    No fix is offered yet; removing the argument is planned as an unsafe fix (it removes
    an ordering the program may rely on).

    ## References
    - [Dask: Delayed, indirect dependencies](https://docs.dask.org/en/stable/delayed.html#indirect-dependencies)
    - [Dask: graph_manipulation.bind](https://docs.dask.org/en/stable/graph_manipulation.html)
    - dask/dask#12326 (a reproducer whose tasks depend on each other only for ordering)
    """

    code = "DSK601"
    name = "unused-task-dependency"
    summary = "Delayed or Future passed to a parameter the task function never reads"
    severity = Severity.WARNING
    planned_fix = "unsafe: remove the argument"

    def finish(self) -> None:
        for task in self.model.tasks.task_calls:
            facts = task.facts
            if task.api not in (TaskApi.DELAYED, TaskApi.SUBMIT) or facts is None:
                continue
            if facts.dynamic_reads or facts.is_method:
                continue
            if any(d.name != "dask.delayed" for d in facts.decorators):
                continue
            bound = bind_arguments(task.args, facts)
            if bound is None:
                continue
            for item in bound:
                if item.param in facts.reads:
                    continue
                kind = self.model.tasks.argument_kind(task, item.arg)
                if kind is None:
                    continue
                slot = (
                    f"parameter `{item.param}`"
                    if item.slot is Slot.PARAMETER
                    else f"`{'*' if item.slot is Slot.VARARGS else '**'}{item.param}`"
                )
                self.report(
                    item.arg.value,
                    f"This {kind.value} is passed to {slot} of `{facts.qualname}`, which never "
                    "reads it: the task waits for it (and receives its result) for nothing; "
                    "drop the argument, or use `dask.graph_manipulation.bind` if only the "
                    "ordering is wanted",
                )
