"""DSK315 single-giant-task."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleContext
from dasklint.semantic.arguments import Slot, bind_arguments
from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.elementloops import ElementLoop, element_loop
from dasklint.semantic.facts import FunctionFacts
from dasklint.semantic.lazy import Lazy
from dasklint.semantic.loops import loop_size
from dasklint.semantic.task_call import TaskApi


class SingleGiantTask(Rule):
    """
    ## What it does
    Checks for one task that does all the work: a task function (run by
    `dask.delayed(f)(...)`, a `@dask.delayed` function or `client.submit`) whose body loops
    over one of its parameters and, for each element, calls a function that does real
    work (a function of the module whose body is not trivial, an imported function
    outside the cheap standard-library helpers, or `open`), when the task itself is
    created once, not in a loop. The task function must be defined in the same module.

    Not reported: tasks created in a loop or comprehension (each one is a batch, which
    is what DSK401 fine-grained-delayed recommends for tiny work), arguments that are
    lists of Delayed objects or Futures (their elements are already separate tasks, and
    the loop combines their results), Dask collections (DSK308 delayed-on-collection),
    literal lists of one element, and loops whose body only calls methods or builtins.

    This rule is not enabled by default: a loop inside one task is also how work is
    batched on purpose, and only the author knows how long each element takes. Select
    it with `--extend-select DSK315`.

    ## Why is this bad?
    Dask does not look inside a task: it schedules the function call as one unit. A task
    that loads, processes and saves every file in a loop runs all of it on one worker
    thread, one element after another, while the other workers wait. Delaying the
    per-element functions and looping outside the task lets Dask run the elements in
    parallel.

    ## Example
    ```python
    import dask

    def load(path):
        with open(path) as f:
            return f.read()

    @dask.delayed
    def process_all(paths):
        return [len(load(p)) for p in paths]

    sizes = process_all(["a.txt", "b.txt", "c.txt"]).compute()
    ```

    Use instead:
    ```python
    import dask

    def load(path):
        with open(path) as f:
            return f.read()

    def size(path):
        return len(load(path))

    paths = ["a.txt", "b.txt", "c.txt"]
    sizes = dask.compute(*[dask.delayed(size)(p) for p in paths])
    ```

    ## Fix safety
    No fix is offered: splitting the function into tasks changes its structure.

    ## References
    - [Dask: Delayed best practices, break up computations into many pieces](https://docs.dask.org/en/stable/delayed-best-practices.html#break-up-computations-into-many-pieces)
    """

    code = "DSK315"
    name = "single-giant-task"
    deliberate_in_tests = True
    summary = "One task loops over all the inputs, so nothing runs in parallel"
    severity = Severity.INFO
    fix_summary = "none"
    default_enabled = False

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._loops: dict[int, list[ElementLoop]] = {}  # id(FunctionFacts) -> its loops
        self._sizes: dict[int, int | None] = {}  # id(Arg) -> elements, when known
        self._collections: set[int] = set()  # id(Arg) of Dask collections (DSK308's)
        self._facts_of: dict[int, FunctionFacts] = {}  # id(FunctionDef) -> its facts

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        facts = self.model.tasks.function_facts(node.name)
        if facts is not None:
            self._loops.setdefault(id(facts), [])
            self._facts_of[id(node)] = facts

    def visit_For(self, node: cst.For) -> None:
        self._loop(node)

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._loop(node)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._loop(node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._loop(node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._loop(node)

    def visit_Arg(self, node: cst.Arg) -> None:
        self._sizes[id(node)] = loop_size(self.model, node.value)
        kind = self.model.collection_kind(node.value)
        if kind is not None and kind.is_collection and kind is not CollectionKind.DELAYED:
            self._collections.add(id(node))

    def _loop(self, node: cst.CSTNode) -> None:
        found = element_loop(self.model, node)
        if found is None:
            return
        facts = self._facts_of.get(id(found.function))
        if facts is not None:
            self._loops.setdefault(id(facts), []).append(found)

    def finish(self) -> None:
        for task in self.model.tasks.task_calls:
            if task.api not in (TaskApi.DELAYED, TaskApi.SUBMIT) or task.loops.in_loop:
                continue
            facts = task.facts
            if facts is None:
                continue
            loops = self._loops.get(id(facts))
            if not loops:
                continue
            bound = bind_arguments(task.args, facts)
            if bound is None:
                continue
            for item in bound:
                if item.slot is not Slot.PARAMETER:
                    continue
                loop = next((lp for lp in loops if lp.parameter == item.param), None)
                if loop is None:
                    continue
                kind = self.model.tasks.argument_kind(task, item.arg)
                if kind is not None and (kind.is_list or kind is Lazy.COLLECTION):
                    continue
                if id(item.arg) in self._collections:
                    continue
                size = self._sizes.get(id(item.arg))
                if size is not None and size <= 1:
                    continue
                self.report(
                    item.arg.value,
                    f"One task runs all of `{facts.qualname}`'s loop over `{item.param}`",
                    help=f"make `{loop.work}` (or the loop body) the task and create one task "
                    "per element",
                    notes=[
                        f"`{facts.qualname}` loops over `{item.param}` and calls `{loop.work}` "
                        "for each element: all of it runs on one worker thread, one element "
                        "after another"
                    ],
                )
                break
