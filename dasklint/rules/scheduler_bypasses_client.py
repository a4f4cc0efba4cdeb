"""DSK104 scheduler-bypasses-client."""

from __future__ import annotations

from dasklint.diagnostics import Severity
from dasklint.rule import Rule
from dasklint.rules._common import spelled
from dasklint.semantic import Scheduler, SchedulerSource


class SchedulerBypassesClient(Rule):
    """
    ## What it does
    Checks for a computation that names a local scheduler (`"threads"` or `"processes"`,
    explicitly or through an enclosing `with dask.config.set(scheduler=...)`) after a
    `Client`, `get_client()` or a cluster (`LocalCluster`, ...) was created in the same
    function or module.

    ## Why is this bad?
    An explicit `scheduler=` and an active `dask.config.set(scheduler=...)` take precedence
    over the default `Client` (`dask/base.py`, `get_scheduler`), so the computation runs on
    the local thread or process pool while the cluster sits idle, and the dashboard shows
    nothing. The synchronous scheduler is left to DSK106 (it is usually a debugging choice).

    ## Example
    ```python
    import dask
    from distributed import Client

    if __name__ == "__main__":
        client = Client()
        total = dask.delayed(sum)([1, 2, 3])
        total.compute(scheduler="threads")
    ```

    Use instead:
    ```python
    import dask
    from distributed import Client

    if __name__ == "__main__":
        client = Client()
        total = dask.delayed(sum)([1, 2, 3])
        total.compute()
    ```

    ## Fix safety
    No fix is offered yet. The planned fix drops the `scheduler=` keyword (or the
    `dask.config.set` context); it is unsafe because the computation then runs on the
    cluster, and computing something small locally may have been deliberate.

    ## References
    - [Dask: Scheduling, configuration](https://docs.dask.org/en/stable/scheduling.html)
    - [distributed: Client](https://distributed.dask.org/en/stable/client.html)
    """

    code = "DSK104"
    name = "scheduler-bypasses-client"
    summary = "An explicit local scheduler bypasses the Client created earlier"
    severity = Severity.WARNING
    planned_fix = "unsafe: drop the `scheduler=` keyword or the `dask.config.set` context"

    def finish(self) -> None:
        reported: set[int] = set()
        for site in self.model.compute_sites:
            effective = site.effective
            if effective.source not in (SchedulerSource.EXPLICIT, SchedulerSource.WITH_CONFIG):
                continue
            if effective.scheduler not in (Scheduler.THREADS, Scheduler.PROCESSES):
                continue
            if effective.spec is None or not self.model.cluster_runs_before(site):
                continue
            setting = effective.spec.setting
            if id(setting) in reported or setting.from_parameter_default:
                continue
            reported.add(id(setting))
            self.report(
                setting.node,
                f"`{spelled(setting)}` overrides the Client created before it: this runs on a "
                "local pool while the cluster sits idle; drop it to use the cluster",
            )
