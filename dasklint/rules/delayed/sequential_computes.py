"""DSK304 sequential-computes.

Its one walk (``_inert``) only decides whether the fix may move a receiver's evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from dasklint.diagnostics import Applicability, Confidence, FixAvailability, Severity
from dasklint.fix import Fix, NodeEdit
from dasklint.rule import Rule, RuleContext
from dasklint.rules._edits import dask_name as spell_dask
from dasklint.semantic import CollectionKind, ComputeSite
from dasklint.semantic.flow import innermost_loop, repeat_reason
from dasklint.semantic.scheduler import Receiver
from dasklint.semantic.scopenames import scope_names
from dasklint.semantic.tree import iter_children, read_names

# Nodes that may run code or change bindings when a receiver expression is evaluated.
_EFFECTFUL = (cst.Await, cst.Yield, cst.NamedExpr)
# Methods that take a function and may call it while the graph is built (to infer
# metadata): no fix, since that code would run earlier than before.
_TAKES_FUNCTION = frozenset(
    {
        "map_partitions", "map_blocks", "map_overlap", "apply", "applymap", "map", "pipe",
        "reduction", "aggregate", "agg", "transform", "blockwise", "foldby", "fold",
        "filter", "starmap", "reduce",
    }
)  # fmt: skip
# Context managers whose ``__exit__`` never swallows an exception (dask 2026.8.0).
_PASSING_MANAGERS = frozenset(
    {
        "dask.config.set", "distributed.Client", "distributed.LocalCluster",
        "distributed.performance_report", "dask.diagnostics.ProgressBar",
        "dask.diagnostics.Profiler", "dask.diagnostics.ResourceProfiler",
        "dask.diagnostics.CacheProfiler",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Candidate:
    line: cst.SimpleStatementLine
    target: str
    receiver: cst.BaseExpression
    kind: CollectionKind | None  # None: a receiver the source does not prove
    plain: bool  # the receiver only builds a graph: methods and indexing on a name


class SequentialComputes(Rule):
    """
    ## What it does
    Checks for two or more consecutive statements of the form `name = <lazy>.compute()`
    (no arguments), where no later statement uses a name computed by an earlier one, in
    the same block. Statements inside loops are left to `compute-in-loop` (DSK303),
    except in loops that compute once per iteration on purpose (that loop in batches,
    load a collection piece by piece, time each computation, ...: see DSK303), where
    computing each iteration's results together is what remains to gain.

    When a receiver's type is not shown by the source (a `.compute()` in a module that
    imports Dask, on the result of another library's function), the finding has `medium`
    confidence and no fix.

    ## Why is this bad?
    Each `.compute()` runs its own graph: parts the results share (reading the data,
    common intermediate results) are computed again for every call, and the calls run one
    after the other. `dask.compute(a, b)` runs one graph, computes the shared parts once
    and can run the independent parts in parallel. Computing several results together
    can raise peak memory when they are all large; keep them separate then.

    ## Example
    ```python
    import dask.array as da

    x = da.random.random((1000, 1000), chunks=(100, 100))
    mean = x.mean().compute()
    std = x.std().compute()
    ```

    Use instead:
    ```python
    import dask
    import dask.array as da

    x = da.random.random((1000, 1000), chunks=(100, 100))
    mean, std = dask.compute(x.mean(), x.std())
    ```

    ## Fix safety
    The fix replaces the statements with one `a, b = dask.compute(<lazy a>, <lazy b>)`
    (adding `import dask` when needed). It is safe: the same values are bound to the same
    names. It is offered only when each lazy expression is a chain of methods, attributes
    and indexing on a name, with arguments that call nothing (building such a graph runs
    no user code, so evaluating the later expressions before the first computation
    changes nothing), when all results use the same default scheduler (bags use
    processes, the other collections threads), and when no comment would be lost.

    It is not offered where a result could be read after a later computation raised:
    inside a `try` (or a `with` whose context manager may swallow the error; Dask's own,
    such as `dask.config.set` and `Client`, do not) in the same function, or for names
    declared `global`/`nonlocal`. There the separate statements keep the first results
    when the last one fails (`rows` keeps its value, an `except` block can still read
    it), and one `dask.compute` would bind none of them (`rows` keeps its old value, or
    reading it raises `NameError`).

    ## References
    - [Dask: Best practices, avoid calling compute repeatedly](https://docs.dask.org/en/stable/best-practices.html#avoid-calling-compute-repeatedly)
    - [Dask: Delayed best practices, compute on lots of computation at once](https://docs.dask.org/en/stable/delayed-best-practices.html#compute-on-lots-of-computation-at-once)
    """

    code = "DSK304"
    name = "sequential-computes"
    deliberate_in_tests = True
    summary = "Consecutive `.compute()` calls that one `dask.compute` could run together"
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "safe: one `dask.compute` call for the adjacent statements"

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._blocks: list[_Block] = []

    def visit_Module(self, node: cst.Module) -> None:
        self._blocks.append(_Block(node.body, None, caught=False))

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        scope: cst.FunctionDef | cst.ClassDef | None = None
        caught = False
        for ancestor in reversed(self.model.ancestors):
            if isinstance(ancestor, (cst.FunctionDef, cst.ClassDef)):
                scope = ancestor
                break
            if isinstance(ancestor, (cst.Try, cst.TryStar)) or (
                isinstance(ancestor, cst.With) and not self._lets_errors_through(ancestor)
            ):
                caught = True
        self._blocks.append(_Block(node.body, scope, caught))

    def _lets_errors_through(self, node: cst.With) -> bool:
        """Each context manager is one of Dask's, known not to swallow exceptions."""
        for item in node.items:
            manager = item.item
            if isinstance(manager, cst.Call):
                if self.model.qualified_name(manager.func) not in _PASSING_MANAGERS:
                    return False
            elif self.model.collection_kind(manager) is not CollectionKind.CLIENT:
                return False
        return True

    def finish(self) -> None:
        clocks = frozenset(self.model.clock_calls)
        sites = {
            id(site.call): site
            for site in self.model.compute_sites
            if site.is_method
            and site.function == "compute"
            and site.receiver is not Receiver.UNKNOWN
            and (not site.in_loop or _repeats_on_purpose(site, clocks))
        }
        for block in self._blocks:
            run: list[_Candidate] = []
            for statement in block.body:
                candidate = _candidate(statement, sites)
                if candidate is not None and run and _depends(candidate, run):
                    self._emit(run, block)
                    run = []
                if candidate is None:
                    self._emit(run, block)
                    run = []
                else:
                    run.append(candidate)
            self._emit(run, block)

    def _emit(self, run: list[_Candidate], block: _Block) -> None:
        if len(run) < 2:
            return
        names = ", ".join(c.target for c in run)
        proven = all(c.kind is not None for c in run)
        self.report(
            run[0].line,
            f"{len(run)} consecutive `.compute()` calls ({names}) each run their own graph",
            fix=None if _results_outlive_an_error(run, block) or not proven else self._fix(run),
            confidence=Confidence.HIGH if proven else Confidence.MEDIUM,
            help=f"compute them together: `{names} = dask.compute(...)`",
            notes=[f"shared work is done {len(run)} times and nothing runs in parallel"],
        )

    def _fix(self, run: list[_Candidate]) -> Fix | None:
        if not all(c.plain for c in run):
            return None
        if len({c.kind is CollectionKind.BAG for c in run}) != 1:
            return None  # bags and the other collections have different default schedulers
        for position, candidate in enumerate(run):
            line = candidate.line
            if position and (
                _has_comment(line.trailing_whitespace)
                or any(e.comment is not None for e in line.leading_lines)
            ):
                return None  # the first line's comments stay; later ones would be lost
        dask_name, imports = spell_dask(self.model)
        if dask_name is None:
            return None
        module = cst.Module([])
        targets = ", ".join(c.target for c in run)
        values = ", ".join(module.code_for_node(c.receiver) for c in run)
        new = cst.parse_statement(f"{targets} = {dask_name}.compute({values})\n")
        assert isinstance(new, cst.SimpleStatementLine)
        new = new.with_changes(
            leading_lines=run[0].line.leading_lines,
            trailing_whitespace=run[0].line.trailing_whitespace,
        )
        edits = [NodeEdit(run[0].line, new)]
        edits.extend(NodeEdit(c.line, cst.RemovalSentinel.REMOVE) for c in run[1:])
        return Fix(
            f"Compute them together: `{targets} = {dask_name}.compute(...)`",
            Applicability.SAFE,
            tuple(edits),
            add_imports=imports,
        )


@dataclass(frozen=True, slots=True)
class _Block:
    body: Sequence[cst.BaseStatement | cst.BaseSmallStatement]
    scope: cst.FunctionDef | cst.ClassDef | None  # None: the module
    caught: bool  # in a ``try``, or a ``with`` that may swallow errors, in its scope


def _results_outlive_an_error(run: list[_Candidate], block: _Block) -> bool:
    """A result bound before a later computation raises could still be read: the error
    is caught in the same scope, or the names are the module's (``global``) or an
    enclosing function's (``nonlocal``). One ``dask.compute`` would bind none of them."""
    if block.caught:
        return True
    if block.scope is None:
        return False
    declared = scope_names(block.scope).declared
    return any(c.target in declared for c in run)


def _repeats_on_purpose(site: ComputeSite, clocks: frozenset[int]) -> bool:
    """``site`` is in a loop that computes once per iteration on purpose (DSK303 is
    silent there)."""
    loop = innermost_loop(site.path, site.call)
    return loop is not None and repeat_reason(site.path, site.call, loop, clocks) is not None


def _candidate(
    statement: cst.BaseStatement | cst.BaseSmallStatement, sites: dict[int, ComputeSite]
) -> _Candidate | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    call = _computed(assign.value)
    if not isinstance(target, (cst.Name, cst.Subscript)) or call is None or call.args:
        return None
    site = sites.get(id(call))
    if site is None or not isinstance(call.func, cst.Attribute):
        return None
    kind = site.collection_kinds[0] if site.collection_kinds else None
    if kind is not None and not kind.is_collection:
        return None
    if kind is None and site.receiver is not Receiver.LIKELY:
        return None
    receiver = call.func.value
    plain = isinstance(target, cst.Name) and call is assign.value and _plain(receiver)
    name = target.value if isinstance(target, cst.Name) else cst.Module([]).code_for_node(target)
    return _Candidate(statement, name, receiver, kind, plain)


def _computed(value: cst.BaseExpression) -> cst.Call | None:
    """The ``.compute()`` call that ``value`` is, or reads a value of (``x.compute().values``)."""
    while isinstance(value, cst.Attribute):
        value = value.value
    return value if isinstance(value, cst.Call) else None


def _depends(candidate: _Candidate, run: list[_Candidate]) -> bool:
    earlier = {c.target for c in run}
    if candidate.target in earlier:
        return True
    roots = {_root(c.target) for c in run}
    return any(name.value in earlier | roots for name in read_names(candidate.receiver))


def _root(target: str) -> str:
    """The name a target changes: ``buf`` for ``buf[i:j]``."""
    return target.split("[", 1)[0].split(".", 1)[0]


def _plain(expr: cst.BaseExpression) -> bool:
    """A chain of methods, attributes and indexing on a name, calling nothing else."""
    while True:
        if isinstance(expr, cst.Name):
            return True
        if isinstance(expr, cst.Attribute):
            expr = expr.value
        elif isinstance(expr, cst.Subscript):
            if not all(_inert(e) for e in expr.slice):
                return False
            expr = expr.value
        elif isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
            if expr.func.attr.value in _TAKES_FUNCTION or not all(_inert(a) for a in expr.args):
                return False
            expr = expr.func.value
        else:
            return False


def _inert(node: cst.CSTNode) -> bool:
    """Evaluating ``node`` calls nothing (lambdas are created, not called)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Call, *_EFFECTFUL)):
            return False
        if isinstance(current, cst.Lambda):
            continue
        stack.extend(iter_children(current))
    return True


def _has_comment(whitespace: cst.TrailingWhitespace) -> bool:
    return whitespace.comment is not None
