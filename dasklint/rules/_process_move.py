"""When a fix that moves tasks between processes is offered, for every rule that has one.

Such a fix (DSK501's worker processes, DSK101's LocalCluster codemod and its threads
rewrite, DSK104's removal of a local scheduler in front of a Client) keeps the computed
values only if the tasks keep nothing in the process that runs them, and makes the
program faster only if the work it spreads outweighs what the move adds. What the source
shows of the tasks decides:

* :func:`state_refusal`: a task function (or a project function it calls) uses
  process-local state (:mod:`dasklint.semantic.processlocal`): the global random state,
  a module-level generator or file, module globals it changes. No move to processes.
* :func:`cost_refusal`: for work that now runs in this process (threads), results that
  grow with the work (a list, set or dict the task builds in its loops) must be pickled
  in the worker and unpickled here, one after another, which costs 0.7 to 2.6 times what
  building them took (measured, see ``RESULT_TRANSFER``); a single task has nothing to
  run side by side.
* :func:`waits_outside_gil`: a move to threads only for task functions known to wait
  outside the GIL.
* :func:`pool_refusal`: ``chunksize=1`` on a pool whose size the program sets above two
  worker processes starts one process per task; that pays only for tasks known to be long.

Tasks whose function is not known (an outside callable, a parameter) keep no state this
module can see; they are never known to wait outside the GIL.
"""

from __future__ import annotations

from collections.abc import Iterable

from dasklint.rules._edits import keyword
from dasklint.semantic import ComputeSite, SemanticModel
from dasklint.semantic.processlocal import SEED_ADVICE, process_state, returns_built
from dasklint.semantic.schedulerkeywords import POOL_SIZE_ALIASES
from dasklint.semantic.task_call import TaskApi, TaskCall
from dasklint.semantic.taskcost import task_long_work
from dasklint.semantic.values import literal_value

# Pickling then unpickling a result of Python objects, against building it in a loop
# (one process, best of 3, 1,000,000 items, 2026-12-05, Python 3.11, 2-core VM under load):
# a list of 3-item lists 2.6x, a dict of str keys 0.9x, a list of floats 0.7x. Unpickling
# runs in this process, one result after another: with W workers a move pays only when
# this ratio is below 1 - 1/W (0.5 on 2 cores), which none of these is.
RESULT_TRANSFER = (
    "pickling such results in the workers and unpickling them here, one after another, "
    "costs 0.7 to 2.6 times what building them took (measured with 1,000,000 items), "
    "more than the worker processes save"
)


def site_tasks(model: SemanticModel, sites: Iterable[ComputeSite]) -> list[TaskCall]:
    """The task calls whose results these computations compute: those the model links to
    them through names, and those written inside the compute call itself
    (``dask.compute(delayed(f)(1))``, ``delayed(f)(x).compute()``)."""
    sites = list(sites)
    found = {id(t): t for s in sites for t in model.tasks.tasks_for(s)}
    calls = {id(s.call) for s in sites}
    for task in model.tasks.task_calls:
        if id(task) not in found and any(
            id(a) in calls for a in model.parents.ancestors(task.call)
        ):
            found[id(task)] = task
    return sorted(found.values(), key=lambda t: t.index)


def state_refusal(model: SemanticModel, tasks: Iterable[TaskCall]) -> str | None:
    """Why moving ``tasks`` to worker processes would change the results; None when no
    task function is seen to keep state in this process."""
    summarizer = model.tasks.summarizer()
    for task in tasks:
        if task.facts is None:
            continue
        found = process_state(task.facts, summarizer.resolve, summarizer.module)
        if found is not None:
            advice = SEED_ADVICE if found.random else "return the values from the task instead"
            return (
                "these tasks keep state in the process that runs them, so moving them to "
                f"other processes would change the results: {found.describe()}; {advice}"
            )
    return None


def cost_refusal(model: SemanticModel, tasks: Iterable[TaskCall]) -> str | None:
    """Why moving ``tasks`` from this process (threads) to worker processes would not
    make the program faster, from what the source shows; None when nothing says so."""
    summarizer = model.tasks.summarizer()
    for task in tasks:
        if task.facts is None:
            continue
        builder = returns_built(task.facts, summarizer.resolve)
        if builder is not None:
            return (
                f"moving these tasks to worker processes would not pay: `{builder}` returns "
                f"a list, set or dict it builds in its loops, and {RESULT_TRANSFER}"
            )
    return None


# Worker processes that start side by side at no extra wall time: the smallest machine that
# runs in parallel has two cores, and the pool's default size is one process per core.
PARALLEL_STARTS = 2
# Measured (benchmarks/impact/real/ignored_workers_keyword.py, four pure-Python tasks of
# about 0.1 s, 2 cores, load 1.1 to 1.2, 2026-12-05): `chunksize=1` alone 0.64 to 0.66 s,
# `num_workers=4` alone 0.66 s, both 0.80 to 0.86 s against 0.68 to 0.83 s unchanged.
POOL_START_COST = "measured: four tasks of about 0.1 s ran 0.83x as fast on two cores"


def requested_pool_size(site: ComputeSite) -> int | None:
    """The number of worker processes the program asks for at ``site``: its
    ``num_workers`` (written there or set around it), or an integer literal under a name
    the local schedulers ignore but whose intent is clear (``workers=4``, which DSK109
    renames to ``num_workers=4``)."""
    if site.num_workers is not None:
        return site.num_workers
    for name in POOL_SIZE_ALIASES:
        arg = keyword(site.call, name)
        value = literal_value(arg.value) if arg is not None else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def pool_refusal(
    model: SemanticModel, sites: Iterable[ComputeSite], tasks: Iterable[TaskCall]
) -> str | None:
    """Why ``chunksize=1`` is not offered: the program sets a pool of more than
    :data:`PARALLEL_STARTS` worker processes, so spreading the tasks starts up to that
    many, and not every task is known to be long enough to earn back a process's start-up
    (on a machine with fewer cores the starts run one after another); None otherwise."""
    sizes = [n for n in (requested_pool_size(s) for s in sites) if n is not None]
    size = max(sizes, default=0)
    if size <= PARALLEL_STARTS:
        return None
    tasks = list(tasks)
    if tasks and all(task_long_work(model, t) is not None for t in tasks):
        return None
    return (
        f"spreading the tasks would start up to {size} worker processes, one per task, but "
        "the source does not show that they run long enough to earn back a process's "
        f"start-up on a machine with fewer cores ({POOL_START_COST})"
    )


def single_task(sites: Iterable[ComputeSite]) -> bool:
    """Every computation runs one task known from the source: nothing to spread."""
    counts = [s.task_count for s in sites]
    return bool(counts) and all(c == 1 for c in counts)


def waits_outside_gil(
    model: SemanticModel, tasks: list[TaskCall], *, trivial: bool = False
) -> list[str] | None:
    """The names of the task functions when every task is a delayed call of a project
    function whose summary shows only GIL-releasing calls (``time.sleep``, I/O, numpy,
    ...) and no interpreted loops, unknown calls or nested computations (``trivial``:
    or a few statements of arithmetic, which threads run at no cost); None otherwise
    (also when a task's function is not known: a parameter, an outside callable)."""
    if not tasks:
        return None
    for task in tasks:
        if task.api is not TaskApi.DELAYED or task.facts is None:
            return None
        summary = model.tasks.summary(task.facts)
        if trivial and summary.trivial:
            continue
        if not summary.releases_gil or summary.python_loops or summary.unknown_calls:
            return None
        if summary.computes or summary.numba is not None:
            return None
    return sorted({t.facts.qualname for t in tasks if t.facts is not None})
