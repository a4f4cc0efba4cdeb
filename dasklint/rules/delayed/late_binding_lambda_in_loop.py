"""DSK314 late-binding-lambda-in-loop."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, safe
from dasklint.rule import Rule
from dasklint.semantic.flow import reads

# Keywords Dask passes itself to a function that declares them: ``map_blocks`` and
# ``map_overlap`` (dask/array/core.py), ``map_partitions`` (dask_expr/_expr.py), and
# metadata inference (dask/array/utils.py). A default of that name never reaches the task.
_FILLED_BY_DASK = frozenset(
    {"block_id", "block_info", "partition_info", "computing_meta", "_overlap_trim_info"}
)


class LateBindingLambdaInLoop(Rule):
    """
    ## What it does
    Checks for a `lambda` turned into a task (`dask.delayed(lambda: ...)()`,
    `client.submit(lambda: ...)`, `map_partitions(lambda df: ...)`) inside a loop or a
    comprehension, whose body reads a loop variable it does not receive as a parameter.
    Inner `def` functions are not checked.

    ## Why is this bad?
    A lambda looks its free variables up when it runs, not when it is created. Tasks run
    when the graph is computed, after the loop has finished, so every task sees the loop
    variable's last value: `[dask.delayed(lambda: i * 10)() for i in range(4)]` computes
    `(30, 30, 30, 30)`. This is Python's late binding of closures (ruff B023), made
    certain by Dask's deferred execution.

    ## Example
    ```python
    import dask

    tasks = [dask.delayed(lambda: i * 10)() for i in range(4)]
    print(dask.compute(*tasks))
    ```

    Use instead:
    ```python
    import dask

    tasks = [dask.delayed(lambda i=i: i * 10)() for i in range(4)]
    print(dask.compute(*tasks))
    ```

    ## Fix safety
    The fix binds each loop variable the lambda reads as a default argument
    (`lambda i=i: ...`). It is safe: the lambda is called by the task with the same
    arguments as before, and now sees the value of its own iteration. It is not offered
    for lambdas with `*args` or keyword-only parameters, nor for loop variables named
    like the keywords Dask fills in itself (`block_id`, `block_info`, `partition_info`,
    `computing_meta`): `map_blocks` and `map_partitions` pass their own values (the
    block's index, a dict about it) to a function that declares such a parameter, so the
    loop's value would never reach the task. Rename the loop variable instead.

    ## References
    - [Python FAQ: why do lambdas defined in a loop all return the same result?](https://docs.python.org/3/faq/programming.html#why-do-lambdas-defined-in-a-loop-with-different-values-all-return-the-same-result)
    - [ruff B023 function-uses-loop-variable](https://docs.astral.sh/ruff/rules/function-uses-loop-variable/)
    """

    code = "DSK314"
    name = "late-binding-lambda-in-loop"
    summary = "Lambda task reads a loop variable that it sees only after the loop has ended"
    severity = Severity.ERROR
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "safe: bind the loop variable as a default argument"

    def finish(self) -> None:
        for task in self.model.tasks.task_calls:
            node = task.lambda_node
            if node is None or not task.loops.in_loop:
                continue
            params = node.params
            own = {
                p.name.value
                for p in [*params.posonly_params, *params.params, *params.kwonly_params]
            }
            for star in (params.star_arg, params.star_kwarg):
                if isinstance(star, cst.Param):
                    own.add(star.name.value)
            free = sorted((reads(node.body) & task.loops.targets) - own)
            if not free:
                continue
            shown = ", ".join(f"`{name}`" for name in free)
            self.report(
                node,
                f"This lambda reads the loop variable {shown} when the task runs",
                fix=_fix(node, free),
                help=f"bind it as a default argument (`lambda {free[0]}={free[0]}: ...`)",
                notes=["the task runs after the loop has ended, so every task sees its last value"],
            )


def _fix(node: cst.Lambda, names: list[str]) -> Fix | None:
    params = node.params
    if (
        isinstance(params.star_arg, (cst.Param, cst.ParamStar))
        or params.kwonly_params
        or params.star_kwarg is not None
        or _FILLED_BY_DASK.intersection(names)
    ):
        return None
    equal = cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
    )
    existing = list(params.params)
    if existing and existing[-1].comma is cst.MaybeSentinel.DEFAULT:
        existing[-1] = existing[-1].with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
    added = [
        cst.Param(
            cst.Name(name),
            default=cst.Name(name),
            equal=equal,
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            if index < len(names) - 1
            else cst.MaybeSentinel.DEFAULT,
        )
        for index, name in enumerate(names)
    ]
    new = node.with_changes(
        params=params.with_changes(params=[*existing, *added]),
        whitespace_after_lambda=cst.SimpleWhitespace(" "),
    )
    bound = ", ".join(f"{n}={n}" for n in names)
    return safe(f"Bind the loop variable as a default argument: `lambda {bound}`", node, new)
