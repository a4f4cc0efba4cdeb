"""DSK201 missing-main-guard."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix
from dasklint.rule import Rule, RuleContext
from dasklint.rules._common import spelled
from dasklint.rules._edits import keyword
from dasklint.rules._local_cluster import local_cluster_fix
from dasklint.rules._main_guard import guard_fix, top_level_index
from dasklint.semantic import ComputeSite, Scheduler, SchedulerSource, SchedulerSpec
from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.origin import is_main_guard
from dasklint.semantic.scheduler import SpecOrigin

# Constructors that start local worker processes unless told ``processes=False``.
_SPAWNING_CLUSTERS = frozenset({"distributed.LocalCluster", "distributed.SubprocessCluster"})
# ``Client(...)`` keywords that connect to an existing scheduler instead of starting one.
_CONNECTS = frozenset({"address", "scheduler_file"})
# The ``get=`` functions of old Dask that ran a graph in a process pool.
_PROCESS_GETS = frozenset({"dask.multiprocessing.get", "dask.multiprocessing.get_context"})
# Methods of collections that compute and write their result (``compute=True`` default).
WRITE_METHODS = frozenset(
    {"to_csv", "to_parquet", "to_hdf", "to_json", "to_sql", "to_orc", "to_zarr", "to_textfiles",
     "to_avro", "to_hdf5", "to_npy_stack", "to_tiledb", "store"}
)  # fmt: skip
_COLLECTIONS = frozenset(
    {CollectionKind.DATAFRAME, CollectionKind.ARRAY, CollectionKind.BAG, CollectionKind.DELAYED}
)


class MissingMainGuard(Rule):
    """
    ## What it does
    Checks for code at module level (outside any function and outside an
    `if __name__ == "__main__":` block) that starts worker processes: `Client()` without
    an address, `LocalCluster()` or `SubprocessCluster()` (unless `processes=False`), and
    computations on the processes scheduler: `dask.bag` computations on their default
    scheduler (no Client before), the legacy `get=dask.multiprocessing.get`, computations inside
    `with dask.config.set(scheduler="processes"):` or after a module-level
    `dask.config.set(scheduler="processes")`, computations that name
    `scheduler="processes"` themselves (`dask.compute(..., scheduler="processes")`), and
    collection writes there (`to_csv`, `to_parquet`, `store`, ... unless `compute=False`).
    DSK101 reports the choice of the processes scheduler itself; this rule reports the
    computation that crashes. A computation that names the processes scheduler itself is
    left to DSK101 when DSK101's LocalCluster fix moves it under a new `__main__` guard;
    when it does not (functions are defined after the call, `persist`, `initializer=`,
    `**kwargs`), this rule reports it, with its own guard fix.

    Notebooks, files exported from notebooks (jupytext's `# %%` and `# +` cells or YAML
    header, nbconvert's `# In[ ]:` prompts and `get_ipython()` calls) or written with
    IPython syntax, scratch files that show values at module level as an interactive
    window does (`client` alone on a line, twice or more), and test files are skipped:
    their `__main__` module is the notebook kernel or the test runner, which is guarded.
    Files among the tests that run as programs are checked: a file with a `__main__` block
    (that does not only start a test runner), or one that defines no tests (no `test*`
    function or `Test*` class, no `pytest`/`unittest` import, not `conftest.py`) and does
    things at module level for their effect, such as `print(...)` or a loop.

    ## Why is this bad?
    Dask starts worker processes with the `spawn` method by default (since dask 2.16.0,
    dask/dask#4003; distributed's `worker.multiprocessing-method` is `spawn`). A spawned
    process imports the main module again, so module-level code that starts processes
    runs again in every child. Python then refuses to start processes while the child is
    still bootstrapping: the processes scheduler fails with `BrokenProcessPool`/
    `RuntimeError`, and `Client()` fails with `RuntimeError: Nanny failed to start`. This
    happens on Linux too, not only on Windows and macOS.

    ## Example
    ```python
    from dask.distributed import Client

    client = Client()
    print(client.submit(sum, [1, 2]).result())
    ```

    Use instead:
    ```python
    from dask.distributed import Client

    if __name__ == "__main__":
        client = Client()
        print(client.submit(sum, [1, 2]).result())
    ```

    ## Fix safety
    The fix moves every module-level statement from the first offending one to the end of
    the file under a new `if __name__ == "__main__":` block. It is unsafe: other modules
    that import this one no longer get the names bound there, and the statements no longer
    run on import. When the module already ends with a `__main__` block, the statements
    before it move to its start instead.

    Functions, classes and imports defined in that region stay at module level, above the
    guard (worker processes import the module and must still find them there); they then
    run before the statements that preceded them. The fix is therefore not offered when a
    definition evaluates, when it runs, a name the moved statements bind (a default
    argument, a decorator, an annotation, a base class or a class body), when a moved
    statement before a definition reads or binds the name it defines (`def clean` written
    twice), when a function, class or import sits inside another statement (`if`, `try`,
    `with`), or when the region holds another `__main__` block.

    ## References
    - [Dask: Scheduling, standalone Python scripts](https://docs.dask.org/en/stable/scheduling.html#standalone-python-scripts)
    - [Python: multiprocessing, safe importing of main module](https://docs.python.org/3/library/multiprocessing.html#the-spawn-and-forkserver-start-methods)
    - dask/dask#4003 (spawn became the default start method)
    """

    code = "DSK201"
    name = "missing-main-guard"
    supersedes = frozenset({"DSK202"})
    summary = (
        'Worker processes started at module level without an `if __name__ == "__main__":` guard'
    )
    severity = Severity.ERROR
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = 'unsafe: move the statements under `if __name__ == "__main__":`'

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._found: list[tuple[cst.CSTNode, str]] = []

    def _skipped(self) -> bool:
        return self.context.is_test_file or self.context.interactive

    def _module_level(self) -> bool:
        if self.model.in_function():
            return False
        return not any(is_main_guard(node) for node in self.model.ancestors)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._module_level():
            return
        name = self.model.qualified_name(node.func)
        if (
            name is None
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in WRITE_METHODS
            and self.model.collection_kind(node.func.value) in _COLLECTIONS
            and not _compute_false(node)
        ):
            spec = self.model.scheduler_here()
            if spec is not None and spec.scheduler is Scheduler.PROCESSES:
                self._found.append(
                    (node, f"This write runs on the processes scheduler ({_chosen(spec)})")
                )
            return
        if name == "distributed.Client":
            positional = [a for a in node.args if a.keyword is None]
            keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
            if positional or _CONNECTS & keywords.keys() or _no_processes(self, keywords):
                return
            if any(a.star for a in node.args):
                return
            self._found.append((node, "`Client()` starts a local cluster of worker processes"))
        elif name in _SPAWNING_CLUSTERS:
            keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
            if _no_processes(self, keywords) or any(a.star for a in node.args):
                return
            short = name.rsplit(".", 1)[1]
            self._found.append((node, f"`{short}()` starts worker processes"))

    def finish(self) -> None:
        if self._skipped():
            return
        found = list(self._found)
        for site in self.model.compute_sites:
            if site.in_function:
                continue
            why = self._starts_processes(site)
            if why is None:
                continue
            if any(is_main_guard(a) for a in self.model.parents.ancestors(site.call)):
                continue
            found.append((site.call, why))
        if not found:
            return
        table = self.model.parents.table
        tops = [(self._top(node, table), node, why) for node, why in found]
        first_top = min((index for index, _, _ in tops if index is not None), default=None)
        nodes = [node for _, node, _ in tops]
        # A bag computed at module level without `.compute()` (`bag.take(1)`) before the
        # first reported computation starts the same processes: the guard starts there.
        guard_from = first_top
        for implicit in self.model.implicit_computes:
            if implicit.kind is not CollectionKind.BAG or guard_from is None:
                continue
            if any(
                isinstance(n, (cst.FunctionDef, cst.Lambda, cst.ClassDef)) or is_main_guard(n)
                for n in implicit.path
            ):
                continue
            index = self._top(implicit.node, table)
            if index is not None and index < guard_from:
                guard_from = index
                nodes.append(implicit.node)
        fix = self._fix(guard_from, nodes) if guard_from is not None else None
        for index, node, why in sorted(tops, key=lambda t: (t[0] is None, t[0] or 0)):
            head, paren, _ = why.partition(" (")
            self.report(
                node,
                f"{head} at module level without a `__main__` guard",
                fix=fix if index == first_top else None,
                help='put it under an `if __name__ == "__main__":` guard',
                notes=[
                    why if paren else "",
                    "worker processes are started with `spawn` (the default, on Linux too), "
                    "which imports this module again in each of them and fails with "
                    "`RuntimeError`",
                ],
            )
            if index == first_top:
                fix = None

    def _starts_processes(self, site: ComputeSite) -> str | None:
        """Why this computation starts worker processes, or None when it does not."""
        if site.function not in ("compute", "persist"):
            return None  # ``visualize`` draws the graph without running it
        legacy = keyword(site.call, "get")
        if legacy is not None and self.model.qualified_name(legacy.value) in _PROCESS_GETS:
            return "This computation runs on the processes scheduler (`get=` a multiprocessing get)"
        effective = site.effective
        if effective.scheduler is not Scheduler.PROCESSES:
            return None
        if effective.source is SchedulerSource.COLLECTION_DEFAULT:
            if self.model.cluster_runs_before(site):
                return None
            if CollectionKind.BAG not in site.collection_kinds:
                return None
            return "This computation runs on the processes scheduler (the default of `dask.bag`)"
        if effective.spec is None:
            return None
        if effective.source is SchedulerSource.EXPLICIT and self._guarded_by_dsk101(site):
            return None
        return f"This computation runs on the processes scheduler ({_chosen(effective.spec)})"

    def _guarded_by_dsk101(self, site: ComputeSite) -> bool:
        """DSK101 reports ``scheduler="processes"`` on this call, and its LocalCluster fix
        moves the computation under a new ``__main__`` guard: that finding speaks for the
        crash. When DSK101 offers no such fix (definitions follow the call, ``persist``,
        ``initializer=``...), this rule reports it, with the guard fix."""
        spec = site.scheduler
        if spec is None:
            return False
        fix = local_cluster_fix(self.model, self.module, site, spelled(spec.setting))
        return fix is not None and "__main__" in fix.title

    def _top(self, node: cst.CSTNode, table: dict[int, cst.CSTNode]) -> int | None:
        return top_level_index(self.module, table, node)

    def _fix(self, index: int, found: list[cst.CSTNode]) -> Fix | None:
        return guard_fix(self.module, index, found)


def _chosen(spec: SchedulerSpec) -> str:
    """Where the processes scheduler was chosen, for the message."""
    setting = spec.setting
    if setting.origin is SpecOrigin.COMPUTE_KEYWORD:
        return f"`{spelled(setting)}`"
    if setting.is_context_manager:
        return "chosen by the enclosing `with dask.config.set(...)`"
    return "chosen by `dask.config.set(...)` above"


def _compute_false(call: cst.Call) -> bool:
    """``to_parquet(..., compute=False)`` returns a lazy object instead of writing."""
    arg = keyword(call, "compute")
    return arg is not None and not (isinstance(arg.value, cst.Name) and arg.value.value == "True")


def _no_processes(rule: Rule, keywords: dict[str, cst.BaseExpression]) -> bool:
    """``processes=`` is given and not literally ``True`` (``False``, or unknown)."""
    value = keywords.get("processes")
    if value is None:
        return False
    constant = rule.model.constant(value)
    return constant is None or constant.value is not True
