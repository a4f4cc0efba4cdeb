"""DSK103 chunksize-minus-one."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, safe, unsafe
from dasklint.rule import Rule
from dasklint.rules._common import spelled
from dasklint.semantic.parents import ParentLinks
from dasklint.semantic.scheduler import SettingSpec


class ChunksizeMinusOne(Rule):
    """
    ## What it does
    Checks for `chunksize=-1` given to the processes scheduler, as a keyword of
    `dask.compute`/`.compute()` or through `dask.config.set(chunksize=-1)` /
    `dask.config.set({"chunksize": -1})`.

    ## Why is this bad?
    `chunksize=-1` is meant to split the ready tasks evenly over the workers, and it was
    suggested as a workaround for the batching problem in dask/dask#10292. But when the
    scheduler refills its pool while tasks are running and none is ready, the chunk size
    becomes 0 and `dask/local.py` divides by it: the computation fails with
    `ZeroDivisionError` (dask/dask#10297, still open; the fix in dask/dask#12530 was closed
    unmerged). Whether it happens depends on the graph: a single task or a linear chain runs,
    but several independent tasks on several workers, or a fan-out, fail. The test suite
    runs both such graphs with the installed Dask and checks the error.

    ## Example
    ```python
    import dask

    jobs = [dask.delayed(abs)(-i) for i in range(8)]
    dask.compute(*jobs, scheduler="processes", chunksize=-1)
    ```

    Use instead:
    ```python
    import dask

    jobs = [dask.delayed(abs)(-i) for i in range(8)]
    dask.compute(*jobs, scheduler="processes", chunksize=1)
    ```

    ## Fix safety
    The fix writes `1` where `-1` is given. For a literal `-1` written in the call
    (`chunksize=-1`, `{"chunksize": -1}`) it is safe: a program that passes `-1` either
    crashes with `ZeroDivisionError` or, for the graphs that happen to survive, runs its
    tasks with some batching; with `1` every graph runs and computes the same values, and
    `1` is what `-1` was meant to achieve (no batching). (Only code that expects the
    crash, such as a test of the Dask bug itself, behaves differently.)

    When the `-1` is reached through a name (`chunksize=NO_BATCHING`, or a settings dict
    bound to a name), the fix writes `1` in place of the name and is unsafe: the name may
    hold another value when the call runs, and is left defined for its other uses. No fix
    is offered for a parameter whose default is `-1` (`def run(chunksize=-1)`): the
    value is the caller's, and writing `1` would ignore it; change the default instead.

    ## References
    - dask/dask#10297, dask/dask#10292, dask/dask#12530
    """

    code = "DSK103"
    name = "chunksize-minus-one"
    summary = "`chunksize=-1` can crash the processes scheduler with ZeroDivisionError"
    severity = Severity.ERROR
    fix_summary = "safe: replace `-1` with `1` where it is written in the call"
    fix_availability = FixAvailability.SOMETIMES

    def finish(self) -> None:
        for setting in self.model.settings:
            if setting.key == "chunksize" and setting.value == -1:
                self.report(
                    setting.node,
                    f"`{spelled(setting)}` makes the processes scheduler divide by zero",
                    fix=_fix(setting, self.model.parents),
                    help="use `chunksize=1`",
                    notes=[
                        "it divides by zero when it refills the pool while no task is ready "
                        "(ZeroDivisionError, dask/dask#10297)"
                    ],
                )


def _fix(setting: SettingSpec, links: ParentLinks) -> Fix | None:
    """``1`` for a ``-1`` written in the call itself (safe); for one reached through a
    name or a dict bound to a name, which may hold other values at run time or be used
    elsewhere, the same edit is unsafe; a parameter's value is the caller's: no fix."""
    if setting.from_parameter_default:
        return None
    edit = ("Use `chunksize=1`", setting.node, cst.Integer("1"))
    if setting.via_name or not links.inside(setting.node, setting.call):
        return unsafe(*edit, "the name may hold another value when the call runs")
    return safe(*edit)
