"""DSK203 cluster-created-per-call."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleContext
from dasklint.rules._common import source_of
from dasklint.semantic.lifecycle import starts_cluster
from dasklint.semantic.loops import Loop, names_in, stops_early
from dasklint.semantic.names import BindingKind


@dataclass(frozen=True, slots=True)
class _Start:
    """A call that starts a cluster, and where it runs."""

    call: cst.Call
    scope: cst.CSTNode | None  # the function it is in; None at module level
    loop: Loop | None  # the innermost loop around it in its function
    varies: bool  # its arguments use the loop's targets or the function's parameters


@dataclass(frozen=True, slots=True)
class _CallSite:
    call: cst.Call
    callee: cst.FunctionDef
    scope: cst.CSTNode | None
    loop: Loop | None


class ClusterCreatedPerCall(Rule):
    """
    ## What it does
    Checks for a cluster started in a loop: `LocalCluster(...)` (or `SubprocessCluster`,
    `SpecCluster`, `SSHCluster`) or a `Client(...)` without an address (which starts a
    `LocalCluster`), written in the body of a loop or a comprehension, or in a function
    that is called in a loop in the same module (directly or through other functions of
    the module).

    Not reported: a cluster created once (at module level, under
    `if __name__ == "__main__":`, or in a function called once), a `Client` that connects
    to an address or an existing cluster (cheap), clusters whose arguments use the loop
    variable or the function's parameters (a benchmark over cluster sizes starts a
    different cluster each time on purpose), and loops that `break` or `return` (retry
    loops start one cluster that works).

    ## Why is this bad?
    Starting a cluster is slow: a `LocalCluster` with four worker processes took about
    1.15 s to start on a two-core machine, every time, before any task runs. Each new
    cluster also starts with empty workers: nothing computed, scattered or imported by
    the previous one is there any more. Create the cluster once at the program's entry
    point and pass the `Client` (or call `distributed.get_client()`) where it is needed.

    ## Example
    ```python
    from dask.distributed import Client, LocalCluster

    def process(path):
        with LocalCluster(n_workers=2) as cluster, Client(cluster) as client:
            return client.submit(len, path).result()

    if __name__ == "__main__":
        for path in ["a.csv", "b.csv"]:
            process(path)
    ```

    Use instead:
    ```python
    from dask.distributed import Client, LocalCluster

    def process(client, path):
        return client.submit(len, path).result()

    if __name__ == "__main__":
        with LocalCluster(n_workers=2) as cluster, Client(cluster) as client:
            for path in ["a.csv", "b.csv"]:
                process(client, path)
    ```

    ## Fix safety
    No fix is offered: moving the cluster out of the function changes the function's
    signature or makes it depend on a Client created by its callers.

    ## References
    - [Dask: Best practices, avoid unnecessary overhead](https://docs.dask.org/en/stable/best-practices.html)
    - [Dask: Deploy Dask clusters, local cluster](https://docs.dask.org/en/stable/deploying-python.html)
    """

    code = "DSK203"
    name = "cluster-created-per-call"
    deliberate_in_tests = True
    summary = "A cluster is started on every iteration of a loop"
    severity = Severity.WARNING
    fix_summary = "none"

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._starts: list[_Start] = []
        self._calls: list[_CallSite] = []

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.model.qualified_name(node.func)
        if starts_cluster(qualified, node):
            loop = self._innermost_loop()
            scope = self.model.function_node()
            self._starts.append(_Start(node, scope, loop, self._varies(node, loop, scope)))
            return
        if isinstance(node.func, cst.Name):
            binding = self.model.scopes.lookup(node.func.value)
            if (
                binding is not None
                and binding.kind is BindingKind.FUNCTION
                and isinstance(binding.node, cst.FunctionDef)
            ):
                site = _CallSite(
                    node, binding.node, self.model.function_node(), self._innermost_loop()
                )
                self._calls.append(site)

    def _innermost_loop(self) -> Loop | None:
        if not self.model.in_loop():
            return None
        loops = self.model.tasks.loop_context().loops
        return loops[-1] if loops else None

    def _varies(self, call: cst.Call, loop: Loop | None, scope: cst.CSTNode | None) -> bool:
        names: set[str] = set().union(*(names_in(arg.value) for arg in call.args))
        if loop is not None:
            return bool(names & loop.targets)
        if isinstance(scope, (cst.FunctionDef, cst.Lambda)):
            params = scope.params
            every = [*params.posonly_params, *params.params, *params.kwonly_params]
            every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
            return bool(names & {p.name.value for p in every})
        return False

    def finish(self) -> None:
        # Functions that start a cluster each time they run: function -> (start, path).
        per_call: dict[int, tuple[_Start, tuple[str, ...]]] = {}
        for start in self._starts:
            if start.varies:
                continue
            if start.loop is not None:
                if not stops_early(start.loop.node):
                    self.report(
                        start.call,
                        f"`{_shown(start.call)}` starts a new cluster on every iteration",
                        help="create it once before the loop and reuse it",
                        notes=[f"every iteration of {_loop_phrase(start.loop)}: {_COST}"],
                    )
                continue
            if isinstance(start.scope, cst.FunctionDef) and id(start.scope) not in per_call:
                per_call[id(start.scope)] = (start, (start.scope.name.value,))
        reported: set[int] = set()
        changed = True
        while changed:
            changed = False
            for site in self._calls:
                found = per_call.get(id(site.callee))
                if found is None:
                    continue
                start, path = found
                if site.loop is not None:
                    if id(start.call) not in reported and not stops_early(site.loop.node):
                        reported.add(id(start.call))
                        self.report(
                            start.call,
                            f"`{_shown(start.call)}` starts a new cluster each time "
                            f"{_path_phrase(path)} runs",
                            help="create the cluster once at the program's entry point and "
                            "pass the Client",
                            notes=[f"`{path[-1]}` is called in {_loop_phrase(site.loop)}: {_COST}"],
                        )
                    continue
                caller = site.scope
                if (
                    isinstance(caller, cst.FunctionDef)
                    and id(caller) not in per_call
                    and caller is not site.callee
                ):
                    per_call[id(caller)] = (start, (*path, caller.name.value))
                    changed = True


_COST = (
    "starting a cluster takes about a second (1.15 s measured for four worker processes) "
    "and its workers start empty"
)


def _loop_phrase(loop: Loop) -> str:
    node = loop.node
    if isinstance(node, cst.For):
        return f"the loop `for {source_of(node.target)} in {source_of(node.iter)}`"
    if isinstance(node, cst.While):
        return "a `while` loop"
    return "a comprehension"


def _path_phrase(path: tuple[str, ...]) -> str:
    if len(path) == 1:
        return f"`{path[0]}`"
    return f"`{path[0]}` (through " + ", ".join(f"`{p}`" for p in path[1:]) + ")"


def _shown(call: cst.Call) -> str:
    func = source_of(call.func)
    return f"{func}(...)" if call.args else f"{func}()"
