"""DSK310 nested-compute-in-task."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Confidence, Severity
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.rules._tasks import task_scheduler
from dasklint.semantic import Scheduler, SchedulerSource
from dasklint.semantic.arguments import Slot, bind_arguments
from dasklint.semantic.facts import FunctionFacts
from dasklint.semantic.names import BindingKind
from dasklint.semantic.scheduler import STRING_ALIASES
from dasklint.semantic.task_call import TaskApi, TaskCall

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

    A function run by `client.submit` or `client.map` that calls `.load()` (xarray's
    in-place compute) on one of its parameters is reported too: the client hands Dask
    collections to the task as they are, unmaterialised (`dask.delayed` computes them
    first), so the load runs the argument's whole graph inside the task. High confidence
    when the argument is a proven Dask collection, medium when it is unknown but the
    module imports xarray; not reported otherwise.

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
    fix_summary = "none"

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
        self._loaded_arguments(set(found))
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

    def _loaded_arguments(self, taken: set[int]) -> None:
        """``client.submit(f, ds)`` where ``f`` calls ``ds.load()``: submit hands Dask
        collections to the task unmaterialised (``tests/runtime/test_gil_nested.py``), so
        the load computes the whole graph inside the task. Reported at medium confidence
        when the argument is only likely Dask-backed (the module imports xarray)."""
        tasks = self.model.tasks
        xarray = tasks.facts is not None and any(
            name == "xarray" or name.startswith("xarray.") for _, name in tasks.facts.imports
        )
        for task in tasks.task_calls:
            facts = task.facts
            if facts is None or task.api not in (TaskApi.SUBMIT, TaskApi.CLIENT_MAP):
                continue
            if not facts.loaded_params or any(call in _TASK_LAUNCH for call in facts.calls):
                continue
            bound = bind_arguments(task.args, facts)
            for argument in bound or []:
                if argument.param not in facts.loaded_params or argument.slot is not Slot.PARAMETER:
                    continue
                value = argument.arg.value
                if task.api is TaskApi.CLIENT_MAP:
                    proven = self.model.tasks.argument_kind(task, argument.arg) is not None
                else:
                    kind = self.model.collection_kind(value)
                    proven = kind is not None and kind.is_collection
                if not (proven or xarray):
                    continue
                inner = self._inner_load(facts, argument.param)
                node: cst.CSTNode = task.callee_expr if inner is None else inner
                if id(node) in taken:
                    continue
                self.report(
                    node,
                    f"`{facts.qualname}` calls `{argument.param}.load()` inside a task",
                    help="compute or persist it on the client (or pass futures) instead",
                    notes=[
                        f"it runs as a task: `{_short(task)}`",
                        "the client hands Dask-backed arguments to the task unmaterialised, "
                        "so the whole graph is shipped with the task and computed inside it",
                    ],
                    severity=_SEVERITY[Scheduler.DISTRIBUTED],
                    confidence=Confidence.HIGH if proven else Confidence.MEDIUM,
                )
                taken.add(id(node))  # one finding per load
                break

    def _inner_load(self, facts: FunctionFacts, param: str) -> cst.Call | None:
        """The ``param.load()`` written in the task function, when it is in this module."""
        definition = self.model.tasks.definition(facts)
        if definition is None:
            return None
        for call in self.model.definition_calls.of(definition):
            func = call.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value == "load"
                and isinstance(func.value, cst.Name)
                and func.value.value == param
                and not call.args
            ):
                return call
        return None

    def _inner_compute(self, facts: FunctionFacts) -> cst.Call | None:
        """The first computation written in the task function, when it is in this module:
        the finding belongs there (one per computation, however many calls run it)."""
        definition = self.model.tasks.definition(facts)
        if definition is None:
            return None
        for call in self.model.definition_calls.of(definition):
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
        computes = [c for c in self.model.definition_calls.of(binding.node) if _is_compute(c)]
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
