"""DSK602 whole-collection-dependency."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.semantic.arguments import Slot, bind_arguments
from dasklint.semantic.task_call import TaskApi


class WholeCollectionDependency(Rule):
    """
    ## What it does
    Checks for a task created in a loop that receives a whole list of Delayed objects
    (or Futures) together with the loop variable, when the task function only ever reads
    that list as `parts[i]` with the loop variable's parameter. The task function must
    be defined in the linted project.

    ## Why is this bad?
    Each task then depends on every element of the list: N tasks have N x N edges, and
    none of them can start before the slowest element is done (a barrier). On processes
    or a cluster every element is shipped to every task. Passing the one element the
    task needs keeps the tasks independent.

    ## Example
    ```python
    import dask

    def load(i):
        return list(range(i))

    def first(parts, i):
        return parts[i][:1]

    parts = [dask.delayed(load)(i) for i in range(100)]
    out = [dask.delayed(first)(parts, i) for i in range(len(parts))]
    dask.compute(*out)
    ```

    Use instead:
    ```python
    import dask

    def load(i):
        return list(range(i))

    def first(part):
        return part[:1]

    parts = [dask.delayed(load)(i) for i in range(100)]
    out = [dask.delayed(first)(p) for p in parts]
    dask.compute(*out)
    ```

    ## Fix safety
    No fix is offered.

    ## References
    - [Dask: Delayed best practices](https://docs.dask.org/en/stable/delayed-best-practices.html)
    - [Dask: Scheduling (data transfer between processes)](https://docs.dask.org/en/stable/scheduling.html)
    """

    code = "DSK602"
    name = "whole-collection-dependency"
    deliberate_in_tests = True
    summary = "Each task receives the whole list of earlier results but reads one element"
    severity = Severity.WARNING
    fix_summary = "none"

    def finish(self) -> None:
        for task in self.model.tasks.task_calls:
            facts = task.facts
            if (
                task.api not in (TaskApi.DELAYED, TaskApi.SUBMIT)
                or facts is None
                or not task.loops.in_loop
                or facts.dynamic_reads
            ):
                continue
            bound = bind_arguments(task.args, facts)
            if bound is None:
                continue
            loop_params = {
                item.param
                for item in bound
                if isinstance(item.arg.value, cst.Name)
                and item.arg.value.value in task.loops.targets
                and item.slot is Slot.PARAMETER
            }
            for item in bound:
                kind = self.model.tasks.argument_kind(task, item.arg)
                if kind is None or not kind.is_list or item.slot is not Slot.PARAMETER:
                    continue
                indices = facts.subscripts(item.param)
                if indices and indices <= loop_params:
                    self.report(
                        item.arg.value,
                        f"Every task receives the whole {kind.value} but `{facts.qualname}` "
                        f"only reads `{item.param}[...]`",
                        help="pass the one element instead",
                        notes=[
                            "it reads only the element at the loop index: each task waits for "
                            "all of them (a barrier, N x N edges)"
                        ],
                    )
