"""DSK402 too-many-tasks."""

from __future__ import annotations

from dasklint.diagnostics import Confidence, Severity
from dasklint.rule import Rule, RuleOption
from dasklint.rules._tasks import overhead_phrase, task_scheduler
from dasklint.semantic.taskcalls import TaskApi, in_benchmark_function


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

    ## Fix safety
    No fix is offered.

    ## Options
    - `max-tasks` (int, default `100000`): report loops creating at least this many
      tasks (20 to 100 s of overhead at 0.2 to 1 ms per task).

    ## References
    - [Dask: Best practices, avoid very large graphs](https://docs.dask.org/en/stable/best-practices.html#avoid-very-large-graphs)
    - [Dask: Delayed best practices, avoid too many tasks](https://docs.dask.org/en/stable/delayed-best-practices.html#avoid-too-many-tasks)
    """

    code = "DSK402"
    name = "too-many-tasks"
    deliberate_in_tests = True
    summary = "Loop of a literal size creates a very large task graph"
    severity = Severity.WARNING
    planned_fix = "none"
    options = (RuleOption("max-tasks", 100_000, "Report loops creating at least this many tasks."),)

    def finish(self) -> None:
        limit = self.option("max-tasks")
        assert isinstance(limit, int)
        for task in self.model.tasks.task_calls:
            if not task.per_element and not (
                task.api in (TaskApi.DELAYED, TaskApi.SUBMIT) and task.loops.in_loop
            ):
                continue
            estimate = task.estimate
            if estimate is None or estimate.value < limit or in_benchmark_function(task):
                continue
            scheduler = task_scheduler(self.model, task).scheduler
            phrase = overhead_phrase(estimate.value, scheduler, bounded=not estimate.exact)
            tasks, _, overhead = phrase.partition(", ")
            self.report(
                task.call,
                f"This creates {tasks}",
                confidence=Confidence.HIGH if estimate.exact else Confidence.MEDIUM,
                help="use a collection with fewer, larger partitions "
                "(`dask.bag.from_sequence(..., npartitions=...)`, dask.array, dask.dataframe) "
                "or batch items per task",
                notes=[overhead],
            )
