"""DSK101 processes-scheduler."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import CHECK_TESTS, source_of, spelled, where
from dasklint.semantic import CollectionKind, Scheduler
from dasklint.semantic.scheduler import SpecOrigin


class ProcessesScheduler(Rule):
    """
    ## What it does
    Checks for Dask's local multiprocessing scheduler: `scheduler="processes"` (or
    `"multiprocessing"`, or `dask.multiprocessing.get`) on `dask.compute`, `dask.persist`,
    `dask.visualize`, `.compute()`, `.persist()`, and in `dask.config.set(...)` as a call, a
    context manager or a `{"scheduler": ...}` dict; also `dask.config.set(pool=<process pool>)`.
    A string constant bound to a name is followed one hop.

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

    ## Example
    ```python
    import dask

    tasks = [dask.delayed(sum)([i, i]) for i in range(4)]
    results = dask.compute(*tasks, scheduler="processes")
    ```

    Use instead:
    ```python
    import dask
    from distributed import Client, LocalCluster

    if __name__ == "__main__":
        with LocalCluster(n_workers=4, threads_per_worker=1) as cluster, Client(cluster):
            tasks = [dask.delayed(sum)([i, i]) for i in range(4)]
            results = dask.compute(*tasks)
    ```

    ## Fix safety
    No fix is offered yet. The planned fixes: a safe partial fix that adds `chunksize=1`
    (same results, no batching), and an unsafe codemod that moves the program to
    `distributed.LocalCluster` (it changes how and where the tasks run).

    ## Options
    - `check-tests` (bool, default `false`): also report in test files, where exercising
      every scheduler is usually deliberate.

    ## References
    - [Dask: Scheduling, local processes](https://docs.dask.org/en/stable/scheduling.html)
    - dask/dask#10292, dask/dask#10480, dask/dask#11425, dask/dask#11718, dask/dask#12326
    """

    code = "DSK101"
    name = "processes-scheduler"
    summary = "The local processes scheduler runs small batches of ready tasks serially"
    severity = Severity.WARNING
    planned_fix = "safe: add `chunksize=1`; unsafe: move to `distributed.LocalCluster`"
    options = (CHECK_TESTS,)

    def finish(self) -> None:
        if self.context.is_test_file and not self.option("check-tests"):
            return
        bag_only = {
            id(site.call)
            for site in self.model.compute_sites
            if site.collection_kinds and all(k is CollectionKind.BAG for k in site.collection_kinds)
        }
        for spec in self.model.scheduler_specs:
            if spec.scheduler is not Scheduler.PROCESSES:
                continue
            setting = spec.setting
            quiet = setting.from_parameter_default or id(setting.call) in bag_only
            self.report(
                setting.node,
                f"`{spelled(setting)}`{where(spec)} batches up to 6 ready tasks into one worker "
                "process, where they run one after another (dask/dask#10292); use "
                "`distributed.LocalCluster`, as the Dask maintainers recommend",
                severity=Severity.INFO if quiet else None,
            )
        for setting in self.model.settings:
            if setting.key != "pool" or setting.origin is SpecOrigin.COMPUTE_KEYWORD:
                continue
            pool = setting.node
            if setting.is_process_pool:
                self.report(
                    pool,
                    f"`pool={source_of(pool)}` runs local tasks in a process pool that ships "
                    "every input and output through the parent process; use "
                    "`distributed.LocalCluster`, as the Dask maintainers recommend",
                )
