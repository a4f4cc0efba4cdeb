"""DSK101 processes-scheduler."""

from __future__ import annotations

import math

import libcst as cst

from dasklint.diagnostics import Applicability, Confidence, FixAvailability, Severity
from dasklint.fix import Fix, safe, unsafe
from dasklint.rule import Rule, RuleContext
from dasklint.rules._common import source_of, spelled, where
from dasklint.rules._edits import (
    add_dict_entry,
    add_keyword,
    dict_argument,
    has_double_star,
    keyword,
    remove_keywords,
    set_keyword,
    without_get_import,
)
from dasklint.rules._local_cluster import (
    ONE_COMPUTATION,
    PROCESS_ONLY,
    cluster_serves_several,
    config_cluster_fix,
    has_main_guard,
    local_cluster_fix,
)
from dasklint.rules._main_guard import guard_fix, top_level_index
from dasklint.rules._process_move import (
    pool_refusal,
    site_tasks,
    state_refusal,
    waits_outside_gil,
)
from dasklint.rules.schedulers.processes_small_graph_batched import (
    ASSUMED_WORKERS,
    DEFAULT_CHUNKSIZE,
    LONG_TASKS_ONLY,
    batching_starves,
    chunksize_one,
)
from dasklint.semantic import (
    CollectionKind,
    ComputeSite,
    Scheduler,
    SchedulerSource,
    SchedulerSpec,
)
from dasklint.semantic.origin import is_main_guard
from dasklint.semantic.scheduler import SpecOrigin

# The processes pool has one worker per core by default; most machines have at least 4.
_TYPICAL_CORES = 4
_CORES_PHRASE = f" (on a machine with {_TYPICAL_CORES} or more cores, which the pool would use)"
# What the threads fix drops: the process-pool arguments, except ``num_workers``, which
# sizes the thread pool too (and ``scheduler``, which it rewrites).
PROCESS_POOL_ONLY = PROCESS_ONLY - {"scheduler", "num_workers"}
# Collections whose built-in operations run NumPy and pandas code, which releases the GIL.
_NUMPY_PANDAS = frozenset({CollectionKind.ARRAY, CollectionKind.DATAFRAME})


