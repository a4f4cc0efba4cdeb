"""DSK501 gil-bound-task-on-threads."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from dasklint.diagnostics import Confidence, FixAvailability, Severity
from dasklint.fix import Fix
from dasklint.rule import Rule, RuleOption
from dasklint.rules._local_cluster import (
    THREADED_ONE_COMPUTATION,
    cluster_serves_several,
    small_graph_once,
    threaded_cluster_fix,
    threaded_processes_fix,
)
from dasklint.rules._process_move import cost_refusal, single_task, site_tasks, state_refusal
from dasklint.rules._tasks import task_scheduler
from dasklint.semantic import ComputeSite, Scheduler, SchedulerSource
from dasklint.semantic.summaries import Summary
from dasklint.semantic.task_call import TaskApi, TaskCall
from dasklint.semantic.trivial import trivial_callee


class GilBoundTaskOnThreads(Rule):
    """
    ## What it does
    Checks for task functions that spend their time in interpreted Python (loops,
    comprehensions or recursion over Python objects) and call nothing that releases the
    GIL, when the tasks run on the threaded scheduler: the default for `delayed`,
    dask.array and dask.dataframe when no `Client` exists, or `scheduler="threads"`.
    Row-wise `DataFrame.apply(..., axis=1)` and `map_partitions` with such functions are
    included.

    The task function is followed through the functions it calls, in this module and in
    the other modules of the linted project. A function is not reported when it (or a
    callee) calls numpy, pandas, scipy, scikit-learn, numba with `nogil=True`, file or
    network I/O, `time.sleep`, subprocesses or any other entry of the GIL-releasing table
    (`dasklint.semantic.gil.GIL_RELEASING`, extended with the `gil-releasing` option), or
    anything whose cost is unknown (a method of an object of unknown type). Loops over a
    handful of literal items do not count.

    A row-wise `apply` of a lambda is judged by the project function the lambda calls;
    when that function's calls are of unknown cost, the finding has medium confidence. A
    delayed function handed to a project function that calls it (a hand-written tree
    reduction, `pairwise(dask.delayed(merge), items)`) makes its tasks there.

    Tasks that draw arrays from NumPy's global random generator (`np.random.normal(...,
    size=n)` and the other module-level draws) and otherwise only run one-pass NumPy
    functions (`np.mean`, `np.sum`, ...) are reported too, at medium confidence: every
    such draw holds the global generator's one lock, so threads draw one at a time. The
    advice is a generator per task (`np.random.default_rng(seed)`); no fix is offered.

    Not reported: a single task (one `delayed` call outside any loop, or a helper that
    calls the delayed function once), since nothing runs beside it; and computations on
    one thread (`num_workers=1`, on the call or in `with dask.config.set(...)`).
    `visualize` does not run tasks and does not count as a computation. Tasks computed by
    several computations are reported once, at the call that makes them.

    When the module shows no compute site for the tasks (library code that returns
    them), the scheduler is the caller's choice: the finding is reported at info level
    and says so.

    ## Why is this bad?
    Python code holds the GIL, so threads run it one at a time: the threaded scheduler
    runs such tasks no faster than one thread (measured with four 0.6 s pure-Python tasks
    on 2 cores: threads 2.45 s, serial 2.69 s, LocalCluster with 2 single-threaded worker
    processes 1.37 s). The Dask docs recommend processes (the distributed scheduler on a
    local machine) for code dominated by Python objects. NumPy's module-level random
    functions share one generator whose lock a second thread waits for
    (`tests/runtime/test_gil_nested.py`); generators made per task have their own.

    ## Example
    ```python
    import dask

    @dask.delayed
    def score(words):
        n = 0
        for w in words:
            for ch in w:
                n += ord(ch) % 7
        return n

    chunks = [["spam", "eggs"], ["ham"]] * 4
    dask.compute(*[score(c) for c in chunks])
    ```

    Use instead:
    ```python
    import dask
    from dask.distributed import Client, LocalCluster

    @dask.delayed
    def score(words):
        n = 0
        for w in words:
            for ch in w:
                n += ord(ch) % 7
        return n

    if __name__ == "__main__":
        chunks = [["spam", "eggs"], ["ham"]] * 4
        with LocalCluster(threads_per_worker=1) as cluster, Client(cluster):
            dask.compute(*[score(c) for c in chunks])
    ```

    ## Fix safety
    In a script (the module has an `if __name__ == "__main__":` block, or the computation
    is at module level), an unsafe fix runs the computation on single-threaded worker
    processes: the computing region, from the statement with the compute call (or the
    outermost loop around it) to the end of its block, is wrapped in
    `with LocalCluster(threads_per_worker=1) as cluster, Client(cluster):` (with
    `n_workers=N` when the call passes `num_workers=N`, or an integer `workers=N` that the
    threaded scheduler ignored; without it, LocalCluster starts one worker per core),
    `scheduler="threads"`, the thread-pool arguments and the keywords only a Client reads
    (`workers=`, `retries=`..., see DSK109) are removed,
    `from dask.distributed import Client, LocalCluster` is added when missing, and a
    module-level region moves under a new `__main__` guard. It is the LocalCluster codemod
    of DSK101.

    The codemod is offered only when the one cluster it starts serves several
    computations: a computation runs in a loop or comprehension inside the region it
    wraps, or that region holds more than one computation on the threaded scheduler (the
    test DSK101 uses, `cluster_serves_several`). A computation run once in the program,
    or once per call of its function (the region, and so the cluster, is then inside the
    function), keeps its finding with no fix, and a note gives the measured start-up:
    threads start no process, while one computation of 4 trivial tasks took 8.1 to 9.7 s
    on a LocalCluster, start-up included (`tests/runtime/test_cluster_startup.py`,
    2026-12-05, 2-core VM at a load average of 11 to 15), which only tasks that hold the
    GIL for longer than that in all earn back, and the source does not show how long they
    run. `benchmarks/impact/real/tutorial_config_processes.py` (its last computation,
    `twins`, at module level) got the codemod for one computation before.

    It is unsafe because the program runs differently, although the computed values are
    the same: the tasks, their arguments and their results must be picklable; the cluster
    takes seconds to start (above); tasks run in long-lived worker processes with memory
    limits, so state that only lives in this process (globals changed at run time, open
    files, locks) is not shared with them and their side effects happen in the workers.

    The cluster's start-up is paid once per run, so for a graph of at most 100 tasks
    known from the source (a comprehension over `range(k)` or a literal list, directly or
    through a name bound to one), computed once (not in a loop) at a call that a
    `__main__` guard already protects, the fix is instead
    `scheduler="processes", chunksize=1` on the compute call (replacing
    `scheduler="threads"`): each task runs in a worker process of the process pool, which
    starts with the computation and costs less than a cluster. It is unsafe for the same
    reasons (picklable tasks, arguments and results; side effects in other processes), and
    each worker process imports the module. The impact benchmark's four tasks of about a
    second each (`benchmarks/impact/cpu_bound_threads.py`) get this fix; its row is below.
    An earlier version of that program, four tasks of about 0.15 s each, was slower with
    the LocalCluster codemod (0.71x), which is why a small graph no longer gets it.

    What the tasks are known to do decides whether either fix is offered
    (`dasklint/rules/_process_move.py`); when it is not, the finding stays and its message
    says why and what to do instead:

    - **State kept in this process** (`dasklint/semantic/processlocal.py`): a task
      function, or a project function it calls, draws from the global random state
      (`random.random()`, `numpy.random.normal()` and the other module-level functions of
      `random` and `numpy.random`, unless the function seeds that generator itself), draws
      from a generator created at module level (`rng = numpy.random.default_rng(0)`),
      uses a file opened at module level, or changes module globals (`global` names,
      `RESULTS.append(...)`, `CACHE[key] = ...`). In worker processes each task draws from
      a copy of the same state: 100 Monte Carlo tasks using `from random import random`
      returned 1 distinct count instead of about 80, and with a module-level
      `random.seed(...)`, which every worker process runs again when it imports the
      script, 45 (`tests/runtime/test_process_moves.py`). The message asks to seed each
      task: pass it its own seed and draw from `numpy.random.default_rng(seed)` (or
      `random.Random(seed)`) created inside the task.
    - **Results that grow with the work**: a task function returns (alone or in a tuple)
      a list, set or dict it builds in its loops (a comprehension, or `out = []` filled in
      a loop), directly or through the function whose result it returns. Its results are
      pickled in the workers and unpickled in this process one after another, which cost
      0.7 to 2.6 times what building them took (1,000,000 items: a list of floats 0.7x, a
      dict of strings 0.9x, a list of 3-item lists 2.6x; Python 3.11, 2026-12-05); with
      W workers a move pays only below 1 - 1/W (0.5 on 2 cores). Five tasks returning
      1,000,000 such rows each ran 3.4x and 4.1x slower with
      `scheduler="processes", chunksize=1` than on threads (2-core VM under a load of
      11-12, so the ratio, not the times, is the point).
    - **A single task**: a computation of one task known from the source has nothing to
      run side by side.

    No fix is offered in library code (a function in a module without a `__main__`
    guard): a library must not start a cluster on each call, and which scheduler runs its
    tasks is its caller's choice. Nor is it offered when a `with dask.config.set(...)`
    chooses the threaded scheduler (it would still win inside the new block), for
    `persist` and `visualize` (their results would outlive the cluster), for calls with
    `**kwargs`, or when `Client` or `LocalCluster` already names something else.

    ## Options
    - `gil-releasing` (list of str, default `[]`): more qualified-name prefixes of calls
      that release the GIL (your own C extensions, e.g. `"mypkg._native"`).

    ## References
    - [Dask: Scheduling, local threads](https://docs.dask.org/en/stable/scheduling.html#local-threads)
    - [Dask: Best practices, processes and threads](https://docs.dask.org/en/stable/best-practices.html#processes-and-threads)
    - [Dask: Task graph best practices, avoid holding the GIL](https://docs.dask.org/en/stable/graphs.html)
    - [Dask distributed: Efficiency](https://distributed.dask.org/en/stable/efficiency.html)
    """

    code = "DSK501"
    name = "gil-bound-task-on-threads"
    deliberate_in_tests = True
    summary = "Pure-Python task function runs on the threaded scheduler and holds the GIL"
    severity = Severity.WARNING
    fix_summary = (
        "unsafe: run the computations on a LocalCluster of single-threaded processes where "
        'one cluster serves several of them (a small graph computed once: `scheduler="processes", '
        "chunksize=1`)"
    )
    fix_availability = FixAvailability.SOMETIMES
    options = (
        RuleOption(
            "gil-releasing",
            [],
            "More qualified-name prefixes of calls that release the GIL.",
        ),
    )

    def finish(self) -> None:
        extra = self.option("gil-releasing")
        assert isinstance(extra, list)
        # One finding per computation, at its compute call, naming every GIL-bound task
        # function it runs (a comprehension of delayed calls is one problem, not one per
        # call). Tasks computed by several computations are one problem too: reported once,
        # where they are made.
        by_site: dict[int, tuple[ComputeSite, list[_Bound]]] = {}
        for task in self.model.tasks.task_calls:
            if task.api not in (TaskApi.DELAYED, TaskApi.COLLECTION, TaskApi.PASSED):
                continue
            bound = self._python_bound(task, tuple(extra))
            if bound is None:
                continue
            where = task_scheduler(self.model, task)
            sites = self._threaded_sites(task) if where.scheduler is Scheduler.THREADS else []
            if len(sites) == 1:
                by_site.setdefault(id(sites[0].call), (sites[0], []))[1].append(bound)
            elif sites:
                if not _single(task):
                    self._report(
                        task.call, [bound], where.how, self.model.tasks.sites_for(task), [task]
                    )
            elif where.scheduler is Scheduler.THREADS and not self._one_thread_only(task):
                self._report(
                    task.call, [bound], where.how, self.model.tasks.sites_for(task), [task]
                )
            elif not where.visible:
                self.report(
                    task.call,
                    "These tasks hold the GIL; no compute site for them is visible here",
                    severity=Severity.INFO,
                    confidence=bound.confidence,
                    help=self._advice(bound),
                    notes=[
                        bound.what,
                        "no compute site for these tasks is visible in this module, so if the "
                        "caller runs them on the default threaded scheduler they will not run "
                        "in parallel",
                    ],
                )

        for site, bounds in by_site.values():
            if len(bounds) == 1 and _single(bounds[0].task):
                continue  # one task: nothing runs beside it, so the GIL costs nothing
            how = task_scheduler(self.model, bounds[0].task).how
            tasks = site_tasks(self.model, [site])
            self._report(site.call, bounds, how, [site], tasks)

    def _report(
        self,
        node: cst.CSTNode,
        bounds: list[_Bound],
        how: str,
        sites: list[ComputeSite],
        tasks: list[TaskCall],
    ) -> None:
        """One finding at ``node`` for the GIL-bound ``bounds``; ``sites`` and ``tasks``
        decide whether moving the work to processes is offered."""
        whats = list(dict.fromkeys(b.what for b in bounds))
        locked = all(b.locked for b in bounds)
        turns = (
            "threads take turns drawing from it (no parallel speed-up)"
            if locked
            else "threads take turns holding the GIL (no parallel speed-up)"
        )
        message = (
            f"Tasks share NumPy's global generator on {how}"
            if locked
            else f"Tasks that hold the GIL run on {how}"
        )
        confidence = min((b.confidence for b in bounds), key=_RANK.__getitem__)
        refusal = None if locked else self._refusal(sites, tasks)
        fix, once = (None, None) if locked or refusal else self._fix(bounds[0].task)
        help = refusal or self._advice(bounds[0])
        if once is not None:
            help = (
                "move the loop into numpy/numba(nogil=True), or start one "
                "`distributed.LocalCluster(threads_per_worker=1)` for all of the program's "
                "computations of such tasks"
            )
        self.report(
            node,
            message,
            fix=fix,
            confidence=confidence,
            help=help,
            notes=[*whats, turns, *([f"no fix is offered: {once}"] if once else [])],
        )

    def _advice(self, bound: _Bound) -> str:
        if bound.locked:
            return (
                "give each task a generator of its own (`np.random.default_rng(seed)`), "
                "whose draws run in parallel on threads"
            )
        if any(
            small_graph_once(self.model, self.module, site)
            for site in self.model.tasks.sites_for(bound.task)
        ):
            return (
                'run these few tasks in worker processes (`scheduler="processes", '
                "chunksize=1`: quicker to start than a `distributed.LocalCluster`), or "
                "move the loop into numpy/numba(nogil=True)"
            )
        return (
            "use a `distributed.LocalCluster(processes=True, threads_per_worker=1)` "
            "client (its start-up pays off only when the tasks run for several "
            "seconds in all), or move the loop into numpy/numba(nogil=True)"
        )

    def _refusal(self, sites: list[ComputeSite], tasks: list[TaskCall]) -> str | None:
        """Why no fix moves these tasks to worker processes, with what to do instead;
        None when the move is offered (:mod:`dasklint.rules._process_move`)."""
        found = state_refusal(self.model, tasks)
        if found is not None:
            return f"{found}, then run them on a `distributed.LocalCluster`"
        found = cost_refusal(self.model, tasks)
        if found is None and single_task(sites):
            found = (
                "this computation runs a single task, which worker processes cannot run any faster"
            )
        if found is not None:
            return f"{found}; move the loop into numpy/numba(nogil=True) instead"
        return None

    def _threaded_sites(self, task: TaskCall) -> list[ComputeSite]:
        """The compute sites that run ``task`` on more than one thread of the threaded
        scheduler (a default one only when no Client or cluster exists when it runs)."""
        return [
            site
            for site in self.model.tasks.sites_for(task)
            if site.function in _RUNS
            and site.effective.scheduler is Scheduler.THREADS
            and site.num_workers != 1
            and not (
                site.effective.source is SchedulerSource.COLLECTION_DEFAULT
                and self.model.cluster_runs_before(site)
            )
        ]

    def _one_thread_only(self, task: TaskCall) -> bool:
        """Every compute site of ``task`` asks for a single thread (``num_workers=1``)."""
        sites = [s for s in self.model.tasks.sites_for(task) if s.function in _RUNS]
        return bool(sites) and all(site.num_workers == 1 for site in sites)

    def _fix(self, task: TaskCall) -> tuple[Fix | None, str | None]:
        """At the first threaded compute site of these tasks: worker processes of the
        processes scheduler for a known-small graph computed once, else the LocalCluster
        codemod where its one cluster serves several computations. The second item says
        why a codemod that would serve one computation is not offered."""
        once = None
        for site in self.model.tasks.sites_for(task):
            if site.effective.scheduler is not Scheduler.THREADS:
                continue
            fix = threaded_processes_fix(self.model, self.module, site)
            if fix is not None:
                return fix, None
            fix = threaded_cluster_fix(self.model, self.module, site)
            if fix is None:
                continue
            if cluster_serves_several(self.model, self.module, [site], scheduler=Scheduler.THREADS):
                return fix, None
            once = THREADED_ONE_COMPUTATION
        return None, once

    def _python_bound(self, task: TaskCall, extra: tuple[str, ...]) -> _Bound | None:
        """Why the task function runs as interpreted Python (or waits on NumPy's global
        random generator), or None."""
        if task.facts is not None:
            summary: Summary = self.model.tasks.summary(task.facts, extra)
            name = task.facts.qualname
            if summary.gil_bound:
                return _Bound(
                    task, f"`{name}` loops in pure Python and calls nothing that releases the GIL"
                )
            if summary.locked_random:
                return _Bound(
                    task,
                    f"`{name}` spends its time drawing from NumPy's global random generator "
                    "(`np.random.*`), whose lock lets one thread draw at a time",
                    Confidence.MEDIUM,
                    locked=True,
                )
            if task.row_wise:
                return _per_row(task, f"`{name}`", summary)
            return None
        if task.row_wise and trivial_callee(self.model, task, 1) is not None:
            return _Bound(task, "the lambda runs once per row, in Python")
        if task.row_wise and task.lambda_callee is not None:
            summary = self.model.tasks.summary(task.lambda_callee, extra)
            return _per_row(task, f"the lambda (calling `{task.lambda_callee.qualname}`)", summary)
        return None


