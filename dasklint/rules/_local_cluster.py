"""The LocalCluster codemod: run a computation on ``distributed.LocalCluster``.

Three modes, chosen from the module's shape:

* **client**: a Client or cluster already exists before the call (for instance after an
  earlier run of this codemod): only the local-scheduler arguments are removed.
* **library**: the call is in a function and the module has no ``__main__`` guard. Library
  code must not start clusters, so only ``scheduler=`` (and ``chunksize``, which the safe
  fix may have added) is removed: the caller's Client (or, without one, the default
  scheduler) runs it.
* **script**: the computing region (the statement with the call, or the outermost loop
  around it in the same function, up to the end of its block) is wrapped in
  ``with LocalCluster(n_workers=N, threads_per_worker=1) as cluster, Client(cluster):``.
  At module level the region also moves under a new ``if __name__ == "__main__":``.
  ``num_workers`` becomes ``n_workers``; process-pool arguments are dropped; a call with
  ``initializer=`` or ``**kwargs`` is refused.

In every mode the keywords a Client reads and the local schedulers ignore (``workers=``,
``retries=``, ``priority=``..., :data:`~dasklint.semantic.schedulerkeywords.CLIENT_KEYWORDS`)
are removed with the local scheduler: they never applied, and on the Client they would
(``workers=4`` fails there with ``TypeError: addresses should be strings or tuples``). An
integer ``workers=`` (or ``n_workers=``) given without ``num_workers`` was meant as the
worker count: it sizes the LocalCluster instead.

Every mode removes the ``scheduler=`` that would bypass the Client, so a second run finds
nothing to do (and the import of a ``get`` function passed as the scheduler, once unused).

The same script-mode wrap serves two other entry points: :func:`threaded_cluster_fix`
(DSK501: a computation on the threaded scheduler, moved to single-threaded worker
processes) and a plain ``dask.config.set(scheduler="processes")`` statement (removed, and
the computations it governed wrapped, when one region holds them all).

**Notebooks** and notebook exports (``model.origin.interactive``, see
:mod:`dasklint.semantic.origin`): there is no library mode and no
``__main__`` guard is added. The guard exists because worker processes are started with
the *spawn* method, whose children import the parent's ``__main__`` module from its file
(Python's multiprocessing docs, "The spawn and forkserver start methods": "safe
importing of main module"); a script without the guard starts its cluster again in every
worker (dask/distributed#2520: "this fails if run within a script (it works fine in an
interpreter)"; dask-cuda's quick start asks for the guard "in a standalone Python
script"). A notebook kernel's ``__main__`` has no file to import, so its children never
re-run the cells: no guard is needed, with ``processes=True`` (the default) or
``processes=False``. At module level only the computing statement is wrapped (not the
rest of the cell and the cells after it), and its comments stay above the new block so
that nothing moves between cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.helpers import parse_template_statement

from dasklint.diagnostics import Applicability
from dasklint.fix import DeferredEdit, Edit, Fix, ImportSpec, NodeEdit, unsafe
from dasklint.rules._edits import (
    add_keyword,
    has_double_star,
    keyword,
    remove_keywords,
    set_keyword,
    unwrap_with,
    without_get_import,
)
from dasklint.semantic import ComputeSite, Scheduler, SchedulerSource, SemanticModel
from dasklint.semantic.origin import is_main_guard
from dasklint.semantic.parents import ParentLinks
from dasklint.semantic.scheduler import SpecOrigin
from dasklint.semantic.schedulerkeywords import CLIENT_KEYWORDS, POOL_SIZE_ALIASES

# Arguments only the processes scheduler reads (dask/multiprocessing.py, ``get``).
PROCESS_ONLY = frozenset(
    {"scheduler", "num_workers", "chunksize", "pool", "func_dumps", "func_loads"}
)
# Process-pool behaviour with no LocalCluster counterpart that a rewrite could keep.
REFUSED = frozenset({"initializer"})
UNSAFE_BECAUSE = (
    "tasks run in long-lived worker processes of a cluster that takes about a second to "
    "start, with memory limits and a dashboard"
)
LIBRARY_CAVEAT = (
    "this module has no `__main__` entry point, so it is library code that should use its "
    "caller's Client instead of starting a cluster; without a Client, the default threaded "
    "scheduler runs it"
)

# Start-up, measured with tests/runtime/test_cluster_startup.py's programs (4 trivial
# tasks, 4 workers, a fresh interpreter each, median of 5, interleaved; two runs on
# 2026-12-05, 2-core VM at a load average of 11 to 15): one computation took 4.4 s on the
# processes scheduler's pool (`chunksize=1`) and 8.1 to 9.7 s on a LocalCluster (imports
# not counted; distributed's adds more); five computations took 15.8 to 16.4 s on the pool
# (a pool per computation) and 10.5 to 10.7 s on the cluster.
CLUSTER_START = (
    "one computation of 4 tasks took 8.1 to 9.7 s with a `distributed.LocalCluster`'s "
    "start-up, 4.4 s with the processes scheduler's pool, and five computations 10.5 to "
    "10.7 s against 15.8 to 16.4 s (measured 2026-12-05 on 2 busy cores)"
)
ONE_COMPUTATION = (
    "the cluster the fix would start runs only this one computation before it closes, "
    "where the processes scheduler starts one pool: its start-up is not earned back "
    f"({CLUSTER_START}); it pays when one cluster serves several computations (a loop, or "
    "more computations after this one in the same block)"
)
# DSK501's move, from threads (which start no process) to a cluster: the same measurement.
THREADED_ONE_COMPUTATION = (
    "the cluster the fix would start runs only this one computation before it closes, "
    "where the threaded scheduler starts no process: its start-up is earned back only by "
    "tasks that hold the GIL for longer than it takes, which the source does not show "
    "(one computation of 4 trivial tasks took 8.1 to 9.7 s on a `distributed.LocalCluster`, "
    "start-up included, measured 2026-12-05 on 2 busy cores); it pays when one cluster "
    "serves several computations (a loop, or more computations after this one in the same "
    "block)"
)


def has_main_guard(module: cst.Module) -> bool:
    shape = _shape(module)
    if shape.main_guard is None:
        shape.main_guard = any(is_main_guard(statement) for statement in module.body)
    return shape.main_guard


# -- facts of the module that every finding's fix asks for, computed once per module -----


@dataclass(slots=True, eq=False)
class _Shape:
    """Of the module being linted: whether it has a ``__main__`` guard, and per block (by
    ``id``) the position of each statement and of the last one that defines names.
    Computed on first use and kept for the module (the last module only), so that a fix
    per finding costs no scan of a block."""

    module: cst.Module
    main_guard: bool | None = None
    blocks: dict[int, tuple[dict[int, int], int]] = field(default_factory=dict)


_SHAPES: list[_Shape] = []


def _shape(module: cst.Module) -> _Shape:
    found = _SHAPES[0] if _SHAPES else None
    if found is None or found.module is not module:
        found = _Shape(module)
        _SHAPES[:] = [found]
    return found


def _block_shape(
    module: cst.Module, block: cst.IndentedBlock | cst.Module
) -> tuple[dict[int, int], int]:
    """``id(statement) -> position`` in ``block``, and the position of its last statement
    that defines names (-1 when none does)."""
    blocks = _shape(module).blocks
    found = blocks.get(id(block))
    if found is None:
        body = block.body
        positions = {id(statement): i for i, statement in enumerate(body)}
        last = max((i for i, s in enumerate(body) if _defines_names(s)), default=-1)
        found = blocks[id(block)] = (positions, last)
    return found


def _position(
    model: SemanticModel,
    module: cst.Module,
    block: cst.IndentedBlock | cst.Module,
    node: cst.CSTNode,
) -> int | None:
    """The position in ``block`` of its statement that is or holds ``node``; None when
    ``node`` is not in ``block``."""
    table = model.parents.table
    positions, _ = _block_shape(module, block)
    current: cst.CSTNode | None = node
    while current is not None:
        parent = table.get(id(current))
        if parent is block:
            return positions[id(current)]
        current = parent
    return None


def _within(position: int | None, start: int, end: int) -> bool:
    return position is not None and start <= position < end


def local_cluster_fix(
    model: SemanticModel, module: cst.Module, site: ComputeSite, shown: str
) -> Fix | None:
    """The codemod for a compute call that names the processes scheduler (``shown``)."""
    return without_get_import(_local_cluster_fix(model, module, site, shown), site.scheduler)


def _local_cluster_fix(
    model: SemanticModel, module: cst.Module, site: ComputeSite, shown: str
) -> Fix | None:
    call = site.call
    if site.function != "compute" or has_double_star(call):
        return None
    if any(keyword(call, name) is not None for name in REFUSED):
        return None
    if model.cluster_runs_before(site):
        return unsafe(
            f"Remove `{shown}` and the process-pool arguments: the Client created before "
            f"runs this{client_keywords_note(call)}",
            call,
            remove_keywords(call, PROCESS_ONLY | CLIENT_KEYWORDS),
        )
    if site.in_function and not has_main_guard(module) and not model.origin.interactive:
        also = " and `chunksize`" if keyword(call, "chunksize") is not None else ""
        return unsafe(
            f"Remove `{shown}`{also}: leave the scheduler to the caller's Client",
            call,
            remove_keywords(call, {"scheduler", "chunksize"} | CLIENT_KEYWORDS),
            LIBRARY_CAVEAT + client_keywords_note(call),
        )
    return _wrap(model, module, site, f"`{shown}`")


def client_keywords_note(call: cst.Call) -> str:
    """The end of a fix's caveat: the keywords a Client would read that the fix removes
    from ``call`` (the local scheduler ignored them); empty when there are none."""
    found = [a.keyword.value for a in call.args if a.keyword and a.keyword.value in CLIENT_KEYWORDS]
    if not found:
        return ""
    names = ", ".join(f"`{name}=`" for name in found)
    if len(found) == 1:
        return f"; {names} goes too: the local scheduler ignored it, a Client would not"
    return f"; {names} go too: the local scheduler ignored them, a Client would not"


def carries_client_keywords(sites: Sequence[ComputeSite]) -> bool:
    """One of ``sites`` passes a keyword that a Client reads and the local scheduler
    ignored: a fix that leaves the call as it is and gives it a Client changes it."""
    return any(
        arg.keyword is not None and arg.keyword.value in CLIENT_KEYWORDS
        for site in sites
        for arg in site.call.args
    )


def _meant_workers(call: cst.Call) -> cst.Arg | None:
    """The worker count the call asks for: ``num_workers=``, else an integer literal
    given as ``workers=`` or ``n_workers=`` (ignored by the local pool, meant as one)."""
    found = keyword(call, "num_workers")
    if found is not None:
        return found
    for name in POOL_SIZE_ALIASES:  # an integer literal here sizes the cluster
        found = keyword(call, name)
        if found is not None and isinstance(found.value, cst.Integer):
            return found
    return None


def threaded_cluster_fix(model: SemanticModel, module: cst.Module, site: ComputeSite) -> Fix | None:
    """Script mode of the codemod for a computation on the threaded scheduler (the default
    one, or an explicit ``scheduler="threads"``): single-threaded worker processes, so
    that GIL-bound tasks run in parallel. None in library code, where starting a cluster
    is the caller's business, and where a ``with dask.config.set(...)`` would still
    choose the scheduler inside the new block."""
    call = site.call
    if site.function != "compute" or has_double_star(call):
        return None
    if site.effective.source not in (SchedulerSource.COLLECTION_DEFAULT, SchedulerSource.EXPLICIT):
        return None
    if model.cluster_runs_before(site):
        return None
    if site.in_function and not has_main_guard(module) and not model.origin.interactive:
        return None
    return without_get_import(_wrap(model, module, site, "the threaded scheduler"), site.scheduler)


# Beyond this many tasks a graph is not "known-small": the cluster's start-up is then a
# small part of the run, and the codemod's long-lived workers keep data between tasks.
SMALL_GRAPH_TASKS = 100


def threaded_processes_fix(
    model: SemanticModel, module: cst.Module, site: ComputeSite
) -> Fix | None:
    """``scheduler="processes", chunksize=1`` where :func:`small_graph_once` holds."""
    if not small_graph_once(model, module, site):
        return None
    call = site.call
    new_call = set_keyword(call, "scheduler", cst.SimpleString('"processes"'))
    new_call = add_keyword(remove_keywords(new_call, {"chunksize"}), "chunksize", cst.Integer("1"))
    title = (
        f"Run these {site.task_count} tasks in worker processes: "
        '`scheduler="processes", chunksize=1`'
    )
    caveat = (
        "tasks, arguments and results must be picklable, and each worker process imports "
        "this module"
    )
    fix = Fix(title, Applicability.UNSAFE, (NodeEdit(call, new_call),), caveat=caveat)
    return without_get_import(fix, site.scheduler)


def small_graph_once(model: SemanticModel, module: cst.Module, site: ComputeSite) -> bool:
    """A threaded computation of a graph of a few tasks known from the source, computed
    once (not in a loop), in a script whose ``__main__`` guard already protects the call:
    there the processes scheduler with ``chunksize=1`` (each ready task in a worker process
    of its own pool) beats a cluster, whose start-up costs more than a small graph's
    GIL-bound tasks save (``benchmarks/impact/cpu_bound_threads.py`` measures both)."""
    call = site.call
    tasks = site.task_count
    if tasks is None or not 2 <= tasks <= SMALL_GRAPH_TASKS or site.in_loop:
        return False
    if site.function != "compute" or has_double_star(call) or keyword(call, "pool") is not None:
        return False
    if site.effective.source not in (SchedulerSource.COLLECTION_DEFAULT, SchedulerSource.EXPLICIT):
        return False
    if model.origin.interactive or model.cluster_runs_before(site):
        return False
    if any(is_main_guard(a) for a in model.parents.ancestors(call)):
        return True
    # Spawned workers import the module: an unguarded module-level call would run again.
    return site.in_function and has_main_guard(module)


def _wrap(
    model: SemanticModel,
    module: cst.Module,
    site: ComputeSite,
    instead: str,
    workers: cst.BaseExpression | None = None,
    drop: cst.SimpleStatementLine | None = None,
    covers: Sequence[cst.Call] = (),
) -> Fix | None:
    """Wrap the computing region of ``site`` in a LocalCluster and Client. ``workers``:
    the worker count when it is not the call's ``num_workers``; ``drop``: a statement to
    remove in the same fix; ``covers``: other calls that must fall inside the region.

    Whether the fix exists is decided here at a cost that does not grow with the region;
    the new block, which holds the whole region, is built only when the fix is applied or
    its text edits are shown (:class:`~dasklint.fix.DeferredEdit`)."""
    anchored = _region_of(model, module, site)
    if anchored is None:
        return None
    site, bounds = anchored
    call = site.call
    imports = _imports_needed(model, module)
    if imports is None:
        return None
    block, index, end, guarded = bounds.block, bounds.index, bounds.end, bounds.guarded
    interactive = model.origin.interactive
    table = model.parents.table
    _, last_definition = _block_shape(module, block)
    if not guarded and last_definition >= index:
        return None  # definitions must stay importable at module level
    if any(not _within(_position(model, module, block, other), index, end) for other in covers):
        return None
    edits: list[Edit] = []
    in_block = None  # `drop` when it is a statement of the block, removed with the wrap
    if drop is not None:
        if _within(_position(model, module, block, drop), index, end):
            return None  # the setting is inside the region: the region is not one step
        if table.get(id(drop)) is block:
            in_block = drop
        else:
            edits.append(NodeEdit(drop, cst.RemoveFromParent()))
    removed = PROCESS_ONLY | CLIENT_KEYWORDS
    if workers is None:
        found = _meant_workers(call)
        if found is not None and found.keyword is not None:
            workers = found.value
            removed |= {found.keyword.value}
    name = _free_name(model, "cluster")
    region = _Region(
        module,
        block,
        call,
        removed,
        index,
        end,
        workers,
        name,
        guarded,
        interactive,
        in_block,
        others=lambda: _processes_calls_in(model, module, site, bounds),
    )
    edits.insert(0, DeferredEdit(block, region.wrapped))
    guard = "" if guarded else " under a new `__main__` guard"
    dropped = "" if drop is None else ", without the `dask.config.set` call"
    title = f"Run this on `distributed.LocalCluster`{guard}{dropped}"
    if not guard and not dropped:
        title += f" instead of {instead}"
    caveat = UNSAFE_BECAUSE + client_keywords_note(call)
    return Fix(title, Applicability.UNSAFE, tuple(edits), add_imports=imports, caveat=caveat)


@dataclass(frozen=True, slots=True)
class _Bounds:
    """The computing region of a call: statements ``index`` to ``end`` of ``block``;
    ``guarded``: they already run only in the main process (a function, a notebook, a
    ``__main__`` block), else the wrap also adds a guard."""

    block: cst.IndentedBlock | cst.Module
    index: int
    end: int
    guarded: bool


def _bounds(model: SemanticModel, module: cst.Module, call: cst.Call) -> _Bounds | None:
    """The region the script mode wraps for ``call``: from its statement (or the outermost
    loop around it in the same function) to the end of that block; at module level outside
    a guard, from the top-level statement; in a notebook at module level, the statement
    alone (the rest of the module is the rest of its cell and the cells after it)."""
    region_start = _region_statement(model.parents, call)
    if region_start is None:
        return None
    table = model.parents.table
    block = table.get(id(region_start))
    if not isinstance(block, (cst.IndentedBlock, cst.Module)):
        return None
    in_function = any(isinstance(a, cst.FunctionDef) for a in model.parents.ancestors(block))
    interactive = model.origin.interactive
    guarded = (
        in_function or interactive or any(is_main_guard(a) for a in model.parents.ancestors(block))
    )
    if not guarded and not isinstance(block, cst.Module):
        # A loop or `if` at module level: wrap from the top-level statement on.
        top = next(a for a in model.parents.ancestors(region_start) if table.get(id(a)) is module)
        assert isinstance(top, cst.BaseStatement)
        region_start, block = top, module
    positions, _ = _block_shape(module, block)
    index = positions[id(region_start)]
    end = index + 1 if interactive and isinstance(block, cst.Module) else len(block.body)
    return _Bounds(block, index, end, guarded)


def _named_processes(site: ComputeSite) -> bool:
    """The compute call itself names the processes scheduler (``scheduler="processes"``)."""
    spec = site.scheduler
    return (
        spec is not None
        and spec.scheduler is Scheduler.PROCESSES
        and spec.setting.origin is SpecOrigin.COMPUTE_KEYWORD
    )


def _region_of(
    model: SemanticModel, module: cst.Module, site: ComputeSite
) -> tuple[ComputeSite, _Bounds] | None:
    """The computation whose region the script mode wraps for ``site``, and that region.
    A region runs to the end of its block, so an earlier computation naming the processes
    scheduler in the same block already holds ``site``: one cluster for both, and every
    finding in it offers the same fix."""
    own = _bounds(model, module, site.call)
    if own is None or not _named_processes(site):
        return (site, own) if own is not None else None
    for other in model.compute_sites:
        if other is site:
            break
        if not _named_processes(other) or other.scopes[0] is not site.scopes[0]:
            continue
        bounds = _bounds(model, module, other.call)
        if bounds is not None and bounds.block is own.block and bounds.index < own.index:
            return other, bounds
    return site, own


def _processes_calls_in(
    model: SemanticModel, module: cst.Module, site: ComputeSite, bounds: _Bounds
) -> tuple[tuple[cst.Call, int], ...]:
    """The compute calls of the region (``site``'s first) that name the processes
    scheduler, each with the position of its statement in the block: the cluster runs them
    all, so each loses its scheduler and pool arguments."""
    calls = [(site.call, bounds.index)]
    if _named_processes(site):
        for other in model.compute_sites:
            if other is site or not _named_processes(other):
                continue
            if other.scopes[0] is not site.scopes[0]:
                continue
            position = _position(model, module, bounds.block, other.call)
            if position is not None and _within(position, bounds.index, bounds.end):
                calls.append((other.call, position))
    return tuple(calls)


def cluster_serves_several(
    model: SemanticModel,
    module: cst.Module,
    sites: Sequence[ComputeSite],
    config: cst.Call | None = None,
    scheduler: Scheduler = Scheduler.PROCESSES,
) -> bool:
    """The one cluster the script mode starts for ``sites`` (the computations a setting
    governs; ``config``: the ``dask.config.set`` call that chooses the scheduler, when it
    does) serves more than one computation that ran on ``scheduler``: a computation runs
    repeatedly inside the region the fix wraps (a loop or comprehension around it there),
    or that region holds more than one computation on that scheduler. A computation run
    once in the program, or once per call of its function (the region is then inside the
    function), would start a cluster for that one computation, where the processes
    scheduler started one pool and threads start nothing: it costs more
    (``CLUSTER_START``)."""
    table = model.parents.table
    item = table.get(id(config)) if config is not None else None
    with_node = table.get(id(item)) if isinstance(item, cst.WithItem) else None
    if isinstance(with_node, cst.With):  # the `with` block becomes the cluster's
        return len(sites) > 1 or any(
            _repeats_within(model.parents, s.call, with_node) for s in sites
        )
    if len(sites) > 1:  # one region holds them all, or no fix is offered
        return True
    same = [s for s in model.compute_sites if s.effective.scheduler is scheduler]
    for site in sites:
        found = _region_of(model, module, site)
        if found is None:
            continue
        anchor, bounds = found
        if anchor is not site:
            return True  # an earlier computation's region holds this one too
        if _repeats_within(model.parents, site.call, bounds.block):
            return True
        inside = [
            other
            for other in same
            if other.scopes[0] is site.scopes[0]
            and _within(
                _position(model, module, bounds.block, other.call), bounds.index, bounds.end
            )
        ]
        if len(inside) > 1:
            return True
    return False


def _repeats_within(links: ParentLinks, call: cst.Call, block: cst.CSTNode) -> bool:
    """A loop or comprehension between ``call`` and ``block`` (in the same function)
    runs it more than once; a call in what a ``for`` iterates over (or a comprehension's
    first iterable) runs once."""
    path: list[cst.CSTNode] = [call]  # from the call up to the current node's child
    for node in links.ancestors(call):
        if node is block or isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            return False
        if isinstance(node, cst.For) and path[-1] is not node.iter:
            return True
        if isinstance(node, cst.While):
            return True
        if isinstance(node, _COMPREHENSIONS):
            first = node.for_in
            once = len(path) >= 2 and path[-1] is first and path[-2] is first.iter
            if not once:
                return True
        path.append(node)
    return False


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


@dataclass(frozen=True, slots=True)
class _Region:
    """Statements ``index`` to ``end`` of ``block``, with ``calls[0]`` in the first, to
    move into ``with LocalCluster(...) as <name>, Client(<name>):``."""

    module: cst.Module
    block: cst.IndentedBlock | cst.Module
    call: cst.Call
    removed: frozenset[str]  # the calls' keywords that do not go to the Client
    index: int
    end: int
    workers: cst.BaseExpression | None
    name: str
    guarded: bool  # else the new block also goes under a new `__main__` guard
    interactive: bool  # a notebook or an export: comments stay above the new block
    drop: cst.SimpleStatementLine | None  # a statement of the block outside the region
    # The region's compute calls the cluster takes over, ``call`` first, with their
    # statements' positions in the block; found when the rewrite is built.
    others: Callable[[], tuple[tuple[cst.Call, int], ...]] = lambda: ()

    def wrapped(self) -> cst.IndentedBlock | cst.Module:
        """The block with the region wrapped (and ``drop`` removed)."""
        body = self.block.body
        region: list[cst.BaseStatement] = list(body[self.index : self.end])
        for call, position in self.others() or ((self.call, self.index),):
            statement = region[position - self.index]
            replaced = statement.deep_replace(call, remove_keywords(call, self.removed))
            assert isinstance(replaced, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
            region[position - self.index] = replaced
        region = [_unindent_blank_lines(s) for s in region]
        first = region[0]
        assert isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
        if self.interactive:  # comments (and cell boundaries) stay above the new block
            lead, rest = list(first.leading_lines), list[cst.EmptyLine]()
        else:
            lead, rest = _split_blank_lines(first.leading_lines)
        region[0] = first.with_changes(leading_lines=rest)

        cluster_args = "threads_per_worker=1"
        params: dict[str, cst.BaseExpression] = {}
        if self.workers is not None:
            cluster_args = "n_workers={workers}, threads_per_worker=1"
            params["workers"] = self.workers
        config = self.module.config_for_parsing
        statement = parse_template_statement(
            f"with LocalCluster({cluster_args}) as {self.name}, Client({self.name}):\n    pass\n",
            config=config,
            **params,
        )
        assert isinstance(statement, cst.With) and isinstance(statement.body, cst.IndentedBlock)
        statement = statement.with_changes(body=statement.body.with_changes(body=region))
        if not self.guarded:
            guard = parse_template_statement(
                'if __name__ == "__main__":\n    pass\n', config=config
            )
            assert isinstance(guard, cst.If) and isinstance(guard.body, cst.IndentedBlock)
            statement = guard.with_changes(body=guard.body.with_changes(body=[statement]))
        statement = statement.with_changes(leading_lines=lead)
        before = [s for s in body[: self.index] if s is not self.drop]
        after = [s for s in body[self.end :] if s is not self.drop]
        return self.block.with_changes(body=[*before, statement, *after])


def _region_statement(links: ParentLinks, call: cst.Call) -> cst.BaseStatement | None:
    """The statement in a block that holds ``call``, or the outermost loop around it in
    the same function; None when the call only runs later (a lambda or generator)."""
    table = links.table
    statement: cst.CSTNode | None = None
    for node in [call, *links.ancestors(call)]:
        if isinstance(node, (cst.Lambda, cst.GeneratorExp)) and statement is None:
            return None
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Module)):
            break
        parent = table.get(id(node))
        in_block = isinstance(parent, (cst.IndentedBlock, cst.Module))
        if in_block and (statement is None or isinstance(node, (cst.For, cst.While))):
            statement = node
    return statement if isinstance(statement, cst.BaseStatement) else None


def _imports_needed(model: SemanticModel, module: cst.Module) -> tuple[ImportSpec, ...] | None:
    """Imports of ``Client`` and ``LocalCluster`` the module still lacks; None when a name
    is taken by something else."""
    needed = []
    for name in ("Client", "LocalCluster"):
        bound = model.qualified_name(cst.Name(name))
        if bound == f"distributed.{name}":
            continue
        if bound is not None or name in model.written_names:
            return None
        needed.append(ImportSpec("dask.distributed", name))
    return tuple(needed)


def _free_name(model: SemanticModel, base: str) -> str:
    candidates = [base, f"local_{base}", *(f"{base}_{i}" for i in range(1, 100))]
    return next(c for c in candidates if c not in model.written_names)


def _defines_names(statement: cst.CSTNode) -> bool:
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) or is_main_guard(statement):
        return True
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
    )


def _split_blank_lines(
    lines: Sequence[cst.EmptyLine],
) -> tuple[list[cst.EmptyLine], list[cst.EmptyLine]]:
    """Leading blank lines (they stay above the new block) and the rest (comments...)."""
    count = 0
    while count < len(lines) and lines[count].comment is None:
        count += 1
    return list(lines[:count]), list(lines[count:])


class _BlankLines(cst.CSTTransformer):
    """Blank lines written at module level carry ``indent=True``; moved into a block they
    would render as lines of spaces, so they lose it (comment lines keep theirs)."""

    def leave_EmptyLine(
        self, original_node: cst.EmptyLine, updated_node: cst.EmptyLine
    ) -> cst.EmptyLine:
        if updated_node.comment is None and updated_node.indent:
            return updated_node.with_changes(indent=False, whitespace=cst.SimpleWhitespace(""))
        return updated_node


def _unindent_blank_lines(statement: cst.BaseStatement) -> cst.BaseStatement:
    result = statement.visit(_BlankLines())
    assert isinstance(result, cst.BaseStatement)
    return result


def config_cluster_fix(
    model: SemanticModel, module: cst.Module, call: cst.Call, shown: str
) -> Fix | None:
    """The codemod for ``with dask.config.set(scheduler="processes", ...):``."""
    table = model.parents.table
    item = table.get(id(call))
    with_node = table.get(id(item))
    if not isinstance(item, cst.WithItem) or not isinstance(with_node, cst.With):
        return _plain_config_fix(model, module, call, shown)
    values = _config_values(call)
    if values is None or set(values) - PROCESS_ONLY or set(values) & REFUSED:
        return None  # other settings would be lost, or have no cluster counterpart
    governed = [
        s
        for s in model.compute_sites
        if s.effective.spec is not None and s.effective.spec.setting.call is call
    ]
    if carries_client_keywords(governed):
        return None  # the block's computations would hand them to the Client
    above = list(model.parents.ancestors(with_node))
    in_function = any(isinstance(a, cst.FunctionDef) for a in above)
    if in_function and not has_main_guard(module) and not model.origin.interactive:
        others = [i for i in with_node.items if i is not item]
        replacement: cst.CSTNode | cst.FlattenSentinel[cst.CSTNode] | None
        if not others:
            replacement = _unwrapped(with_node)
        else:
            last = others[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            replacement = with_node.with_changes(items=[*others[:-1], last])
        if replacement is None:
            return None
        return unsafe(
            f"Remove `dask.config.set({shown})`: leave the scheduler to the caller's Client",
            with_node,
            replacement,
            LIBRARY_CAVEAT,
        )
    interactive = model.origin.interactive
    if not in_function and not interactive and not any(is_main_guard(a) for a in above):
        return None
    imports = _imports_needed(model, module)
    if imports is None:
        return None
    name = _free_name(model, "cluster")
    params: dict[str, cst.BaseExpression] = {}
    cluster_args = "threads_per_worker=1"
    if "num_workers" in values:
        cluster_args = "n_workers={workers}, threads_per_worker=1"
        params["workers"] = values["num_workers"]
    template = parse_template_statement(
        f"with LocalCluster({cluster_args}) as {name}, Client({name}):\n    pass\n",
        config=module.config_for_parsing,
        **params,
    )
    assert isinstance(template, cst.With)
    first, second = template.items
    items: list[cst.WithItem] = []
    for existing in with_node.items:
        if existing is item:
            items.extend([first, second.with_changes(comma=item.comma)])
        else:
            items.append(existing)
    return unsafe(
        f"Run this block on `distributed.LocalCluster` instead of `{shown}`",
        with_node,
        with_node.with_changes(items=items),
        UNSAFE_BECAUSE,
        add_imports=imports,
    )


def _plain_config_fix(
    model: SemanticModel, module: cst.Module, call: cst.Call, shown: str
) -> Fix | None:
    """The codemod for a ``dask.config.set(scheduler="processes")`` statement in a script:
    the computations it governs run on a LocalCluster, and the call is removed (a Client
    created after it would override it anyway, ``Client.__init__`` sets the scheduler
    config). Library code is left alone: the setting is global, and removing it changes
    what every later computation of the process runs on."""
    table = model.parents.table
    expr = table.get(id(call))
    line = table.get(id(expr)) if isinstance(expr, cst.Expr) else None
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    values = _config_values(call)
    if values is None or set(values) - PROCESS_ONLY or set(values) & REFUSED:
        return None
    sites = sorted(
        (
            s
            for s in model.compute_sites
            if s.effective.source is SchedulerSource.CONFIG
            and s.effective.spec is not None
            and s.effective.spec.setting.call is call
        ),
        key=lambda s: s.order,
    )
    if not sites or any(
        s.function != "compute"
        or has_double_star(s.call)
        or any(keyword(s.call, name) is not None for name in REFUSED)
        for s in sites
    ):
        return None
    if carries_client_keywords(sites[1:]):
        return None  # only the first call is rewritten; the others would keep them
    first = sites[0]
    library = any(s.in_function for s in sites) and not has_main_guard(module)
    if library and not model.origin.interactive:
        return None
    return _wrap(
        model,
        module,
        first,
        f"`{shown}`",
        workers=values.get("num_workers"),
        drop=line,
        covers=[s.call for s in sites[1:]],
    )


def _config_values(call: cst.Call) -> dict[str, cst.BaseExpression] | None:
    values: dict[str, cst.BaseExpression] = {}
    for arg in call.args:
        if arg.keyword is not None:
            values[arg.keyword.value] = arg.value
        elif isinstance(arg.value, cst.Dict) and not arg.star:
            for element in arg.value.elements:
                if not isinstance(element, cst.DictElement) or not isinstance(
                    element.key, cst.SimpleString
                ):
                    return None
                values[str(element.key.evaluated_value).replace("-", "_")] = element.value
        else:
            return None
    return values


def _unwrapped(with_node: cst.With) -> cst.FlattenSentinel[cst.CSTNode] | None:
    body = unwrap_with(with_node)
    return None if body is None else cst.FlattenSentinel(list(body.nodes))
