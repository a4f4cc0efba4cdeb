"""DSK401 fine-grained-delayed."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleOption
from dasklint.rules._tasks import overhead_phrase, task_scheduler
from dasklint.semantic.taskcalls import TaskApi
from dasklint.semantic.trivial import trivial_callee


class FineGrainedDelayed(Rule):
    """
    ## What it does
    Checks for tasks that do almost no work, created once per item of a loop or
    comprehension (or per element by `client.map`): `delayed(f)(x)` or `client.submit(f, x)`
    where `f` is a lambda of one simple expression, an `operator` function, a small builtin
    (`int`, `len`, `abs`, `max(a, b)`, ...) or a function of this project whose body is a
    few statements of arithmetic and attribute access (judged through the functions it
    calls, in this module or another module of the project).

    A function calling numpy, pandas, scipy, scikit-learn, I/O or any function whose cost
    is unknown is never trivial. The number of tasks must be known from the source
    (`range(<constant>)`, a literal list, a name bound to one, nested loops multiplied)
    and reach `min-tasks`; loops over data of unknown size are reported only with the
    `report-unknown-sizes` option (at info level), since their size is never guessed.

    ## Why is this bad?
    Every task costs scheduler time: about 0.25 ms per task on the local threaded
    scheduler in our measurements (the docs say "around 50us"), "about 1ms" per task or
    future on the distributed scheduler, "between 200us and 1ms" in general. A task that
    computes `x + 1` takes well under a microsecond, so nearly all the time goes to
    overhead, and thousands of such tasks cost about a second. Dask recommends tasks that
    run for more than about 100 ms, and batching many small items into one task.

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
    - `min-tasks` (int, default `1000`): loops of a known size below this many tasks are
      not reported ("thousands of tasks" cost about a second, `best-practices.rst`).
    - `report-unknown-sizes` (bool, default `false`): also report loops whose size is not
      known statically, at info level.

    ## References
    - [Dask: Delayed best practices, avoid too many tasks](https://docs.dask.org/en/stable/delayed-best-practices.html#avoid-too-many-tasks)
    - [Dask: Best practices, avoid very large graphs](https://docs.dask.org/en/stable/best-practices.html#avoid-very-large-graphs)
    - [Dask: Choosing good chunk sizes (tasks over 100 ms)](https://docs.dask.org/en/stable/array-chunks.html)
    - [Dask distributed: Efficiency, use larger tasks](https://distributed.dask.org/en/stable/efficiency.html#use-larger-tasks)
    - [Dask: Scheduling, per-task overhead of the local threads](https://docs.dask.org/en/stable/scheduling.html)
    """

    code = "DSK401"
    name = "fine-grained-delayed"
    deliberate_in_tests = True
    summary = "Trivial task function called once per loop item; batch items into larger tasks"
    severity = Severity.WARNING
    planned_fix = "none"
    options = (
        RuleOption(
            "min-tasks",
            1000,
            "Loops of a known size creating fewer tasks than this are not reported.",
        ),
        RuleOption(
            "report-unknown-sizes",
            False,
            "Also report loops whose size is not known statically (info level).",
        ),
    )

    def finish(self) -> None:
        minimum = self.option("min-tasks")
        assert isinstance(minimum, int)
        unknown_sizes = self.option("report-unknown-sizes") is True
        for task in self.model.tasks.task_calls:
            if task.api is TaskApi.CLIENT_MAP:
                positional = 1
            elif task.api in (TaskApi.DELAYED, TaskApi.SUBMIT) and task.loops.in_loop:
                positional = sum(1 for a in task.args if a.keyword is None)
            else:
                continue
            count = task.count
            if count is None and not unknown_sizes:
                continue
            if count is not None and count < minimum:
                continue
            why = trivial_callee(self.model, task, positional)
            if why is None:
                continue
            scheduler = task_scheduler(self.model, task).scheduler
            each = "element" if task.api is TaskApi.CLIENT_MAP else "loop iteration"
            self.report(
                task.call,
                f"Tiny task ({why}) created once per {each}: "
                f"{overhead_phrase(count, scheduler, each)}; "
                "batch many items per task (e.g. `toolz.partition_all`), use "
                "`dask.bag.from_sequence(..., npartitions=...)`, or vectorise with "
                "dask.array/dask.dataframe",
                severity=Severity.INFO if count is None else None,
            )
