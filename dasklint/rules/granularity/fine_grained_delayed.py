"""DSK401 fine-grained-delayed."""

from __future__ import annotations

from dasklint.diagnostics import Confidence, Severity
from dasklint.rule import Rule, RuleOption
from dasklint.rules._tasks import overhead_phrase, overhead_seconds, task_scheduler
from dasklint.semantic import Scheduler
from dasklint.semantic.size import Size
from dasklint.semantic.task_call import TaskApi, TaskCall, in_benchmark_function
from dasklint.semantic.taskcost import (
    per_item,
    row_argument,
    task_long_work,
    tiny,
    tiny_pipeline,
)


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

    The rule weighs the overhead against the work and the count. When the source gives
    the number of tasks (`range(<constant>)`, a literal list, a name bound to one,
    `len(...)` of one, the rows of a NumPy array of literal shape, the futures of an
    earlier `client.map`, nested loops multiplied), it reports loops of at least
    `min-tasks` tasks whose overhead on the scheduler they run on reaches
    `min-overhead-ms`. Fewer tiny tasks are reported too (info, medium confidence) when
    they form a pipeline of tiny tasks only, tiny tasks fed by tiny tasks
    (`a = inc(x); b = double(x); add(a, b)` per item, then `sum`), whose results the
    program reads (`compute`, `client.gather`, `.result()`): every stage pays the
    overhead again for microseconds of work, and plain Python would be faster. A
    single map of a few tiny tasks, or futures only waited for, is left alone: that is
    how examples show a scheduler at work. A count that comes from a parameter's
    default value, or from the literal the module's own calls pass for a parameter
    without one (`estimate(10_000)`), is only a bound (other callers may pass another):
    such findings have medium confidence. When the count is not known at all, the
    trivial-task pattern itself is reported, at info level with medium confidence, if
    the tasks are made one per item of the data (a per-element map, a halving tree
    reduction, or a loop whose item or index is the task's argument: `delayed(f)(x)`,
    `delayed(f)(rows[i])`, also through a name the loop body binds to it) and
    `report-unknown-sizes` is on. `while` loops of unknown length are not reported, and
    neither are tasks given a value the loop body computes (`delayed(len)(X[y == c])`
    per class) or a lazy value (`delayed(f)(part) for part in ddf.to_delayed()`): they
    work on groups or partitions, whose number is not known to be large.

    Tasks given one row of an in-memory array (`f(a[i, :])`, `np.dot(w[k, :], x[i, :, :])`,
    the slices showing that the item is a row of a larger array) are reported with
    medium confidence, whatever function they run, unless it is known to run long (it
    sleeps, does I/O, runs a subprocess or a nested computation, or loops in Python):
    one row is little work next to the overhead, and there are as many tasks as the
    data has rows. `a[i]` alone is not enough (it may be a whole image of a stack).

    `submit` and `map` calls on a receiver the source does not prove to be a `Client`
    are judged the same way when it is likely one: a parameter without a type annotation
    (or a `self` attribute set from one) named `client` or `..._client`, in a module that
    imports `distributed`. Those findings have medium confidence. An executor, a
    parameter annotated with another type, or a name bound to another library's object is
    not a likely client.

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
    fix_summary = "none"
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
        self._minimum, self._overhead_ms = minimum, overhead_ms
        self._unknown_sizes = self.option("report-unknown-sizes") is True
        tasks = self.model.tasks
        for task in (*tasks.task_calls, *tasks.likely_task_calls):
            if not (
                task.per_element
                or (task.api in (TaskApi.DELAYED, TaskApi.SUBMIT) and task.loops.in_loop)
            ):
                continue
            if in_benchmark_function(task):
                continue
            why = tiny(self.model, task)
            if why is not None:
                self._tiny(task, why)
            else:
                self._rows(task)

    def _large(self, estimate: Size, scheduler: Scheduler | None) -> bool:
        """Enough tasks, and enough overhead, to matter whatever else runs."""
        return (
            estimate.value >= self._minimum
            and overhead_seconds(estimate.value, scheduler) * 1000 >= self._overhead_ms
        )

    def _tiny(self, task: TaskCall, why: str) -> None:
        estimate = task.estimate
        scheduler = task_scheduler(self.model, task).scheduler
        each = _each(task)
        if estimate is not None and self._large(estimate, scheduler):
            bounded = not estimate.exact
            phrase = overhead_phrase(estimate.value, scheduler, each, bounded=bounded)
            confidence = Confidence.MEDIUM if bounded else Confidence.HIGH
            severity = None
        elif estimate is not None:
            whole = tiny_pipeline(self.model, task) if estimate.value >= 2 else None
            if whole is None:
                return
            phrase = (
                "the computation is a pipeline of tiny tasks only, "
                f"{overhead_phrase(whole, scheduler)}, for microseconds of work (plain "
                "Python, or one task for the whole loop, is faster)"
            )
            confidence, severity = Confidence.MEDIUM, Severity.INFO
        elif self._unknown_sizes and per_item(task):
            phrase = overhead_phrase(None, scheduler, each)
            confidence, severity = Confidence.MEDIUM, Severity.INFO
        else:
            return
        if task.likely:
            confidence = Confidence.MEDIUM
        named, whose, _ = why.partition(", ")
        self.report(
            task.call,
            f"Tiny task ({named}) created once per {each}",
            help="batch many items per task (e.g. `toolz.partition_all`), use "
            "`dask.bag.from_sequence(..., npartitions=...)`, or vectorise with "
            "dask.array/dask.dataframe",
            notes=[why if whose else "", phrase],
            severity=severity,
            confidence=confidence,
        )

    def _rows(self, task: TaskCall) -> None:
        """A task per row of an in-memory array, whose work is not known to be long."""
        row = row_argument(task)
        if row is None or task.lambda_node is not None:
            return
        if task.facts is not None and (
            task_long_work(self.model, task) is not None
            or self.model.tasks.summary(task.facts).python_loops
        ):
            return
        estimate = task.estimate
        scheduler = task_scheduler(self.model, task).scheduler
        if estimate is not None:
            if not self._large(estimate, scheduler):
                return
            phrase = overhead_phrase(estimate.value, scheduler, bounded=not estimate.exact)
            severity = None
        elif self._unknown_sizes and per_item(task):
            phrase = overhead_phrase(None, scheduler, "row")
            severity = Severity.INFO
        else:
            return
        self.report(
            task.call,
            f"Task given one row of an array (`{row}`) created once per {_each(task)}",
            help="give each task a block of rows, use `dask.array` (`map_blocks`), or "
            "vectorise the call over the rows",
            notes=[
                phrase,
                "one row is little work next to the overhead and there are as many tasks as rows",
            ],
            severity=severity,
            confidence=Confidence.MEDIUM,
        )


def _each(task: TaskCall) -> str:
    if task.loops.halving is not None:
        return "pair of items of a tree reduction"
    return "element" if task.per_element else "loop iteration"
