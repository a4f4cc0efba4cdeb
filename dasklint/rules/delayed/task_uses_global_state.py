"""DSK306 task-uses-global-state."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.semantic.processlocal import global_change


class TaskUsesGlobalState(Rule):
    """
    ## What it does
    Checks for task functions (run by `dask.delayed`, a `@dask.delayed` decorator,
    `client.submit`, `client.map`, `map_partitions`, `map_blocks`, ...) that change state
    outside the task: a name declared `global` or `nonlocal` and assigned, or a
    module-level variable changed in place (`RESULTS.append(x)`, `CACHE[key] = x`,
    `COUNTS.update(...)`). The task function must be defined in the linted project.

    Not reported: module-level values that are only read (constants, configuration,
    loggers), changes made inside a `with` block whose context manager mentions a lock
    (`with CACHE_LOCK:`), changes to imported modules' attributes, and changes to
    variables of an enclosing function that are not declared `nonlocal`.

    ## Why is this bad?
    A task runs wherever the scheduler puts it. With the processes scheduler or a
    distributed cluster it runs in another process, which changes its own copy of the
    global: the program that built the graph never sees the change (with the processes
    scheduler, a list appended to by four tasks is still empty afterwards). With threads
    the change is visible, but the tasks run concurrently and in no fixed order. Dask
    assumes task functions are pure: return the values and combine them with another
    task or after `compute`.

    ## Example
    ```python
    import dask

    results = []

    @dask.delayed
    def record(x):
        results.append(x * 2)

    dask.compute(*[record(i) for i in range(4)])
    ```

    Use instead:
    ```python
    import dask

    @dask.delayed
    def double(x):
        return x * 2

    results = list(dask.compute(*[double(i) for i in range(4)]))
    ```

    ## Fix safety
    No fix is offered: returning the values instead changes the program's structure.

    ## References
    - [Dask: Delayed best practices, avoid global state](https://docs.dask.org/en/stable/delayed-best-practices.html#avoid-global-state)
    - [Dask: Client, pure functions by default](https://distributed.dask.org/en/stable/client.html#pure-functions-by-default)
    """

    code = "DSK306"
    name = "task-uses-global-state"
    deliberate_in_tests = True
    summary = "Task function changes global state, which is lost when tasks run elsewhere"
    severity = Severity.WARNING
    fix_summary = "none"

    def finish(self) -> None:
        tasks = self.model.tasks
        current = tasks.facts
        for task in tasks.task_calls:
            facts = task.facts
            if facts is None:
                continue
            module = current if current is not None and current.name == facts.module else None
            if module is None:
                module = tasks.index.modules.get(facts.module)
            variables = module.variables if module is not None else frozenset()
            found = global_change(facts, variables)
            if found is None:
                continue
            mutation, declared = found
            if current is None or facts.module != current.name:
                where = f"line {mutation.line} of `{facts.module}`"
            else:  # this module's line: in a notebook, its cell and row
                where = self.context.origin.line_name(mutation.line)
            what = (
                f"assigns the {declared} name `{mutation.name}`"
                if declared
                else f"changes the module-level `{mutation.name}`"
            )
            self.report(
                task.callee_expr,
                f"`{facts.qualname}` {what}",
                help="return the value instead",
                notes=[
                    f"`{mutation.spelled}`, {where}",
                    "with the processes scheduler or a cluster the task changes a copy in its "
                    "worker process and the change is lost, and with threads tasks change it "
                    "concurrently",
                ],
            )