class ProcessesScheduler(Rule):
    """
    ## What it does
    Checks for Dask's local multiprocessing scheduler: `scheduler="processes"` (or
    `"multiprocessing"`, or `dask.multiprocessing.get`) on `dask.compute`, `dask.persist`,
    `dask.visualize`, `.compute()`, `.persist()`, and in `dask.config.set(...)` as a call, a
    context manager or a `{"scheduler": ...}` dict; also `dask.config.set(pool=<process pool>)`.
    A string constant bound to a name is followed one hop, and so are keyword dicts
    (`kw = {"scheduler": "processes"}` then `x.compute(**kw)`, also `dict(...)`, a parameter
    default, an attribute, or a parameter the module's own calls pass such a dict for) and
    instance attributes (`self.scheduler = scheduler` from an
    `__init__` default, used in another method). A loop over scheduler names
    (`for s in ["threads", "processes"]: x.compute(scheduler=s)`) is reported at medium
    confidence and without a fix: only one of its runs uses processes.

    Bags run on the processes scheduler by default. A bag computed with no `Client` or
    cluster created before it (in this module) is reported when its partitions are known
    from the source (`db.from_sequence` of a literal sequence or `range`, `db.range`,
    `db.concat`, through method chains) and the batches of 6 leave worker processes idle:
    with high confidence when that holds for two workers, with medium confidence when it
    holds on a machine of 4 or more cores (the pool's default size is the core count). A
    bag of unknown size computed in a script or notebook is reported at `info` severity
    and medium confidence; in library code (a function in a module with no `__main__`
    block, or in a module that creates a Client somewhere) it is not reported. No fix is
    offered for the bag default.

    ## Why is this bad?
    The processes scheduler sends ready tasks to its worker processes in batches of
    `chunksize`, 6 by default (`dask/multiprocessing.py`:
    `chunksize or config.get("chunksize", 6)`),
    and each batch runs its tasks one after another in a single process
    (`dask/local.py`, `fire_tasks`). A graph with six or fewer independent tasks therefore runs
    serially in one process: the classic report is dask/dask#10292, where four 3-second tasks
    finished 3 seconds apart; `fixtures/examples/four_tasks_processes.py` reproduces it and the
    test suite checks that all four tasks ran in the same worker process. The scheduler also
    ships every task's inputs and outputs through the parent process.

    The Dask maintainers recommend `distributed.LocalCluster` instead ("I recommend using
    LocalCluster for everything", dask/dask#10480); the scheduling docs call the distributed
    scheduler "often a better choice today" even on one machine.

    A string that only reaches the call as a parameter's default value is reported at
    `info` severity: the caller may choose another scheduler. Computations of bags, whose
    default is the processes scheduler and which the docs endorse for text ingestion, are also
    reported at `info`.

    A LocalCluster is not free: it takes about a second to start. For a graph whose few
    tasks are known from the source (DSK102's test), computed once in a script, the
    message asks for `chunksize=1` instead, which already gives the tasks their own
    worker processes; once `chunksize=1` is there, nothing is reported: a cluster would
    cost more time than it saves.

    ## Example
    ```python
    import dask

    def main(paths):
        tasks = [dask.delayed(len)(path) for path in paths]
        return dask.compute(*tasks, scheduler="processes")
    ```

    Use instead:
    ```python
    import dask
    from distributed import Client, LocalCluster

    def main(paths):
        tasks = [dask.delayed(len)(path) for path in paths]
        return dask.compute(*tasks)

    if __name__ == "__main__":
        with LocalCluster(threads_per_worker=1) as cluster, Client(cluster):
            main(["a.csv", "b.csv"])
    ```

    ## Fix safety
    Two fixes, one after the other:

    1. **Safe, partial**: where the compute call (or the `dask.config.set(...)` that chooses
       the scheduler) has no `chunksize`, add `chunksize=1` (`"chunksize": 1` in a dict).
       It is safe for the reasons given under DSK102: only the batching changes, every task
       runs once in a worker process with the same inputs, and the results are identical.
       The processes scheduler stays, so the diagnostic stays. Not offered when the
       program sizes the pool above two processes (`num_workers=4`, or an ignored
       `workers=4` that DSK109 renames) and the source does not show every task to be long
       (sleep, I/O, a subprocess, a nested computation): one process per task then starts
       more processes than a small machine has cores, and for four tasks of about 0.1 s
       that made a program 0.83x as fast on two cores (`benchmarks/impact/real`,
       `ignored_workers_keyword`). The next step is then offered directly: the threads
       rewrite or the codemod, under their own conditions.
    2. **Unsafe**: once `chunksize` is there, the LocalCluster codemod. In a script (the
       module has an `if __name__ == "__main__":` block, or the call is at module level), the
       computing region, from the statement with the call (or the outermost loop around it)
       to the end of its block, is wrapped in
       `with LocalCluster(n_workers=N, threads_per_worker=1) as cluster, Client(cluster):`
       (`num_workers` becomes `n_workers`; at module level the region also moves under a new
       `__main__` guard), the `scheduler=` and process-pool arguments (`num_workers`,
       `chunksize`, `pool`, `func_dumps`, `func_loads`) are removed, and
       `from dask.distributed import Client, LocalCluster` is added when missing. In library
       code (a function in a module without a `__main__` guard) only `scheduler=` (and the
       `chunksize` of step 1) is removed,
       so that the caller's Client runs it: creating a cluster there would start one per call.
       When a Client or cluster already exists before the call, only the process arguments
       are removed. `with dask.config.set(scheduler="processes"):` becomes
       `with LocalCluster(...) as cluster, Client(cluster):` in the same way. A plain
       `dask.config.set(scheduler="processes")` statement in a script is removed (a Client
       created after it overrides it anyway: `Client` sets the scheduler setting when it
       starts), and the computations it governed are wrapped as above, from the first one
       on; the fix is only offered when that one region holds all of them, and when the
       call sets nothing but the scheduler and process-pool arguments. Computations in
       other modules that the call also governed move to the threaded default.
       In every mode the keywords a Client reads and the local schedulers ignore
       (`workers=`, `retries=`, `priority=`..., see DSK109) are removed from the call, since
       they never applied (`workers=4` fails on a Client); an integer `workers=N` or
       `n_workers=N` without `num_workers` sizes the cluster instead. A `dask.config.set`
       whose computations pass such keywords gets no codemod.

    Where it would start a cluster (a script or notebook, no Client before), the codemod
    is offered only when that one cluster replaces several starts of the processes
    scheduler's pool: a computation runs in a loop or comprehension inside the region it
    wraps, or that region (or the `with dask.config.set(...)` block, or the computations a
    plain `dask.config.set` governs) holds more than one computation on the processes
    scheduler. A computation run once in the program, or once per call of its function
    (the region, and so the cluster, is then inside the function), keeps its finding with
    no fix, and the message gives the trade-off: measured with
    `tests/runtime/test_cluster_startup.py` (4 trivial tasks, 4 workers, fresh
    interpreters, median of 5; two runs on 2026-12-05, 2-core VM at a load average of 11
    to 15), one computation took 4.4 s on the pool (`chunksize=1`) and 8.1 to 9.7 s on a
    LocalCluster (imports not counted); five computations took 15.8 to 16.4 s on the pool
    and 10.5 to 10.7 s on the cluster. `benchmarks/impact/real/ignored_workers_keyword.py`
    (one computation of 4 pure-Python tasks) became 0.43x with the codemod. When that single
    computation is at module level of a script without a `__main__` guard (worker processes
    import the script again and the run crashes), the unsafe fix is the guard alone, as
    DSK201's: the module-level statements from the one holding the computation on move
    under `if __name__ == "__main__":`, the definitions among them stay above it, and the
    processes scheduler stays.

    Computations that are all known-small graphs (DSK102's test), computed once (not in a
    loop) with `chunksize=1`, get no codemod and, under a `__main__` guard, no finding:
    the safe fix already runs their tasks in parallel, and the cluster's start-up would
    make the program slower. The
    impact benchmark measured it on the classic four tasks (one slow, three fast,
    `num_workers=4`): `chunksize=1` made the program faster, the codemod made it slower
    than the original (0.67x on 2026-11-26, cluster start-up included).

    When, in that case, every task is a delayed call of a function of the project that
    only waits outside the GIL (its summary shows calls of the GIL-releasing table such as
    `time.sleep`, file or network I/O, numpy, and no interpreted loops, unknown calls or
    nested computations), the diagnostic stays a warning and the unsafe fix replaces
    `scheduler="processes"` by `scheduler="threads"` and drops the process-pool arguments
    (`chunksize`, `pool`, `func_dumps`, `func_loads`; `num_workers` sizes the thread pool
    too): threads run such tasks side by side with no process to start, which is the Dask
    docs' advice for code that releases the GIL. It is unsafe because the tasks then share
    this process: its globals, open files and GIL. The impact benchmark's four tasks
    (`benchmarks/impact/four_tasks_processes.py`, which sleep) get this fix.

    Every unsafe step is withheld, and the message says why, when a task function of
    these computations (or a project function it calls) keeps state in the process that
    runs it: it draws from the global random state of `random` or `numpy.random` without
    seeding it itself, from a generator or a file created at module level, or changes
    module globals (DSK501 lists the measured consequences; the message asks to seed each
    task). In library mode, removing the scheduler hands the tasks to the threaded
    scheduler when the caller has no Client, so it is offered only when every task is a
    delayed call of a project function known to wait outside the GIL or known to be
    trivial (a few statements of arithmetic), or when the computations are of arrays or
    dataframes with no task function of their own: a task function passed in as a
    parameter, an outside callable (`sorted`, `sum`), a bag, or a function with
    interpreted loops gets no fix, since a GIL-bound function would lose its parallelism.

    The codemod is unsafe because the program then runs differently, although the computed
    values are the same: the cluster takes about a second to start; its workers are
    long-lived processes (module-level state is initialised once per worker, not once per
    computation); they have memory limits and are restarted by their nanny near them; a
    dashboard is started when `bokeh` is installed; and in library mode, without a Client
    the default threaded scheduler runs the code. Tasks must be picklable, as with
    processes. It is not offered for `persist` and `visualize` (their results would outlive
    the cluster), for calls with `initializer=` (no LocalCluster equivalent; a worker plugin
    is needed) or `**kwargs`, for a call inside a lambda or generator expression, when
    module-level definitions would have to move under the guard, when `Client` or
    `LocalCluster` already names something else, for `dask.config.set(pool=...)`, and for a
    plain `dask.config.set(scheduler="processes")` call in library code (the setting is
    global: removing it would change every later computation of the process).

    ## References
    - [Dask: Scheduling, local processes](https://docs.dask.org/en/stable/scheduling.html)
    - dask/dask#10292, dask/dask#10480, dask/dask#11425, dask/dask#11718, dask/dask#12326
    """

    code = "DSK101"
    name = "processes-scheduler"
    supersedes = frozenset({"DSK105"})
    deliberate_in_tests = True
    summary = "The local processes scheduler runs small batches of ready tasks serially"
    severity = Severity.WARNING
    fix_summary = (
        "safe: add `chunksize=1`; unsafe: move to `distributed.LocalCluster` where one "
        "cluster serves several computations, put a single module-level computation under "
        "the `__main__` guard, or, for a few tasks that only wait outside the GIL, "
        '`scheduler="threads"`'
    )
    fix_availability = FixAvailability.SOMETIMES

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._by_spec: dict[int, list[ComputeSite]] | None = None

    def finish(self) -> None:
        bag_only = {
            id(site.call)
            for site in self.model.compute_sites
            if site.collection_kinds and all(k is CollectionKind.BAG for k in site.collection_kinds)
        }
        sites = {id(site.scheduler): site for site in self.model.compute_sites if site.scheduler}
        for spec in self.model.scheduler_specs:
            if spec.scheduler is not Scheduler.PROCESSES:
                continue
            setting = spec.setting
            site = sites.get(id(spec))
            quiet = setting.from_parameter_default or id(setting.call) in bag_only
            # A loop variable over scheduler names: processes is one of the runs.
            confidence = Confidence.MEDIUM if setting.indirect else Confidence.HIGH
            shown = f"`{spelled(setting)}`{where(spec)}"
            notes = []
            recommended = "use `distributed.LocalCluster`, as the Dask maintainers recommend"
            if not self._chunksize_given(spec, site):
                message = f"{shown} runs tasks serially in batches of 6"
                notes.append(
                    "the processes scheduler batches up to 6 ready tasks into one worker "
                    "process, where they run one after another (dask/dask#10292)"
                )
                help = recommended
                if self._cluster_costs_more(spec, site, written=False):
                    help = "pass `chunksize=1`"
                    notes.append(
                        f"{self._these_tasks(spec, site)} run once, and starting a "
                        "`distributed.LocalCluster` would cost more time than it saves"
                    )
            elif self._cluster_costs_more(spec, site, written=True):
                waiting = self._waits_outside_gil(spec, site)
                if waiting is not None:
                    refusal = self._state_refusal(spec, site)
                    self.report(
                        setting.node,
                        f"{shown} starts processes for tasks that wait outside the GIL",
                        fix=None if refusal else self._threads_fix(spec, site),
                        help='use `scheduler="threads"`: the threaded scheduler runs them '
                        "side by side without starting processes",
                        notes=[
                            f"{shown} starts a worker process for each of "
                            f"{self._these_tasks(spec, site)}, but {waiting} the GIL (sleep, "
                            "I/O, compiled code)",
                            f"no fix is offered: {refusal}" if refusal else "",
                        ],
                    )
                    continue
                if self._protected(spec, site):
                    # `chunksize=1` already spreads these few tasks over the worker
                    # processes and a cluster would cost more than it saves: nothing to change.
                    continue
                message = f"{shown} starts worker processes without a `__main__` guard"
                notes.append(
                    'it runs at module level, without an `if __name__ == "__main__":` guard: '
                    "each worker imports this script again and the computation fails"
                )
                help = "put it under the guard"
            else:
                message = f"{shown} starts a process pool for every computation"
                notes.append("the pool ships every input and output through the parent process")
                help = recommended
            fixable = not setting.from_parameter_default and not setting.indirect
            fix = self._fix(spec, site) if fixable else None
            checked = False  # the fix already went through the unsafe step's refusals
            if fix is not None and fix.applicability is Applicability.SAFE:
                # `chunksize=1` spreads the tasks over more worker processes too.
                refusal = self._state_refusal(spec, site)
                crowded = None if refusal else self._pool_refusal(spec, site)
                if refusal is not None:
                    fix = None
                    notes.append(f"no fix is offered: {refusal}")
                elif crowded is not None:
                    notes.append(f"no `chunksize=1` fix is offered: {crowded}")
                    # The step that would follow `chunksize=1`, without it: threads for
                    # tasks that wait, else a cluster where one pays.
                    if self._cluster_costs_more(spec, site, written=False):
                        help = LONG_TASKS_ONLY
                        fix = self._threads_instead(spec, site)
                        checked = True
                    else:
                        fix = self._fix(spec, site, chunksize_written=True)
            if fix is not None and fix.applicability is Applicability.UNSAFE and not checked:
                refusal = self._unsafe_refusal(spec, site)
                if refusal is not None:
                    fix = None
                    notes.append(f"no fix is offered: {refusal}")
                if refusal is ONE_COMPUTATION:
                    help = (
                        "keep the processes scheduler for a single computation; use "
                        "`distributed.LocalCluster` where the program computes several times"
                    )
                    fix = self._guard_fix(spec, site)
                    if fix is not None:
                        help = "keep the processes scheduler and put it under the guard"
            self.report(
                setting.node,
                message,
                severity=Severity.INFO if quiet else None,
                fix=fix,
                confidence=confidence,
                help=help,
                notes=notes,
            )
        for site in self.model.compute_sites:
            self._bag_default(site)
        for setting in self.model.settings:
            if setting.key != "pool" or setting.origin is SpecOrigin.COMPUTE_KEYWORD:
                continue
            pool = setting.node
            if setting.is_process_pool:
                self.report(
                    pool,
                    f"`pool={source_of(pool)}` runs local tasks in a process pool",
                    help="use `distributed.LocalCluster`, as the Dask maintainers recommend",
                    notes=["the pool ships every input and output through the parent process"],
                )

    def _bag_default(self, site: ComputeSite) -> None:
        """A bag computed on its default scheduler, the processes scheduler, when nothing
        in the module runs it elsewhere (no Client or cluster before it)."""
        effective = site.effective
        if (
            effective.source is not SchedulerSource.COLLECTION_DEFAULT
            or effective.scheduler is not Scheduler.PROCESSES
            or self.model.cluster_runs_before(site)
        ):
            return
        if site.in_function and (self.model.client_calls or self.model.cluster_calls):
            return  # the function may run under that Client, or as one of its tasks
        library = (
            site.in_function
            and not has_main_guard(self.module)
            and not self.model.origin.interactive
        )
        default = "the processes scheduler (the default of `dask.bag` when no Client exists)"
        partitions = site.bag.partitions if site.bag is not None else None
        if partitions is not None:
            workers = site.num_workers or ASSUMED_WORKERS
            used = math.ceil(partitions / DEFAULT_CHUNKSIZE)
            likely = False
            if partitions > 1 and used >= min(partitions, workers):
                # Not proven for two workers; the pool has one per core by default.
                if site.num_workers is not None or used >= min(partitions, _TYPICAL_CORES):
                    return  # enough partitions to keep the pool busy
                likely = True
            ran = "process" if used == 1 else "processes"
            items = site.bag.items if site.bag is not None else None
            made = f" of {items} items" if items is not None and items != partitions else ""
            counted = "partition" if partitions == 1 else "partitions"
            self.report(
                site.call,
                f"This bag's {partitions} {counted}{made} run serially in {used} worker {ran}",
                severity=Severity.INFO if library else None,
                confidence=Confidence.MEDIUM if library or likely else Confidence.HIGH,
                help='for light work use `scheduler="threads"`, else pass `chunksize=1` or '
                "use a `distributed.LocalCluster`",
                notes=[
                    f"they run on {default}: a pool of worker processes is started for this "
                    f"computation, and ready partitions are sent to it in batches of "
                    f"{DEFAULT_CHUNKSIZE}, so they run one after another in {used} worker "
                    f"{ran}{_CORES_PHRASE if likely else ''} (dask/dask#10292)"
                ],
            )
            return
        if library:
            return  # a caller's Client may run it, and nothing shows its size
        self.report(
            site.call,
            "This bag runs on the processes scheduler, its default when no Client exists",
            severity=Severity.INFO,
            confidence=Confidence.MEDIUM,
            help="use a `distributed.LocalCluster`: it keeps its workers between "
            "computations, as the Dask maintainers recommend",
            notes=[
                "each computation starts a pool of worker processes, ships every partition "
                "through the parent process and sends ready partitions in batches of "
                f"{DEFAULT_CHUNKSIZE}"
            ],
        )

    def _governed(self, spec: SchedulerSpec, site: ComputeSite | None) -> list[ComputeSite]:
        """The computations this scheduler setting chooses the scheduler of."""
        if site is not None:
            return [site]
        if self._by_spec is None:  # grouped once: a setting per computation stays linear
            self._by_spec = {}
            for found in self.model.compute_sites:
                if found.effective.spec is not None:
                    self._by_spec.setdefault(id(found.effective.spec), []).append(found)
        return list(self._by_spec.get(id(spec), ()))

    def _chunksize_given(self, spec: SchedulerSpec, site: ComputeSite | None) -> bool:
        """A ``chunksize`` is written where this setting is, or for its computations."""
        setting = spec.setting
        if setting.origin is SpecOrigin.COMPUTE_KEYWORD:
            return site is not None and (
                site.chunksize is not None or site.config_chunksize is not None
            )
        if keyword(setting.call, "chunksize") is not None:
            return True
        found = dict_argument(setting.call, setting.node)
        if found is not None and "chunksize" in _dict_keys(found[0]):
            return True
        governed = self._governed(spec, site)
        return bool(governed) and all(
            s.chunksize is not None or s.config_chunksize is not None for s in governed
        )

    def _cluster_costs_more(
        self, spec: SchedulerSpec, site: ComputeSite | None, *, written: bool
    ) -> bool:
        """Every computation this setting governs is a known-small graph (DSK102's test),
        runs once (not in a loop), and the codemod would start a new cluster for it (a
        script or notebook, no Client before): the cluster's start-up is then the larger
        cost. Measured with ``benchmarks/impact`` (the classic four tasks): `chunksize=1`
        made the program faster, the LocalCluster codemod slower than the original.
        ``written``: `chunksize=1` is already there (else none is)."""
        governed = self._governed(spec, site)
        return bool(governed) and all(
            batching_starves(s)
            and (not written or _chunksize_is_one(s))
            and not s.in_loop
            and self._starts_cluster(s)
            for s in governed
        )

    def _protected(self, spec: SchedulerSpec, site: ComputeSite | None) -> bool:
        """Every computation this setting governs is safe from the worker processes'
        re-import of the script: in a notebook, under a ``__main__`` guard, or in a function
        of a module that has one."""
        if self.model.origin.interactive:
            return True
        guarded = has_main_guard(self.module)
        return all(
            any(is_main_guard(a) for a in self.model.parents.ancestors(s.call))
            or (s.in_function and guarded)
            for s in self._governed(spec, site)
        )

    def _state_refusal(self, spec: SchedulerSpec, site: ComputeSite | None) -> str | None:
        """Why moving these computations' tasks out of the processes they run in would
        change the results (:func:`~dasklint.rules._process_move.state_refusal`)."""
        tasks = site_tasks(self.model, self._governed(spec, site))
        return state_refusal(self.model, tasks)

    def _pool_refusal(self, spec: SchedulerSpec, site: ComputeSite | None) -> str | None:
        """Why `chunksize=1` would not pay on the pool the program sizes
        (:func:`~dasklint.rules._process_move.pool_refusal`)."""
        governed = self._governed(spec, site)
        return pool_refusal(self.model, governed, site_tasks(self.model, governed))

    def _unsafe_refusal(self, spec: SchedulerSpec, site: ComputeSite | None) -> str | None:
        """Why the unsafe step (the LocalCluster codemod, or its library mode) is not
        offered: the tasks keep process-local state, or, in library mode, whose removal of
        the scheduler runs the tasks on threads when the caller has no Client, a task
        function is not known to wait outside the GIL."""
        refusal = self._state_refusal(spec, site)
        if refusal is not None:
            return refusal
        governed = self._governed(spec, site)
        library = any(
            s.in_function
            and not self.model.cluster_runs_before(s)
            and not has_main_guard(self.module)
            and not self.model.origin.interactive
            for s in governed
        )
        if library and not self._threads_suit(governed):
            return (
                "in library code the fix would only remove the scheduler, and without a "
                "Client the default threaded scheduler would then run tasks whose functions "
                "are not known to wait outside the GIL (a parameter or outside callable, or "
                "Python code): tasks that hold the GIL would no longer run in parallel"
            )
        starts = [s for s in governed if self._starts_cluster(s)]
        config = None if spec.setting.origin is SpecOrigin.COMPUTE_KEYWORD else spec.setting.call
        if starts and not cluster_serves_several(self.model, self.module, governed, config):
            return ONE_COMPUTATION
        return None

    def _threads_suit(self, governed: list[ComputeSite]) -> bool:
        """The threaded scheduler runs these computations as fast as processes would:
        every task is a delayed call of a function known to wait outside the GIL or known
        to be trivial, or the computations are of arrays and dataframes (NumPy and pandas
        release the GIL) with no task function of their own (``map_partitions(f)`` ...)."""
        tasks = site_tasks(self.model, governed)
        if tasks:
            return waits_outside_gil(self.model, tasks, trivial=True) is not None
        kinds = {k for s in governed for k in s.collection_kinds}
        return bool(governed) and bool(kinds) and kinds <= _NUMPY_PANDAS

    def _waits_outside_gil(self, spec: SchedulerSpec, site: ComputeSite | None) -> str | None:
        """Who waits outside the GIL ("`f` only waits in calls that release"), when every
        task of these computations is known to
        (:func:`~dasklint.rules._process_move.waits_outside_gil`); None otherwise."""
        tasks = site_tasks(self.model, self._governed(spec, site))
        names = waits_outside_gil(self.model, tasks)
        if names is None:
            return None
        verb = (
            "only waits in calls that release"
            if len(names) == 1
            else "only wait in calls that release"
        )
        return ", ".join(f"`{name}`" for name in names) + " " + verb

    def _threads_fix(self, spec: SchedulerSpec, site: ComputeSite | None) -> Fix | None:
        """``scheduler="threads"`` instead of the processes scheduler and its pool
        arguments, on the compute call that names it."""
        if site is None or spec.setting.origin is not SpecOrigin.COMPUTE_KEYWORD:
            return None
        call = site.call
        if has_double_star(call):
            return None
        threads = set_keyword(call, "scheduler", cst.SimpleString('"threads"'))
        new_call = remove_keywords(threads, PROCESS_POOL_ONLY)
        fix = unsafe(
            'Run these tasks on the threaded scheduler: `scheduler="threads"`',
            call,
            new_call,
            "tasks then share this process, its globals and its GIL",
        )
        return without_get_import(fix, spec)

    def _starts_cluster(self, site: ComputeSite) -> bool:
        """The codemod's script mode: no Client before, and not library code."""
        if self.model.cluster_runs_before(site):
            return False
        return not site.in_function or has_main_guard(self.module) or self.model.origin.interactive

    def _guard_fix(self, spec: SchedulerSpec, site: ComputeSite | None) -> Fix | None:
        """For a single computation at module level of a script, where no cluster is offered:
        the guard alone, so that the worker processes' import of the script no longer
        starts the computation again (it crashes otherwise)."""
        if self._protected(spec, site):
            return None
        governed = self._governed(spec, site)
        if not governed or any(s.in_function for s in governed):
            return None
        table = self.model.parents.table
        indexes = [top_level_index(self.module, table, s.call) for s in governed]
        if any(i is None for i in indexes):
            return None
        first = min(i for i in indexes if i is not None)
        return guard_fix(self.module, first, [s.call for s in governed])

    def _these_tasks(self, spec: SchedulerSpec, site: ComputeSite | None) -> str:
        counts = {s.task_count for s in self._governed(spec, site)}
        return f"these {counts.pop()} tasks" if len(counts) == 1 else "these small graphs"

    def _threads_instead(self, spec: SchedulerSpec, site: ComputeSite | None) -> Fix | None:
        """The threads fix, where it would follow `chunksize=1` for a known-small graph
        computed once: its tasks all wait outside the GIL."""
        if self._waits_outside_gil(spec, site) is None:
            return None
        return self._threads_fix(spec, site)

    def _fix(
        self, spec: SchedulerSpec, site: ComputeSite | None, *, chunksize_written: bool = False
    ) -> Fix | None:
        """`chunksize=1` where none is written (``chunksize_written``: go on as if it
        were), else the LocalCluster codemod."""
        setting = spec.setting
        call = setting.call
        shown = spelled(setting).split(" (= ")[0]
        if setting.origin is SpecOrigin.COMPUTE_KEYWORD:
            if site is None or site.function == "visualize":
                return None
            if site.chunksize is None and site.config_chunksize is None and not chunksize_written:
                return chunksize_one(call)
            return local_cluster_fix(self.model, self.module, site, shown)
        if setting.origin is SpecOrigin.CONFIG_KEYWORD:
            if keyword(call, "chunksize") is None and not chunksize_written:
                if any(arg.star for arg in call.args):
                    return None
                return safe("Add `chunksize=1`", call, add_keyword(call, "chunksize", _one()))
            return config_cluster_fix(self.model, self.module, call, shown)
        found = dict_argument(call, setting.node)
        if found is None:
            return None  # the dict is bound to a name: leave it to the user
        display, _ = found
        if "chunksize" not in _dict_keys(display) and not chunksize_written:
            changed = add_dict_entry(display, "chunksize", _one())
            return None if changed is display else safe('Add `"chunksize": 1`', display, changed)
        return config_cluster_fix(self.model, self.module, call, shown)


def _chunksize_is_one(site: ComputeSite) -> bool:
    """The chunksize in effect at the site is written as ``1``."""
    setting = site.chunksize or site.config_chunksize
    return setting is not None and setting.value == 1


def _dict_keys(display: cst.Dict) -> set[object]:
    return {
        e.key.evaluated_value
        for e in display.elements
        if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
    }


def _one() -> cst.Integer:
    return cst.Integer("1")
