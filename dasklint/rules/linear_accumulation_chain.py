"""DSK603 linear-accumulation-chain."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule, RuleOption


class LinearAccumulationChain(Rule):
    """
    ## What it does
    Checks for loops that fold lazy values into one accumulator, one task per iteration:
    `acc = delayed(f)(acc, x)`, `acc = f(acc, x)` with a `@delayed` function,
    `acc = client.submit(f, acc, x)`, `acc = acc + x` or `acc += x` where a Delayed
    object or Future is involved. Another argument must change with the iteration (a
    loop variable or a lazy value), so a time-stepping loop such as
    `state = step(state)` is not reported. Loops of a known size below `min-length`
    (a sum over three items) are not reported.

    Additions and other associative operators (`+`, `*`, `|`, `operator.add`, `sum`,
    `max`, ...) are warnings; folds with any other function are reported at info level,
    since they may be sequential on purpose.

    ## Why is this bad?
    Each step depends on the previous one, so the graph is a chain as long as the data:
    nothing in it runs in parallel, and very deep graphs hit `RecursionError` (about
    1000 chained additions, dask/distributed#7188). `delayed(sum)(parts)` or a tree
    reduction does the same work with a shallow graph.

    ## Example
    ```python
    import operator
    import dask

    parts = [dask.delayed(len)(str(i)) for i in range(1000)]
    total = dask.delayed(0)
    for p in parts:
        total = dask.delayed(operator.add)(total, p)
    total.compute()
    ```

    Use instead:
    ```python
    import dask

    parts = [dask.delayed(len)(str(i)) for i in range(1000)]
    total = dask.delayed(sum)(parts)
    total.compute()
    ```

    ## Fix safety
    No fix is offered yet; rewriting additions that start from `0` into
    `delayed(sum)(...)` is planned as an unsafe fix.

    ## Options
    - `min-length` (int, default `10`): loops of a known size shorter than this are not
      reported.

    ## References
    - [Dask: Delayed (`delayed(sum)(output)`)](https://docs.dask.org/en/stable/delayed.html)
    - [Dask examples: tree summation](https://examples.dask.org/delayed.html)
    - dask/distributed#7188 (RecursionError on long chains)
    """

    code = "DSK603"
    name = "linear-accumulation-chain"
    summary = "Loop folds lazy values into one accumulator, building a chain as long as the data"
    severity = Severity.WARNING
    planned_fix = "unsafe: rewrite additions into delayed(sum)(...)"
    options = (
        RuleOption(
            "min-length",
            10,
            "Loops of a known size shorter than this are not reported.",
        ),
    )

    def finish(self) -> None:
        minimum = self.option("min-length")
        assert isinstance(minimum, int)
        for step in self.model.tasks.accumulations:
            length = step.loops.iterations
            if length is not None and length < minimum:
                continue
            size = f"{length:,} links" if length is not None else "one link per iteration"
            if step.associative:
                self.report(
                    step.node,
                    f"`{step.target}` is folded with `{step.spelled}` once per iteration, "
                    f"building a chain of dependent tasks ({size}) that cannot run in "
                    f"parallel; use `dask.delayed(sum)(values)` or a tree reduction",
                )
            else:
                self.report(
                    step.node,
                    f"`{step.target}` is passed to `{step.spelled}` and reassigned once per "
                    f"iteration, building a chain of dependent tasks ({size}); if the step "
                    "is associative, reduce the values as a tree instead",
                    severity=Severity.INFO,
                )
