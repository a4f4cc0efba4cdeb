"""DSK305 task-mutates-input."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.semantic.arguments import bind_arguments
from dasklint.semantic.effects import Mutation
from dasklint.semantic.facts import FunctionFacts
from dasklint.semantic.task_call import TaskApi, TaskCall

_APIS = (TaskApi.DELAYED, TaskApi.SUBMIT, TaskApi.CLIENT_MAP)
_IMMUTABLE_LITERALS = (
    cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
    cst.FormattedString, cst.Tuple,
)  # fmt: skip


class TaskMutatesInput(Rule):
    """
    ## What it does
    Checks for task functions (run by `dask.delayed`, a `@dask.delayed` decorator,
    `client.submit` or `client.map`) that change an object they receive as an argument:
    `x.append(...)` and the other in-place methods of lists, dicts, sets and arrays
    (`extend`, `insert`, `update`, `pop`, `remove`, `sort`, `clear`, `setdefault`,
    `fill`, `resize`, ...), item or attribute assignment (`x[i] = ...`, `x.attr = ...`,
    `del x[i]`), augmented assignment (`x += ...`, in place for lists and arrays),
    `inplace=True` and `out=x`. The task function must be defined in the linted project.

    Not reported: parameters the function rebinds anywhere in its body (`x = x.copy()`
    first is the documented remedy), `x += ...` when an annotation or a default shows an
    immutable type (`int`, `float`, `str`, `tuple`, ...) or the call passes a number,
    string or tuple literal, mutations inside nested functions, and functions run per
    partition or block (`map_partitions`, `map_blocks`, ...), whose inputs are produced
    for each call.

    ## Why is this bad?
    The same input object can be handed to several tasks, and it is the caller's object
    too: a task that changes it changes what other tasks (and the rest of the program)
    see, depending on the order in which tasks happen to run. Tasks may also run more
    than once (after a worker failure, or when a result is recomputed), and a task whose
    input was already changed by its first run computes something else the second time.
    Dask's best practices ask task functions not to mutate their inputs.

    ## Example
    ```python
    import dask

    @dask.delayed
    def add_one(values):
        values.append(1)
        return values

    result = add_one([1, 2, 3]).compute()
    ```

    Use instead:
    ```python
    import dask

    @dask.delayed
    def add_one(values):
        return [*values, 1]

    result = add_one([1, 2, 3]).compute()
    ```

    ## Fix safety
    No fix is offered: copying the input first (`x = copy.copy(x)`) costs memory and
    time, and whether a shallow copy suffices depends on the data.

    ## References
    - [Dask: Delayed best practices, don't mutate inputs](https://docs.dask.org/en/stable/delayed-best-practices.html#don-t-mutate-inputs)
    - [Dask: Graphs, don't modify data in-place](https://docs.dask.org/en/stable/graphs.html)
    - [Dask: Limitations (tasks may be rerun)](https://docs.dask.org/en/stable/limitations.html)
    """

    code = "DSK305"
    name = "task-mutates-input"
    summary = "Task function changes an object it receives as an argument"
    severity = Severity.WARNING
    fix_summary = "none"

    def finish(self) -> None:
        tasks = self.model.tasks
        current = tasks.facts.name if tasks.facts is not None else None
        for task in tasks.task_calls:
            facts = task.facts
            if task.api not in _APIS or facts is None or not facts.effects.parameters:
                continue
            mutation = _first_relevant(task, facts)
            if mutation is None:
                continue
            if facts.module != current:
                where = f"line {mutation.line} of `{facts.module}`"
            else:  # this module's line: in a notebook, its cell and row
                where = self.context.origin.line_name(mutation.line)
            self.report(
                task.callee_expr,
                f"`{facts.qualname}` changes its argument `{mutation.name}` in place",
                help=f"build a new value or copy `{mutation.name}` first",
                notes=[
                    f"`{mutation.spelled}`, {where}",
                    "the object may be shared with other tasks and the caller, and a task may "
                    "run more than once",
                ],
            )


def _first_relevant(task: TaskCall, facts: FunctionFacts) -> Mutation | None:
    """The first mutation of a parameter that this call passes a possibly mutable value."""
    literal: set[str] = set()
    passed: set[str] | None = None
    if task.api is not TaskApi.CLIENT_MAP:
        bound = bind_arguments(task.args, facts)
        if bound is not None:
            passed = {item.param for item in bound}
            literal = {
                item.param for item in bound if isinstance(item.arg.value, _IMMUTABLE_LITERALS)
            }
    for mutation in facts.effects.parameters:
        if passed is not None and mutation.name not in passed:
            continue  # the parameter keeps its default: not an input of this call
        if mutation.augmented and mutation.name in literal:
            continue
        return mutation
    return None
