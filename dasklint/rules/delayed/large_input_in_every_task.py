"""DSK309 large-input-in-every-task.

Its one walk (the ``_Rename`` transformer) rewrites the loop for the fix.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from dasklint.diagnostics import Applicability, FixAvailability, Severity
from dasklint.fix import Fix, NodeEdit
from dasklint.rule import Rule, RuleContext, RuleOption
from dasklint.rules._edits import dask_function_name
from dasklint.semantic.largevalues import LargeValue, large_value, mutated_in, rebound_in
from dasklint.semantic.loops import LoopContext
from dasklint.semantic.model import SemanticModel
from dasklint.semantic.names import Binding, BindingKind
from dasklint.semantic.parents import ParentLinks
from dasklint.semantic.task_call import TaskApi, recognise


@dataclass(frozen=True, slots=True, eq=False)
class _Use:
    """A large value passed by name to a delayed call inside a loop."""

    arg: cst.Name
    call: cst.Call
    binding: Binding
    value: LargeValue
    loops: LoopContext
    pure: bool


class LargeInputInEveryTask(Rule):
    """
    ## What it does
    Checks for a large concrete value, bound to a name before a loop, that is passed to a
    `dask.delayed` call in every iteration of the loop (or comprehension): a NumPy array
    or pandas object, the contents of a file (`np.load`, `pd.read_csv`, `f.read()`...),
    a byte string, or a list, set or dict built by a comprehension. Calls of
    `@dask.delayed` functions count too. The futures API (`client.submit`) is DSK703's.

    The size is rarely known statically: the finding is a warning when the value comes
    from a file or when the source writes a size of at least `min-elements` elements
    (`np.zeros((2000, 1000))`), and at info level when the size is unknown. A value of a
    known smaller size, and a loop of one iteration, are not reported. A file read with
    pandas or NumPy is also reported by DSK806, which suggests reading it in a task
    instead; this rule's fix keeps the read where it is and only stops the repetition.

    ## Why is this bad?
    A concrete argument of a delayed call is put into that call's task: with N calls the
    graph holds N references to the value, and a distributed Client pickles and ships it
    once per task (its "Sending large graph" warning appears past 10 MB). With
    `pure=True`, or with the `delayed_pure` setting, every call also hashes the whole
    value to name its task (measured: about 44 ms per call for an 80 MB array). Lists,
    tuples, sets and dicts are traversed element by element on every call, looking for
    lazy values inside. Measured on a LocalCluster with 20 tasks sharing a 40 MB array:
    2.61 s with the array in every call, 0.21 s with the array delayed once, 0.17 s
    scattered once. The Dask docs: "Avoid repeatedly putting large inputs into delayed
    calls".

    ## Example
    ```python
    import dask
    import numpy as np

    def train(x, seed):
        return float(x.sum()) + seed

    data = np.ones((10_000, 1_000))
    models = [dask.delayed(train)(data, seed) for seed in range(100)]
    dask.compute(*models)
    ```

    Use instead:
    ```python
    import dask
    import numpy as np

    def train(x, seed):
        return float(x.sum()) + seed

    data = np.ones((10_000, 1_000))
    data_d = dask.delayed(data)
    models = [dask.delayed(train)(data_d, seed) for seed in range(100)]
    dask.compute(*models)
    ```

    ## Fix safety
    An unsafe fix adds `<name>_d = dask.delayed(<name>)` just before the statement that
    holds the loop, and passes `<name>_d` instead of `<name>` to the delayed calls in the
    loop. The graph then has one task holding the value, and every call depends on it;
    the tasks receive the same value. `dask.delayed` is spelled as the module already
    spells it (`delayed` after `from dask import delayed`); `import dask` is added only
    when the module has neither.

    It is unsafe because what the tasks receive is no longer the very object the loop
    sees: a list, tuple, set or dict is rebuilt once by that one task (a copy, instead of
    a copy per call), so a task that mutates its argument now shares that mutation with
    the other tasks on the threaded scheduler; and the task keys change. It is not
    offered when the loop rebinds the name, calls a method on it or assigns into it (the
    object could change between iterations, and each call would have seen a different
    state), or when the loop's statement is not in a block of statements.

    With a distributed Client, `client.scatter(<name>)` ships the value to the workers
    once, before the graph; it is not offered because it needs the Client in hand and
    changes the value into a Future. Delaying once works with every scheduler.

    ## Options
    - `min-elements` (int, default `1000000`): a value whose size the source writes is
      reported from this many elements (bytes for byte strings) on, as a warning.

    ## References
    - [Dask: Delayed best practices, avoid repeatedly putting large inputs into delayed calls](https://docs.dask.org/en/stable/delayed-best-practices.html#avoid-repeatedly-putting-large-inputs-into-delayed-calls)
    - [Dask: Best practices, load data with Dask](https://docs.dask.org/en/stable/best-practices.html#load-data-with-dask)
    - [distributed: Client.scatter](https://distributed.dask.org/en/stable/api.html#distributed.Client.scatter)
    """

    code = "DSK309"
    name = "large-input-in-every-task"
    deliberate_in_tests = True
    summary = "Large concrete value passed to a delayed call in every iteration of a loop"
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "unsafe: delay the value once before the loop and pass the Delayed"
    options = (
        RuleOption(
            "min-elements",
            1_000_000,
            "A value whose size the source writes is reported from this many elements on.",
        ),
    )

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._uses: list[_Use] = []

    def visit_Call(self, node: cst.Call) -> None:
        if not self.model.in_loop():
            return
        found = recognise(self.model, node)
        if found is None or found[0] is not TaskApi.DELAYED:
            return
        loops = self.model.tasks.loop_context()
        if not loops.in_loop:
            return
        pure = _pure(node)
        for arg in found[2]:
            value = arg.value
            if arg.star or not isinstance(value, cst.Name) or value.value in loops.targets:
                continue
            binding = self.model.scopes.lookup(value.value)
            if binding is None or binding.kind is not BindingKind.VALUE or binding.value is None:
                continue
            if self.model.tasks.lazy_kind(value) is not None:
                continue
            large = large_value(self.model, binding.value)
            if large is not None:
                self._uses.append(_Use(value, node, binding, large, loops, pure))

    def finish(self) -> None:
        minimum = self.option("min-elements")
        assert isinstance(minimum, int)
        groups: dict[tuple[int, int], list[_Use]] = {}
        for use in self._uses:
            outer = use.loops.loops[0].node
            iterations = use.loops.iterations
            if iterations is not None and iterations < 2:
                continue
            size = use.value.size
            if size is not None and size < minimum:
                continue
            name = use.arg.value
            if _inside(self.model.parents, use.binding.node, outer) or rebound_in(outer, name):
                continue  # the value changes with the iteration
            groups.setdefault((id(use.binding), id(outer)), []).append(use)
        for uses in groups.values():
            fix = self._fix(uses)
            for use in uses:
                self._report(use, minimum, fix)

    def _report(self, use: _Use, minimum: int, fix: Fix | None) -> None:
        name, value = use.arg.value, use.value
        certain = value.from_file or (value.size is not None and value.size >= minimum)
        count = use.loops.iterations
        tasks = f"each of the {count:,} tasks" if count is not None else "every task"
        hashed = " and hashed (`pure=True`)" if use.pure else ""
        self.report(
            use.arg,
            f"`{name}` ({value.what}) is passed to a delayed call in every iteration",
            severity=None if certain else Severity.INFO,
            fix=fix,
            help=f"delay it once before the loop (`{name}_d = dask.delayed({name})`) and pass that",
            notes=[
                f"{tasks} it creates carries it: it is pickled and shipped with every task{hashed}"
            ],
        )

    def _fix(self, uses: list[_Use]) -> Fix | None:
        name = uses[0].arg.value
        outer = uses[0].loops.loops[0].node
        if mutated_in(outer, name):
            return None
        statement = _statement(self.model.parents, outer)
        delayed, imports = dask_function_name(self.model, "delayed")
        if statement is None or delayed is None:
            return None
        new_name = _free_name(self.model, name)
        replaced = statement.visit(_Rename({id(u.arg) for u in uses}, new_name))
        assert isinstance(replaced, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
        assign = cst.parse_statement(
            f"{new_name} = {delayed}({name})\n", config=self.module.config_for_parsing
        )
        assign = assign.with_changes(leading_lines=statement.leading_lines)
        replaced = replaced.with_changes(leading_lines=())
        return Fix(
            f"Delay `{name}` once before the loop and pass `{new_name}`",
            Applicability.UNSAFE,
            (NodeEdit(statement, cst.FlattenSentinel([assign, replaced])),),
            add_imports=imports,
            caveat="the tasks share one task's copy of the value",
        )


class _Rename(cst.CSTTransformer):
    """Replace the given ``Name`` nodes (by identity) with another name."""

    def __init__(self, ids: set[int], new: str) -> None:
        super().__init__()
        self.ids = ids
        self.new = new

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if id(original_node) in self.ids:
            return updated_node.with_changes(value=self.new)
        return updated_node


def _pure(call: cst.Call) -> bool:
    """``delayed(f, pure=True)(...)`` or ``f(..., pure=True)``."""
    calls = [call, call.func] if isinstance(call.func, cst.Call) else [call]
    return any(
        a.keyword is not None
        and a.keyword.value == "pure"
        and isinstance(a.value, cst.Name)
        and a.value.value == "True"
        for c in calls
        if isinstance(c, cst.Call)
        for a in c.args
    )


def _inside(links: ParentLinks, node: cst.CSTNode | None, outer: cst.CSTNode) -> bool:
    return node is not None and links.inside(node, outer)


def _statement(
    links: ParentLinks, node: cst.CSTNode
) -> cst.SimpleStatementLine | cst.BaseCompoundStatement | None:
    """The statement holding ``node`` that sits directly in a block of statements."""
    table = links.table
    for current in [node, *links.ancestors(node)]:
        parent = table.get(id(current))
        if isinstance(parent, (cst.IndentedBlock, cst.Module)):
            if isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return current
            return None
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and current is not node:
            return None
    return None


def _free_name(model: SemanticModel, name: str) -> str:
    candidates = [f"{name}_d", f"{name}_delayed", *(f"{name}_d{i}" for i in range(1, 100))]
    return next(c for c in candidates if c not in model.written_names)
