"""DSK401 fine-grained-delayed."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import Confidence, Severity
from dasklint.rule import Rule, RuleOption
from dasklint.rules._tasks import overhead_phrase, overhead_seconds, task_scheduler
from dasklint.semantic.taskanalysis import TaskAnalysis
from dasklint.semantic.taskcalls import TaskApi, TaskCall, in_benchmark_function
from dasklint.semantic.trivial import trivial_callee


class FineGrainedDelayed(Rule):
    """
    ## What it does
    Checks for tasks that do almost no work, created once per item of a loop or
    comprehension, or once per element by `client.map` or `map(delayed(f), items)`:
    `delayed(f)(x)` or `client.submit(f, x)` where `f` is a lambda of one simple
    expression, an `operator` function, a small builtin (`int`, `len`, `abs`,
    `max(a, b)`, ...), a single random draw (`random.random`), a bound method that
    looks up one item (`x.__getitem__`), or a function of this project whose body is a
    few statements of arithmetic and attribute access (judged through the functions it
    calls, in this module or another module of the project). Hand-written tree
    reductions count too: `while len(xs) > 1:` loops that pair items make `n - 1` tasks.

    A function calling numpy, pandas, scipy, scikit-learn, I/O, `time.sleep` (a
    stand-in for real work) or any function whose cost is unknown is never trivial, and
    neither is a function named like a benchmark (`bench_*`, asv's `time_*`), where tiny
    tasks are timed on purpose.

    The rule weighs the overhead against the count. When the source gives the number of
    tasks (`range(<constant>)`, a literal list, a name bound to one, `len(...)` of one,
    the rows of a NumPy array of literal shape, the futures of an earlier `client.map`,
    nested loops multiplied), it reports loops of at least `min-tasks` tasks whose
    overhead on the scheduler they run on reaches `min-overhead-ms`. A count that comes
    from a parameter's default value is only a bound (callers may pass another): such
    findings have medium confidence. When the count is not known at all, the
    trivial-task pattern itself is reported, at info level with medium confidence, if
    the tasks are made one per item of the data (a per-element map, or a loop whose item
    or index is the task's argument: `delayed(f)(x)`, `delayed(f)(rows[i])`) and
    `report-unknown-sizes` is on. `while` loops of unknown length are not reported, and
    neither are tasks given a value the loop body computes (`delayed(len)(X[y == c])`
    per class) or a lazy value (`delayed(f)(part) for part in ddf.to_delayed()`): they
    work on groups or partitions, whose number is not known to be large.

    ## Why is this bad?
    Every task costs scheduler time: "between 200us and 1ms" per task in general
    (`best-practices.rst`), "about 1ms" per task or future on the distributed scheduler
    (`futures.rst`), "around 50us" on the local threads (`scheduling.rst`; about 0.25 ms
    in our measurements). A task that computes `x + 1` takes well under a microsecond,
    so nearly all the time goes to overhead: 100 such futures spend about 0.1 s on a
    distributed cluster, thousands of them a second or more. Dask recommends tasks that
    run for more than about 100 ms (`array-chunks.rst`, "Use larger tasks" in the
    distributed docs), and batching many small items into one task
    (`delayed-best-practices.rst`).

    ## Example
    ```python
    import dask

    values = range(100_000)
    totals = [dask.delayed(lambda v: v + 1)(v) for v in values]
    dask.compute(*totals)
    ```

    Use instead:
    ```python
    import dask
    import dask.bag as db

    values = range(100_000)

    def inc_batch(batch):
        return [v + 1 for v in batch]

    batches = [values[i : i + 10_000] for i in range(0, len(values), 10_000)]
    totals = dask.compute(*[dask.delayed(inc_batch)(b) for b in batches])
    # or: db.from_sequence(values, npartitions=10).map(lambda v: v + 1).compute()
    ```

    ## Fix safety
    No fix is offered: the batch size depends on the work per item.

    ## Options
    - `min-tasks` (int, default `100`): loops of a known size creating fewer tasks than
      this are not reported (a handful of tasks costs little).
    - `min-overhead-ms` (int, default `100`): loops of a known size are reported only
      when their tasks' overhead reaches this many milliseconds, at the per-task figure
      of the scheduler they run on (100 tasks on a distributed cluster, 400 on the local
      threads).
    - `report-unknown-sizes` (bool, default `true`): also report loops whose size is not
      known statically (info level, medium confidence).

    ## References
    - [Dask: Delayed best practices, avoid too many tasks](https://docs.dask.org/en/stable/delayed-best-practices.html#avoid-too-many-tasks)
    - [Dask: Best practices, avoid very large graphs (200us to 1ms per task)](https://docs.dask.org/en/stable/best-practices.html#avoid-very-large-graphs)
    - [Dask: Choosing good chunk sizes (tasks over 100 ms)](https://docs.dask.org/en/stable/array-chunks.html)
    - [Dask distributed: Efficiency, use larger tasks](https://distributed.dask.org/en/stable/efficiency.html#use-larger-tasks)
    - [Dask: Futures (about 1ms of overhead per task)](https://docs.dask.org/en/stable/futures.html)
    - [Dask: Scheduling, per-task overhead of the local threads](https://docs.dask.org/en/stable/scheduling.html)
    """

    code = "DSK401"
    name = "fine-grained-delayed"
    deliberate_in_tests = True
    summary = "Trivial task function called once per loop item; batch items into larger tasks"
    severity = Severity.WARNING
    planned_fix = "none"
    # A loop of tiny tasks large enough for DSK402 is one problem: the tasks are too small.
    supersedes = frozenset({"DSK402"})
    options = (
        RuleOption(
            "min-tasks",
            100,
            "Loops of a known size creating fewer tasks than this are not reported.",
        ),
        RuleOption(
            "min-overhead-ms",
            100,
            "Loops of a known size are reported only from this much estimated overhead.",
        ),
        RuleOption(
            "report-unknown-sizes",
            True,
            "Also report loops whose size is not known statically (info, medium confidence).",
        ),
    )

    def finish(self) -> None:
        minimum, overhead_ms = self.option("min-tasks"), self.option("min-overhead-ms")
        assert isinstance(minimum, int)
        assert isinstance(overhead_ms, int)
        unknown_sizes = self.option("report-unknown-sizes") is True
        for task in self.model.tasks.task_calls:
            if task.per_element:
                positional = 1
            elif task.api in (TaskApi.DELAYED, TaskApi.SUBMIT) and task.loops.in_loop:
                positional = sum(1 for a in task.args if a.keyword is None)
            else:
                continue
            if in_benchmark_function(task):
                continue
            estimate = task.estimate
            if estimate is None and not (unknown_sizes and _one_per_item(task)):
                continue
            why = trivial_callee(self.model, task, positional)
            if why is None:
                continue
            scheduler = task_scheduler(self.model, task).scheduler
            if estimate is not None and (
                estimate.value < minimum
                or overhead_seconds(estimate.value, scheduler) * 1000 < overhead_ms
            ):
                continue
            each = "element" if task.per_element else "loop iteration"
            if task.loops.halving is not None:
                each = "pair of items of a tree reduction"
            count = estimate.value if estimate is not None else None
            bounded = estimate is not None and not estimate.exact
            named, whose, _ = why.partition(", ")
            self.report(
                task.call,
                f"Tiny task ({named}) created once per {each}",
                help="batch many items per task (e.g. `toolz.partition_all`), use "
                "`dask.bag.from_sequence(..., npartitions=...)`, or vectorise with "
                "dask.array/dask.dataframe",
                notes=[
                    why if whose else "",
                    overhead_phrase(count, scheduler, each, bounded=bounded),
                ],
                severity=Severity.INFO if estimate is None else None,
                confidence=Confidence.HIGH
                if estimate is not None and estimate.exact
                else Confidence.MEDIUM,
            )


def _one_per_item(task: TaskCall) -> bool:
    """For a count the source does not give: the tasks are made one per item of the data
    (a per-element map, or a loop whose item or index is itself the task's argument:
    ``delayed(f)(x)``, ``delayed(f)(rows[i])``), in ``for`` loops or comprehensions, not
    in ``while`` loops of unknown length. A task given a value the loop body computes
    (``delayed(len)(X[y == c])`` per class) works on a group, whose count is not known
    to be large."""
    if any(loop.estimate is None and isinstance(loop.node, cst.While) for loop in task.loops.loops):
        return False
    positional = [a for a in task.args if a.keyword is None and not a.star]
    if any(loop.over_lazy for loop in task.loops.loops) or any(
        TaskAnalysis.argument_kind(task, a) is not None for a in positional
    ):
        return False  # pieces of a lazy computation (partitions, blocks, futures)
    if task.per_element:
        return True
    return any(_item_of(arg.value, task.loops.targets) for arg in positional)


def _item_of(expr: cst.BaseExpression, targets: frozenset[str]) -> bool:
    """``x`` or ``rows[i]``/``rows[i, :]``/``x.field`` for a loop target."""
    if isinstance(expr, cst.Name):
        return expr.value in targets
    if isinstance(expr, cst.Attribute):
        return _item_of(expr.value, targets)
    if isinstance(expr, cst.Subscript):
        return _item_of(expr.value, targets) or any(
            isinstance(e.slice, cst.Index) and _item_of(e.slice.value, targets) for e in expr.slice
        )
    return False
