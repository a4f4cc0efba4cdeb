"""DSK107 mixed-default-schedulers."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule


class MixedDefaultSchedulers(Rule):
    """
    ## What it does
    Checks for `dask.compute(...)`/`dask.persist(...)` of collections whose default
    schedulers differ (a bag, whose default is processes, with a delayed object, array or
    dataframe, whose default is threads) when no scheduler is chosen: no `scheduler=`, no
    `dask.config.set(scheduler=...)` and no `Client` in scope.

    ## Why is this bad?
    `dask/base.py` (`get_scheduler`) refuses to guess and raises
    `ValueError: Compute called on multiple collections with differing default schedulers`.
    The test suite runs this pattern with the installed Dask and checks the error.

    ## Example
    ```python
    import dask
    import dask.bag as db

    words = db.from_sequence(["a", "b"]).count()
    total = dask.delayed(sum)([1, 2])
    dask.compute(words, total)
    ```

    Use instead:
    ```python
    import dask
    import dask.bag as db

    words = db.from_sequence(["a", "b"]).count()
    total = dask.delayed(sum)([1, 2])
    dask.compute(words, total, scheduler="threads")
    ```

    ## Fix safety
    No fix is offered: which scheduler to choose is the user's decision.

    ## References
    - [Dask: Scheduling](https://docs.dask.org/en/stable/scheduling.html)
    """

    code = "DSK107"
    name = "mixed-default-schedulers"
    summary = "Collections with different default schedulers computed together"
    severity = Severity.ERROR
    fix_summary = "none"

    def finish(self) -> None:
        for site in self.model.compute_sites:
            if site.effective.mixed_defaults and site.function in ("compute", "persist"):
                self.report(
                    site.call,
                    "These collections have different default schedulers: Dask raises ValueError",
                    help="pass `scheduler=` or create a Client",
                    notes=["bags use the processes scheduler, the others threads"],
                )
