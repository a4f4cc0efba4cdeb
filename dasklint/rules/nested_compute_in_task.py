"""DSK310 nested-compute-in-task."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.rules._tasks import task_scheduler
from dasklint.semantic import Scheduler, SchedulerSource
from dasklint.semantic.facts import FunctionFacts
from dasklint.semantic.names import BindingKind
from dasklint.semantic.scheduler import STRING_ALIASES
from dasklint.semantic.taskcalls import TaskCall
from dasklint.semantic.tree import walk_subtree

# Calling these inside a task is the documented way to launch work from a task.
_TASK_LAUNCH = frozenset(
    {"distributed.worker_client", "distributed.secede", "distributed.rejoin",
     "distributed.get_client", "distributed.get_worker"}
)  # fmt: skip
_SEVERITY = {
    Scheduler.PROCESSES: Severity.ERROR,
    Scheduler.THREADS: Severity.WARNING,
    Scheduler.SYNC: Severity.INFO,
    Scheduler.DISTRIBUTED: Severity.INFO,
}
# Which scheduler's message speaks when one task function runs on several.
_RANK = {Scheduler.PROCESSES: 3, Scheduler.THREADS: 2, Scheduler.DISTRIBUTED: 1, Scheduler.SYNC: 0}
_WHY = {
    Scheduler.PROCESSES: (
        "on the processes scheduler the task runs in a daemonic worker process, which "
        "cannot start the inner computation's processes (dask/dask#1918)"
    ),
    Scheduler.THREADS: (
        "on the threaded scheduler each task that computes starts a new thread pool "
        "(dask/threaded.py), so threads multiply and oversubscribe the CPUs "
        "(dask/dask#3235, dask/dask#4240)"
    ),
    Scheduler.DISTRIBUTED: (
        "on the distributed scheduler it works (the worker secedes and rejoins), but one "
        "graph, or futures from `get_client()`, are clearer"
    ),
    Scheduler.SYNC: "one graph would let Dask schedule the inner work too",
}


class NestedComputeInTask(Rule):
    """
    ## What it does
    Checks for task functions (run by `dask.delayed`, `client.submit`, `client.map`,
    `map_partitions`, `map_blocks`, ..., also through `functools.partial`) that call
    `.compute()`, `.persist()`, `dask.compute` or `dask.persist` themselves, directly or
    through functions they call in the project. The finding is on the first computation
    in the task function when that function is in the same module, else on the call that
    makes the tasks.

    The severity follows the scheduler the tasks run on: error on the processes
    scheduler, warning on the threaded scheduler (and when it is unknown), info on the
    distributed scheduler. Not reported: functions that use `worker_client()`,
    `get_client()` or `secede()` (the documented way to launch tasks from tasks), and
    functions of this module whose inner computations all ask for the synchronous
    scheduler (`scheduler="sync"`, or inside `with dask.config.set(scheduler="sync"):`).

    ## Why is this bad?
    A computation started inside a task is a second graph that Dask schedules separately.
    On the threaded scheduler every such task creates its own thread pool
    (`dask/threaded.py`), so the number of threads grows with the number of running
    tasks (measured: 8 outer tasks on 2 cores raised the thread count from 3 to 11). On
    the processes scheduler the worker process is daemonic and cannot start processes.
    Building one graph lets Dask see and schedule all the work.

    ## Example
    ```python
    import dask

    def total(parts):
        return sum(dask.compute(*parts))

    parts = [dask.delayed(sum)([i, i]) for i in range(4)]
    result = dask.delayed(total)(parts).compute()
    ```

    Use instead:
    ```python
    import dask

    parts = [dask.delayed(sum)([i, i]) for i in range(4)]
    result = dask.delayed(sum)(parts).compute()
    ```

    ## Fix safety
    No fix is offered: restructuring into one graph (or futures) changes the program.

    ## References
    - [Dask: Delayed best practices](https://docs.dask.org/en/stable/delayed-best-practices.html)
    - [Dask: Futures, submit tasks from tasks](https://docs.dask.org/en/stable/futures.html#submit-tasks-from-tasks)
    - dask/dask#3235, dask/dask#4240 (thread pools per task), dask/dask#1918 (daemonic processes)
    """

    code = "DSK310"
    name = "nested-compute-in-task"
    supersedes = frozenset({"DSK307"})
    summary = "Task function runs a Dask computation of its own"
    severity = Severity.WARNING
    planned_fix = "none"

    def finish(self) -> None:
        tasks = self.model.tasks
        # One finding per inner computation: the task call whose scheduler is worst.
        found: dict[int, tuple[cst.CSTNode, tuple[str, str, str], Scheduler | None, int]] = {}
        for task in tasks.task_calls:
            facts = task.facts
            if facts is None or not tasks.summary(facts).computes:
                continue
            if any(call in _TASK_LAUNCH for call in facts.calls):
                continue
            if self._only_sync(task.callee_expr):
                continue
            scheduler = self._direct_site(task.call)
            if scheduler is None:
                scheduler = task_scheduler(self.model, task).scheduler
            why = _WHY.get(scheduler) if scheduler is not None else None
            if why is None:
                why = (
                    "on the threaded scheduler that starts a thread pool per task, and on the "
                    "processes scheduler it fails"
                )
            inner = self._inner_compute(facts)
            node: cst.CSTNode = task.callee_expr if inner is None else inner
            launched = "" if inner is None else f"it runs as a task: `{_short(task)}`"
            words = (f"`{facts.qualname}` runs a Dask computation inside a task", launched, why)
            rank = _RANK.get(scheduler, 2) if scheduler is not None else 2
            before = found.get(id(node))
            if before is None or rank > before[3]:
                found[id(node)] = (node, words, scheduler, rank)
        for node, (message, *notes), scheduler, _ in found.values():
            self.report(
                node,
                message,
                help="build one graph instead",
                notes=notes,
                severity=_SEVERITY.get(scheduler, Severity.WARNING)
                if scheduler is not None
                else Severity.WARNING,
            )

    def _inner_compute(self, facts: FunctionFacts) -> cst.Call | None:
        """The first computation written in the task function, when it is in this module:
        the finding belongs there (one per computation, however many calls run it)."""
        definition = self.model.tasks.definition(facts)
        if definition is None:
            return None
        for call in _calls(definition):
            name = self.model.qualified_name(call.func)
            if name in ("dask.compute", "dask.persist"):
                return call
            positional = any(a.keyword is None and a.star != "**" for a in call.args)
            if _is_compute(call) and isinstance(call.func, cst.Attribute) and not positional:
                return call
        return None

    def _direct_site(self, call: cst.Call) -> Scheduler | None:
        """The scheduler of ``delayed(f)(x).compute(...)`` written on the task call itself."""
        for site in self.model.compute_sites:
            func = site.call.func
            if site.is_method and isinstance(func, cst.Attribute) and func.value is call:
                return site.effective.scheduler
        return None

    def _only_sync(self, callee: cst.BaseExpression) -> bool:
        """Every computation in the (same-module) function asks for the sync scheduler."""
        if not isinstance(callee, cst.Name):
            return False
        binding = self.model.scopes.lookup(callee.value)
        if binding is None or binding.kind is not BindingKind.FUNCTION or binding.node is None:
            return False
        computes = [c for c in _calls(binding.node) if _is_compute(c)]
        # ``with dask.config.set(scheduler="sync"):`` around the computation counts too.
        configured = {
            id(site.call)
            for site in self.model.compute_sites
            if site.effective.scheduler is Scheduler.SYNC
            and site.effective.source is SchedulerSource.WITH_CONFIG
        }
        return bool(computes) and all(_sync(c) or id(c) in configured for c in computes)


def _short(task: TaskCall) -> str:
    """``client.map(f, ...)``: how the tasks are made, in short."""
    more = ", ..." if len(task.call.args) > 1 else ""
    return f"{source_of(task.call.func)}({source_of(task.callee_expr)}{more})"


def _calls(node: cst.CSTNode) -> list[cst.Call]:
    return [current for current in walk_subtree(node) if isinstance(current, cst.Call)]


def _is_compute(call: cst.Call) -> bool:
    func = call.func
    return isinstance(func, (cst.Attribute, cst.Name)) and (
        (isinstance(func, cst.Attribute) and func.attr.value in ("compute", "persist"))
        or (isinstance(func, cst.Name) and func.value in ("compute", "persist"))
    )


def _sync(call: cst.Call) -> bool:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "scheduler":
            value = arg.value
            if isinstance(value, cst.SimpleString):
                text = value.evaluated_value
                return isinstance(text, str) and STRING_ALIASES.get(text.lower()) is Scheduler.SYNC
    return False
