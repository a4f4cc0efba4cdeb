"""DSK603 linear-accumulation-chain."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.rule import Rule, RuleContext, RuleOption
from dasklint.rules.dependencies._folds import fold_fix
from dasklint.semantic.names import BindingKind


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
    An unsafe fix replaces the whole loop; it is offered only when the loop has this
    shape: the statement just before the `for` sets the accumulator, the loop body is the
    accumulating statement alone, the accumulator is the left operand (the first
    argument), and the loop variables are not used anywhere else in the function. The loop
    becomes one task:

    - additions (`+`, `+=`, `dask.delayed(operator.add)`) that start from `0` (or
      `dask.delayed(0)`) become `total = dask.delayed(sum)(parts)` (or
      `dask.delayed(sum)([<value> for <target> in <iterable>])` when the loop adds
      something other than its variable or iterates over something that is not a list);
    - other folds, `acc = dask.delayed(f)(acc, x)` with `f` a plain callable or another
      operator (`*`, `|`, `&`, `^`), starting from a literal, a name or
      `dask.delayed(<literal or name>)`, become
      `acc = dask.delayed(functools.reduce)(f, [x for ...], start)`.

    Both combine the values in the loop's order, with the same function, as one task
    instead of a chain of tasks, so the graph is two levels deep whatever the length.
    A tree reduction would also run the combining steps in parallel, but it regroups
    them, which is only equivalent for associative functions (and for floating-point
    numbers not even then): the linter cannot check that, so it does not offer it.

    The fix is unsafe because the program does change: all the values are held in
    memory until the single combining task runs (a chain can release each one after its
    step); the task keys and the graph differ; Python's `sum` of floats uses a
    compensated summation since Python 3.12, so float totals may differ in the last bits
    from the repeated `+`; and a `@delayed` function or a `Future` accumulator
    (`client.submit`) is left alone, since the fold would have to run it inside a task.

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
    deliberate_in_tests = True
    summary = "Loop folds lazy values into one accumulator, building a chain as long as the data"
    severity = Severity.WARNING
    fix_summary = "unsafe: rewrite additions into delayed(sum)(...), other folds into one reduce"
    fix_availability = FixAvailability.SOMETIMES
    options = (
        RuleOption(
            "min-length",
            10,
            "Loops of a known size shorter than this are not reported.",
        ),
    )

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._list_iterables: set[int] = set()

    def finish(self) -> None:
        minimum = self.option("min-length")
        assert isinstance(minimum, int)
        for step in self.model.tasks.accumulations:
            length = step.loops.iterations
            if length is not None and length < minimum:
                continue
            size = f"{length:,} links" if length is not None else "one link per iteration"
            fix = fold_fix(self.model, self.module, step, self._list_iterables)
            if step.associative:
                self.report(
                    step.node,
                    f"`{step.target}` is folded with `{step.spelled}` once per iteration",
                    fix=fix,
                    help="use `dask.delayed(sum)(values)` or a tree reduction",
                    notes=[
                        f"this builds a chain of dependent tasks ({size}) that cannot run in "
                        "parallel"
                    ],
                )
            else:
                self.report(
                    step.node,
                    f"`{step.target}` is passed to `{step.spelled}` and reassigned once per "
                    "iteration",
                    severity=Severity.INFO,
                    fix=fix,
                    help="if the step is associative, reduce the values as a tree instead",
                    notes=[f"this builds a chain of dependent tasks ({size})"],
                )

    def visit_For(self, node: cst.For) -> None:
        """Remember loops over a name bound to a list or tuple display (or a list
        comprehension): `dask.delayed` finds the Delayed objects inside those, not inside
        generators or other iterables."""
        if isinstance(node.iter, cst.Name):
            binding = self.model.scopes.lookup(node.iter.value)
            if (
                binding is not None
                and binding.kind is BindingKind.VALUE
                and isinstance(binding.value, (cst.List, cst.Tuple, cst.ListComp))
            ):
                self._list_iterables.add(id(node))
