"""DSK601 unused-task-dependency."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, unsafe
from dasklint.rule import Rule
from dasklint.rules._edits import remove_args
from dasklint.semantic.arguments import BoundArgument, Slot, bind_arguments
from dasklint.semantic.task_call import TaskApi, TaskCall


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
    An unsafe fix removes the argument from the call; it is offered only where that leaves
    the function's behaviour unchanged: when the argument lands in `*args` or `**kwargs` (which the
    function never reads), or in a parameter with a default value (in a top-level `def`
    of this module) that it is passed to by keyword or as the last positional argument.
    Only a plain name (or a list or tuple of names) is removed, so no evaluation with
    side effects disappears.

    The parameter itself is never removed from the `def`, even when every call in the
    module passes something the function ignores: the function may also be called from
    other modules, tests or notebooks that the linter does not see, and removing a
    required parameter would break those calls. A parameter without a default therefore
    gets no fix; remove it by hand together with the arguments.

    The fix is unsafe because the graph changes: the task no longer waits for the
    upstream value, so an ordering the program relied on (a file written first, say)
    is lost (use `dask.graph_manipulation.bind` to keep it), and an upstream task that
    nothing else depends on and that is not computed itself no longer runs at all.

    ## References
    - [Dask: Delayed, indirect dependencies](https://docs.dask.org/en/stable/delayed.html#indirect-dependencies)
    - [Dask: graph_manipulation.bind](https://docs.dask.org/en/stable/graph_manipulation.html)
    - dask/dask#12326 (a reproducer whose tasks depend on each other only for ordering)
    """

    code = "DSK601"
    name = "unused-task-dependency"
    deliberate_in_tests = True
    summary = "Delayed or Future passed to a parameter the task function never reads"
    severity = Severity.WARNING
    fix_summary = "unsafe: remove the argument"
    fix_availability = FixAvailability.SOMETIMES

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
                    "reads it",
                    fix=self._fix(task, item, bound),
                    help="drop the argument, or use `dask.graph_manipulation.bind` if only the "
                    "ordering is wanted",
                    notes=["the task waits for it (and receives its result) for nothing"],
                )

    def _fix(self, task: TaskCall, item: BoundArgument, bound: list[BoundArgument]) -> Fix | None:
        """Remove the argument, when the function then behaves exactly as before."""
        arg = item.arg
        if not _plain(arg.value):
            return None
        if item.slot is Slot.PARAMETER:
            positional = [b.arg for b in bound if b.arg.keyword is None]
            last = bool(positional) and positional[-1] is arg
            if not (arg.keyword is not None or last):
                return None  # the positional arguments after it would shift
            if not self._has_default(task, item.param):
                return None
        caveat = (
            "the task no longer waits for it, and an upstream task that nothing else "
            "computes no longer runs"
        )
        return unsafe("Remove the argument", task.call, remove_args(task.call, [arg]), caveat)

    def _has_default(self, task: TaskCall, param: str) -> bool:
        """``param`` has a default value in the top-level ``def`` of this module."""
        facts, here = task.facts, self.model.tasks.facts
        if facts is None or here is None or facts.module != here.name or "." in facts.qualname:
            return False
        for statement in self.module.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value == facts.qualname:
                params = statement.params
                every = [*params.posonly_params, *params.params, *params.kwonly_params]
                found = [p for p in every if p.name.value == param]
                return bool(found) and found[0].default is not None
        return False


def _plain(expr: cst.BaseExpression) -> bool:
    """A name, or a list or tuple display of names: removing it evaluates nothing less."""
    if isinstance(expr, cst.Name):
        return True
    if isinstance(expr, (cst.List, cst.Tuple)):
        return all(
            isinstance(e.value, cst.Name) and not isinstance(e, cst.StarredElement)
            for e in expr.elements
        )
    return False
