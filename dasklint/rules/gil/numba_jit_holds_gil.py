"""DSK502 numba-jit-holds-gil."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._tasks import task_scheduler
from dasklint.semantic import Scheduler
from dasklint.semantic.facts import FunctionFacts
from dasklint.semantic.summaries import numba_jit
from dasklint.semantic.task_call import TaskApi


class NumbaJitHoldsGil(Rule):
    """
    ## What it does
    Checks for task functions compiled with `@numba.jit` / `@numba.njit` without
    `nogil=True` (the task function itself, or a function it calls directly), when the
    tasks run on the threaded scheduler. Object-mode functions (`forceobj=True`,
    `nopython=False`), which cannot release the GIL, are not reported. When the module
    shows no compute site for the tasks, the finding is reported at info level.

    ## Why is this bad?
    Compiled code holds the GIL unless numba is told to release it, so the threaded
    scheduler runs the tasks one at a time. The Dask docs ask wrapped C code and numba
    functions to release the GIL ("Avoid Holding the GIL").

    ## Example
    ```python
    import dask
    import numba

    @numba.njit
    def total(n):
        s = 0
        for i in range(n):
            s += i % 7
        return s

    dask.compute(*[dask.delayed(total)(10_000_000) for _ in range(4)])
    ```

    Use instead:
    ```python
    import dask
    import numba

    @numba.njit(nogil=True)
    def total(n):
        s = 0
        for i in range(n):
            s += i % 7
        return s

    dask.compute(*[dask.delayed(total)(10_000_000) for _ in range(4)])
    ```

    ## Fix safety
    No fix is offered yet; adding `nogil=True` is planned as an unsafe fix (the function
    must not touch Python objects, which numba's nopython mode already guarantees).

    ## References
    - [Dask: Task graph best practices, avoid holding the GIL](https://docs.dask.org/en/stable/graphs.html)
    - [Numba: nogil](https://numba.readthedocs.io/en/stable/user/jit.html#nogil)
    """

    code = "DSK502"
    name = "numba-jit-holds-gil"
    deliberate_in_tests = True
    summary = "Numba-compiled task function without nogil=True runs on the threaded scheduler"
    severity = Severity.WARNING
    fix_summary = "unsafe: add nogil=True to the numba decorator"

    def finish(self) -> None:
        reported: set[int] = set()
        for task in self.model.tasks.task_calls:
            if task.api not in (TaskApi.DELAYED, TaskApi.COLLECTION) or task.facts is None:
                continue
            jitted = self._holding_jit(task.facts)
            if jitted is None or id(jitted) in reported:
                continue
            where = task_scheduler(self.model, task)
            via = "" if jitted is task.facts else f" (through `{jitted.qualname}`)"
            message = f"`{task.facts.qualname}`{via} is compiled by numba without `nogil=True`"
            held = "it holds the GIL"
            if where.scheduler is Scheduler.THREADS:
                reported.add(id(jitted))
                self.report(
                    task.call,
                    message,
                    help="add `nogil=True` to the decorator",
                    notes=[f"{held} and its tasks run one at a time on {where.how}"],
                )
            elif not where.visible:
                reported.add(id(jitted))
                self.report(
                    task.call,
                    message,
                    severity=Severity.INFO,
                    help="add `nogil=True` to the decorator",
                    notes=[
                        held,
                        "no compute site for these tasks is visible in this module, and on the "
                        "default threaded scheduler they would run one at a time",
                    ],
                )

    def _holding_jit(self, facts: FunctionFacts) -> FunctionFacts | None:
        """The function itself or a direct callee, jitted in nopython mode without nogil."""
        candidates = [facts]
        for callee in facts.calls:
            if not callee.startswith("."):
                found = self.model.tasks.summarizer().resolve(callee, facts.module)
                if found is not None:
                    candidates.append(found)
        for candidate in candidates:
            jit = numba_jit(candidate)
            if jit is not None and not jit.nogil and not jit.object_mode:
                return candidate
        return None
