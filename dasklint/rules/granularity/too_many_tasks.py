"""DSK402 too-many-tasks."""

from __future__ import annotations

from dasklint.diagnostics import Confidence, Severity
from dasklint.rule import Rule, RuleOption
from dasklint.rules._tasks import overhead_phrase, task_scheduler
from dasklint.semantic.task_call import TaskApi, TaskCall, in_benchmark_function
from dasklint.semantic.taskcost import task_long_work


class TooManyTasks(Rule):
    """
    ## What it does
    Checks for loops and comprehensions of a size written in the source (`range(N)` with
    a constant `N`, literal lists, `len(...)` of one, the rows of a NumPy array of
    literal shape, nested loops multiplied) that create at least `max-tasks` tasks with
    `delayed`, `client.submit`, `client.map` or `map(delayed(f), items)`. A size that
    comes from a parameter's default value is only a bound (callers may pass another):
    such findings have medium confidence. Loops whose size is not written in the source
    are never reported by this rule, and neither are functions named like benchmarks
    (`bench_*`, asv's `time_*`), which build large graphs on purpose.

    ## Why is this bad?
    A graph of millions of tasks spends minutes to hours in scheduling overhead
    (200 us to 1 ms per task) and can overload the scheduler: "Avoid Very Large Graphs"
    in the Dask best practices. A collection with fewer, larger partitions does the same
    work with a small graph. When the tasks themselves are tiny, DSK401 reports the loop
    instead (its message names this rule).

    ## Example
    ```python
    import random

    import dask

    def simulate(seed):
        rng = random.Random(seed)
        return sum(rng.random() for _ in range(100))

    results = [dask.delayed(simulate)(i) for i in range(1_000_000)]
    dask.compute(*results)
    ```

    Use instead:
    ```python
    import random

    import dask.bag as db

    def simulate(seed):
        rng = random.Random(seed)
        return sum(rng.random() for _ in range(100))

    results = db.from_sequence(range(1_000_000), npartitions=1000).map(simulate).compute()
    ```

    From `max-tasks-unknown-work` tasks on (10,000: 2.5 s of overhead on the local
    threads, 10 s on a distributed cluster), loops are reported with medium confidence
    when nothing shows that each task runs long: its function sleeps, does I/O, runs a
    subprocess or a nested computation, or loops in Python (through the functions it
    calls in the project). A parameter without a default that the module's own calls
    give as a literal (`estimate(10_000)`) bounds a loop over `range(parameter)` as a
    default does.

    ## Fix safety
    No fix is offered.

    ## Options
    - `max-tasks` (int, default `100000`): report loops creating at least this many
      tasks (20 to 100 s of overhead at 0.2 to 1 ms per task).
    - `max-tasks-unknown-work` (int, default `10000`): report loops creating at least
      this many tasks, with medium confidence, when the work of each task is not known
      to be long.

    ## References
    - [Dask: Best practices, avoid very large graphs](https://docs.dask.org/en/stable/best-practices.html#avoid-very-large-graphs)
    - [Dask: Delayed best practices, avoid too many tasks](https://docs.dask.org/en/stable/delayed-best-practices.html#avoid-too-many-tasks)
    """

    code = "DSK402"
    name = "too-many-tasks"
    deliberate_in_tests = True
    summary = "Loop of a literal size creates a very large task graph"
    severity = Severity.WARNING
    fix_summary = "none"
    options = (
        RuleOption("max-tasks", 100_000, "Report loops creating at least this many tasks."),
        RuleOption(
            "max-tasks-unknown-work",
            10_000,
            "Report loops creating at least this many tasks whose work is not known to be "
            "long (medium confidence).",
        ),
    )

    def finish(self) -> None:
        limit, unknown_work = self.option("max-tasks"), self.option("max-tasks-unknown-work")
        assert isinstance(limit, int)
        assert isinstance(unknown_work, int)
        for task in self.model.tasks.task_calls:
            if not task.per_element and not (
                task.api in (TaskApi.DELAYED, TaskApi.SUBMIT) and task.loops.in_loop
            ):
                continue
            estimate = task.estimate
            if estimate is None or estimate.value < min(limit, unknown_work):
                continue
            if in_benchmark_function(task):
                continue
            scheduler = task_scheduler(self.model, task).scheduler
            phrase = overhead_phrase(estimate.value, scheduler, bounded=not estimate.exact)
            tasks, _, overhead = phrase.partition(", ")
            tasks, _, bound = tasks.partition(" (")
            bounds = [bound.removesuffix(")")] if bound else []
            if estimate.value >= limit:
                self.report(
                    task.call,
                    f"This creates {tasks}",
                    confidence=Confidence.HIGH if estimate.exact else Confidence.MEDIUM,
                    help="use a collection with fewer, larger partitions "
                    "(`dask.bag.from_sequence(..., npartitions=...)`, dask.array, "
                    "dask.dataframe) or batch items per task",
                    notes=[*bounds, overhead],
                )
            elif not self._long(task):
                self.report(
                    task.call,
                    f"This creates {tasks}",
                    confidence=Confidence.MEDIUM,
                    help="batch items per task (e.g. `toolz.partition_all`) or use a "
                    "collection with fewer, larger partitions "
                    "(`dask.bag.from_sequence(..., npartitions=...)`)",
                    notes=[
                        *bounds,
                        f"{overhead}, which pays off only if each task runs for well over that",
                        "nothing shows each task's work is long",
                    ],
                )

    def _long(self, task: TaskCall) -> bool:
        """The task's function is known to wait, do I/O or loop in Python."""
        if task.lambda_node is not None or task.facts is None:
            return False
        return (
            task_long_work(self.model, task) is not None
            or self.model.tasks.summary(task.facts).python_loops
        )