@dataclass(frozen=True, slots=True)
class _Bound:
    """A task call whose tasks cannot run side by side on threads, and why."""

    task: TaskCall
    what: str
    confidence: Confidence = Confidence.HIGH
    locked: bool = False  # waits on NumPy's global random generator, not on the GIL


# Compute sites that run the tasks (``visualize`` and ``optimize`` only draw or rewrite).
_RUNS = frozenset({"compute", "persist"})
_RANK = {Confidence.HIGH: 2, Confidence.MEDIUM: 1, Confidence.LOW: 0}


def _per_row(task: TaskCall, name: str, summary: Summary) -> _Bound | None:
    """A row-wise ``apply``: pandas calls the function once per row from a Python loop, so
    unless the function does GIL-releasing work the tasks hold the GIL. Calls of unknown
    cost may release it: likely, not proven."""
    if summary.releases_gil or summary.numba is not None:
        return None
    what = f"{name} runs once per row, in Python"
    if summary.unknown_calls:
        return _Bound(
            task, f"{what} (none of its calls is known to release the GIL)", Confidence.MEDIUM
        )
    return _Bound(task, what)


def _single(task: TaskCall) -> bool:
    """One ``delayed`` call, outside any loop (or a function that calls the delayed
    function it is given once, without looping or recursing): a single task."""
    if task.loops.in_loop:
        return False
    if task.api is TaskApi.PASSED and task.through is not None:
        return not (task.through.loops or task.through.recursive)
    return task.api is TaskApi.DELAYED
