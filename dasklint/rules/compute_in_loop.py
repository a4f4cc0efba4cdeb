"""DSK303 compute-in-loop."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, unsafe
from dasklint.rule import Rule
from dasklint.rules._edits import ancestors, parents
from dasklint.rules._edits import dask_name as spell_dask
from dasklint.rules._futures import bound_names, preorder, reads
from dasklint.semantic import ComputeSite, Scheduler, SchedulerSource
from dasklint.semantic.tree import iter_children, read_names, walk_subtree

_LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_BOUNDARIES = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Module)


class ComputeInLoop(Rule):
    """
    ## What it does
    Checks for `.compute()` on a Dask collection or Delayed object, and for
    `dask.compute(...)`, inside a `for` loop or a comprehension.

    Loops whose iterations depend on the computed values are not reported, because there
    computing inside the loop is inherent: `while` loops (a `while not converged:`
    solver), loops that `break` or `return`, and loops whose computed value feeds the
    next iteration's computation (`state = step(state).compute()`, or through other
    names: the result updates `centers`, which the next iteration's lazy value reads),
    and loops that compute with a
    `scheduler=` that is not a constant (comparing schedulers). Computations that run on the
    processes scheduler chosen with `scheduler=` or `dask.config.set` are reported by
    DSK108 (processes-compute-in-loop) instead, which also explains the pool start-up.

    ## Why is this bad?
    Each `compute()` blocks until its result is back, so the iterations run one after
    another instead of in parallel, and intermediate results they share are computed
    again in every iteration. Building all the lazy values first and computing them in one
    call lets Dask run them together and share common parts.

    ## Example
    ```python
    import dask

    def inc(x):
        return x + 1

    results = []
    for x in range(10):
        results.append(dask.delayed(inc)(x).compute())
    ```

    Use instead:
    ```python
    import dask

    def inc(x):
        return x + 1

    results = []
    for x in range(10):
        results.append(dask.delayed(inc)(x))
    results = list(dask.compute(*results))
    ```

    ## Fix safety
    A fix is offered for the canonical pattern only: a `for` loop (without `else:`) whose
    body appends `<expr>.compute()` to a list that the loop does not otherwise read. It
    appends `<expr>` instead and adds `lst = list(dask.compute(*lst))` after the loop. It
    is unsafe: all the results are computed together (peak memory can grow), errors are
    raised after the loop instead of in the failing iteration, and code in the loop that
    has side effects now runs before any computation.

    ## References
    - [Dask: Delayed best practices, compute on lots of computation at once](https://docs.dask.org/en/stable/delayed-best-practices.html#compute-on-lots-of-computation-at-once)
    - [Dask: Best practices, avoid calling compute repeatedly](https://docs.dask.org/en/stable/best-practices.html#avoid-calling-compute-repeatedly)
    """

    code = "DSK303"
    name = "compute-in-loop"
    deliberate_in_tests = True
    summary = "`compute()` inside a loop runs the iterations one after another"
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    planned_fix = "unsafe: collect the lazy values and compute them once after the loop"

    def finish(self) -> None:
        for site in self.model.compute_sites:
            if not site.in_loop or site.function != "compute":
                continue
            if site.is_method and site.collection_kinds == (None,):
                continue  # a ``.compute()`` of some other library
            effective = site.effective
            if (
                effective.scheduler is Scheduler.PROCESSES
                and effective.source is not SchedulerSource.COLLECTION_DEFAULT
            ):
                continue  # DSK108
            if site.scheduler is not None and site.scheduler.setting.value is None:
                continue  # ``for sched in [...]: x.compute(scheduler=sched)``: a comparison
            loop = self._loop(site.call)
            if loop is None or self._inherent(loop, site.call):
                continue
            self.report(
                site.call,
                "This computation runs once per loop iteration and blocks until its result is "
                "back, so the iterations run one after another and shared intermediate "
                "results are recomputed; build all the lazy values and call `dask.compute` once",
                fix=self._fix(site, loop),
            )

    def _loop(self, call: cst.Call) -> cst.CSTNode | None:
        """The innermost loop around ``call`` in its function (None if it is only in the
        outermost iterable of a comprehension)."""
        child: cst.CSTNode = call
        for node in ancestors(self.module, call):
            if isinstance(node, _BOUNDARIES):
                return None
            if isinstance(node, _LOOPS):
                if isinstance(node, cst.For) and child is not node.body:
                    child = node
                    continue  # in the iterable or target: evaluated once
                if isinstance(
                    node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
                ) and _in(node.for_in.iter, call):
                    child = node
                    continue
                return node
            child = node
        return None

    def _inherent(self, loop: cst.CSTNode, call: cst.Call) -> bool:
        if isinstance(loop, cst.While):
            return True
        if isinstance(loop, cst.For) and _exits_early(loop.body):
            return True
        # ``state = step(state).compute()``: the result feeds the next iteration.
        statement = parents(self.module).get(id(call))
        if isinstance(statement, cst.Assign):
            assigned = {t.target.value for t in statement.targets if isinstance(t.target, cst.Name)}
            if assigned & reads(call):
                return True
        return isinstance(loop, cst.For) and bool(
            _fed_by_result(self.module, loop, call) & _needed_from_before(self.module, loop, call)
        )

    def _fix(self, site: ComputeSite, loop: cst.CSTNode) -> Fix | None:
        call = site.call
        if not (site.is_method and not call.args and isinstance(loop, cst.For)):
            return None
        if loop.orelse is not None or not isinstance(call.func, cst.Attribute):
            return None
        table = parents(self.module)
        arg = table.get(id(call))
        append = table.get(id(arg))
        expr = table.get(id(append))
        line = table.get(id(expr))
        if not (
            isinstance(arg, cst.Arg)
            and isinstance(append, cst.Call)
            and len(append.args) == 1
            and isinstance(append.func, cst.Attribute)
            and append.func.attr.value == "append"
            and isinstance(append.func.value, cst.Name)
            and isinstance(expr, cst.Expr)
            and isinstance(line, cst.SimpleStatementLine)
            and isinstance(loop.body, cst.IndentedBlock)
            and line in loop.body.body
        ):
            return None
        target = append.func.value.value
        uses = [n for n in read_names(loop) if n.value == target]
        if len(uses) != 1:
            return None  # the list is read elsewhere in the loop
        if not isinstance(table.get(id(loop)), (cst.IndentedBlock, cst.Module)):
            return None
        dask_name, imports = spell_dask(self.model)
        if dask_name is None:
            return None
        new_loop = loop.deep_replace(call, call.func.value)
        after = cst.parse_statement(f"{target} = list({dask_name}.compute(*{target}))\n")
        return unsafe(
            f"Append the lazy values and compute them once after the loop: "
            f"`{target} = list({dask_name}.compute(*{target}))` (unsafe: results, errors and "
            "side effects happen after the loop, all at once)",
            loop,
            cst.FlattenSentinel([new_loop, after]),
            add_imports=imports,
        )


def _fed_by_result(module: cst.Module, loop: cst.For, call: cst.Call) -> set[str]:
    """Names the loop body binds, directly or through other names, from the computed
    value: ``idx = set(compute(x))``, then ``seen |= idx``, then ``centers = f(seen)``."""
    table = parents(module)
    fed: set[str] = set()
    current: cst.CSTNode | None = table.get(id(call))
    while current is not None and current is not loop:
        fed |= bound_names(current)
        current = table.get(id(current))
    binders = [n for n in preorder(loop.body) if bound_names(n)]
    changed = True
    while changed:
        changed = False
        for node in binders:
            names = bound_names(node)
            if not names <= fed and _binding_reads(node) & fed:
                fed |= names
                changed = True
    return fed


def _needed_from_before(module: cst.Module, loop: cst.For, call: cst.Call) -> set[str]:
    """Names the computation reads as they were at the start of the iteration: the call's
    own names, and those of the bindings before it that they come from (a name bound
    unconditionally on the way no longer carries the previous iteration's value)."""
    table = parents(module)
    holder: cst.CSTNode | None = table.get(id(call))
    while holder is not None and not isinstance(holder, _STATEMENTS):
        holder = table.get(id(holder))
    before: list[cst.CSTNode] = []
    for node in preorder(loop.body):
        if node is holder or node is call:
            break
        if bound_names(node):
            before.append(node)
    needed = reads(call)
    for node in reversed(before):
        names = bound_names(node)
        if not names & needed:
            continue
        if _unconditional(table, node, loop):
            needed -= names
        needed |= _binding_reads(node)
    return needed


_STATEMENTS = (cst.BaseSmallStatement, cst.BaseCompoundStatement)
# Nodes between a binding and the loop that still run once every iteration, in order.
_STRAIGHT = (cst.IndentedBlock, cst.SimpleStatementLine, cst.SimpleStatementSuite, cst.With)


def _binding_reads(node: cst.CSTNode) -> set[str]:
    """What a binding reads: the value of ``x = value``; all of ``x += v``, ``x[i] = v``,
    ``x.append(v)``, which keep part of the old ``x``."""
    if isinstance(node, cst.Assign) and all(
        isinstance(t.target, (cst.Name, cst.Tuple, cst.List)) for t in node.targets
    ):
        return reads(node.value)
    if isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
        return reads(node.value) if node.value is not None else set()
    if isinstance(node, (cst.For, cst.CompFor)):
        return reads(node.iter)
    if isinstance(node, cst.WithItem):
        return reads(node.item)
    if isinstance(node, cst.NamedExpr):
        return reads(node.value)
    return reads(node)


def _unconditional(table: dict[int, cst.CSTNode], node: cst.CSTNode, loop: cst.For) -> bool:
    """``node`` is a plain assignment that runs in every iteration before what follows."""
    if not isinstance(node, (cst.Assign, cst.AnnAssign)):
        return False
    current = table.get(id(node))
    while current is not None and current is not loop:
        if not isinstance(current, _STRAIGHT):
            return False
        current = table.get(id(current))
    return current is loop


def _in(container: cst.CSTNode, node: cst.CSTNode) -> bool:
    return any(current is node for current in walk_subtree(container))


def _exits_early(body: cst.CSTNode) -> bool:
    stack = [body]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Break, cst.Return)):
            return True
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(current, (cst.For, cst.While)):
            # A ``break`` in a nested loop leaves only that loop; a ``return`` leaves all.
            if _has_return(current):
                return True
            continue
        stack.extend(iter_children(current))
    return False


def _has_return(node: cst.CSTNode) -> bool:
    """A ``return`` of this function (not of a nested one) somewhere in ``node``."""
    return any(
        isinstance(current, cst.Return)
        for current in walk_subtree(node, prune=lambda n: isinstance(n, _NEW_SCOPES))
    )


_NEW_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
