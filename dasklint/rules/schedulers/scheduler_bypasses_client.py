"""DSK104 scheduler-bypasses-client."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, unsafe, with_caveat
from dasklint.rule import Rule
from dasklint.rules._common import spelled
from dasklint.rules._edits import (
    dict_argument,
    remove_args,
    remove_dict_entries,
    unwrap_with,
    without_get_import,
)
from dasklint.rules._local_cluster import (
    PROCESS_ONLY,
    carries_client_keywords,
    client_keywords_note,
)
from dasklint.rules._process_move import cost_refusal, site_tasks, state_refusal
from dasklint.semantic import ComputeSite, Scheduler, SchedulerSource, SettingSpec
from dasklint.semantic.parents import ParentLinks
from dasklint.semantic.scheduler import SpecOrigin
from dasklint.semantic.schedulerkeywords import CLIENT_KEYWORDS

# What the fix may change (it is unsafe).
_FIX_CAVEAT = (
    "the tasks move to the cluster's worker processes: they must be picklable, cannot"
    " see state that lives only in this process, and their side effects happen in the"
    " workers"
)


class SchedulerBypassesClient(Rule):
    """
    ## What it does
    Checks for a computation that names a local scheduler (`"threads"` or `"processes"`,
    explicitly or through an enclosing `with dask.config.set(scheduler=...)`) after a
    `Client`, `get_client()` or a cluster (`LocalCluster`, ...) was created in the same
    function or module. A scheduler passed through a `**kwargs` dict is not reported: such
    a dict is usually the fallback a library chooses after finding no Client (DSK101
    reports its processes scheduler).

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
    The fix removes the `scheduler=` keyword, or the scheduler from `dask.config.set(...)`
    (the whole `with dask.config.set(...):` line when the scheduler is all it sets, keeping
    the block's body), so that the Client runs the computation. When the scheduler was a
    `get` function (`scheduler=get` after `from dask.threaded import get`), its import is
    removed too, unless something else still uses it. The values computed are
    the same, but the fix is always unsafe, even when the call is lexically inside
    `with Client(...)`: the tasks move from this process to the cluster's worker processes,
    so they must be picklable, cannot see state that only lives in this process (globals
    changed at run time, open files, locks), and their side effects (prints, files) happen
    in the workers; and computing something small locally may have been deliberate.

    Keywords the local scheduler ignored and the Client reads (`workers=`, `retries=`,
    `priority=`..., see DSK109) are removed with a `scheduler=` keyword: on the Client
    they would start to apply (`workers=4` fails there with `TypeError: addresses should
    be strings or tuples`). When the scheduler comes from `dask.config.set` and a
    computation it governs passes such a keyword, no fix is offered.

    The fix is not offered (the finding stays, saying why) when a task function of the
    computation (or a project function it calls) keeps state in this process: it draws
    from the global random state of `random` or `numpy.random` without seeding it
    itself, from a generator or a file created at module level, or changes module globals
    (see DSK501 for what that does to the results; the message asks to seed each task).
    When the overridden scheduler is `"threads"`, it is also not offered for tasks that
    return a list, set or dict they build in their loops: pickling such results back
    costs 0.7 to 2.6 times what building them took, more than the cluster's workers save
    (DSK501 gives the measurements).

    ## References
    - [Dask: Scheduling, configuration](https://docs.dask.org/en/stable/scheduling.html)
    - [distributed: Client](https://distributed.dask.org/en/stable/client.html)
    """

    code = "DSK104"
    name = "scheduler-bypasses-client"
    supersedes = frozenset({"DSK101", "DSK105"})
    deliberate_in_tests = True
    summary = "An explicit local scheduler bypasses the Client created earlier"
    severity = Severity.WARNING
    fix_summary = "unsafe: drop the `scheduler=` keyword or the `dask.config.set` context"
    fix_availability = FixAvailability.SOMETIMES

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
            if setting.via_kwargs is not None:
                # A keyword dict built at run time is usually a fallback chosen after
                # looking for a Client (``get_client()`` in a ``try``): not proven here.
                continue
            reported.add(id(setting))
            message = f"`{spelled(setting)}` overrides the Client created before it"
            notes = ["this runs on a local pool while the cluster sits idle"]
            fix = self._fix(setting)
            if fix is not None and not fix.caveat:
                fix = with_caveat(fix, _FIX_CAVEAT)
            fix = without_get_import(fix, effective.spec)
            if setting.origin is not SpecOrigin.COMPUTE_KEYWORD and carries_client_keywords(
                self._governed(setting)
            ):
                fix = None  # the computations would hand them to the Client
            refusal = self._refusal(setting, effective.scheduler)
            if fix is not None and refusal is not None:
                fix = None
                notes.append(f"no fix is offered: {refusal}")
            self.report(
                setting.node, message, fix=fix, help="drop it to use the cluster", notes=notes
            )

    def _refusal(self, setting: SettingSpec, scheduler: Scheduler) -> str | None:
        """Why the computations this setting governs must not move to the cluster's
        worker processes (:mod:`dasklint.rules._process_move`): their tasks keep state in
        this process, or, leaving the threads of this process, return results that cost
        more to ship than the move saves."""
        tasks = site_tasks(self.model, self._governed(setting))
        refusal = state_refusal(self.model, tasks)
        if refusal is None and scheduler is Scheduler.THREADS:
            refusal = cost_refusal(self.model, tasks)
        return refusal

    def _governed(self, setting: SettingSpec) -> list[ComputeSite]:
        """The computations whose scheduler ``setting`` chooses."""
        return [
            s
            for s in self.model.compute_sites
            if s.effective.spec is not None and s.effective.spec.setting is setting
        ]

    def _fix(self, setting: SettingSpec) -> Fix | None:
        title = "Remove the local scheduler so that the Client runs this"
        call = setting.call
        if setting.via_kwargs is not None:
            return None  # the dict may hold more than the scheduler
        if setting.origin is SpecOrigin.COMPUTE_KEYWORD:
            arg = next((a for a in call.args if a.value is setting.node), None)
            if arg is None:
                return None
            # The local pool's own arguments (`chunksize=`, `num_workers=`) go with it:
            # the Client ignores them. So do the Client's own keywords (`workers=`...),
            # which the local scheduler ignored: on the Client they would start to apply.
            pool_args = [
                a
                for a in call.args
                if a is not arg
                and a.keyword is not None
                and a.keyword.value in PROCESS_ONLY | CLIENT_KEYWORDS
            ]
            caveat = _FIX_CAVEAT + client_keywords_note(call)
            return unsafe(title, call, remove_args(call, [arg, *pool_args]), caveat)
        if setting.origin is SpecOrigin.CONFIG_DICT:
            found = dict_argument(call, setting.node)
            if found is None:
                return None  # the dict is bound to a name elsewhere
            display, entry = found
            if len(display.elements) > 1:
                return unsafe(title, display, remove_dict_entries(display, [entry]))
            if len(call.args) > 1:
                arg = next(a for a in call.args if a.value is display)
                return unsafe(title, call, remove_args(call, [arg]))
        else:
            arg = next((a for a in call.args if a.value is setting.node), None)
            if arg is None:
                return None
            if len(call.args) > 1:
                return unsafe(title, call, remove_args(call, [arg]))
        # The scheduler is all this `dask.config.set` sets: remove it as a whole.
        return _remove_config_set(self.model.parents, call, title)


def _remove_config_set(links: ParentLinks, call: cst.Call, title: str) -> Fix | None:
    table = links.table
    item = table.get(id(call))
    if isinstance(item, cst.WithItem):
        with_node = table.get(id(item))
        if not isinstance(with_node, cst.With):
            return None
        if len(with_node.items) > 1:
            items = [i for i in with_node.items if i is not item]
            last = items[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return unsafe(title, with_node, with_node.with_changes(items=[*items[:-1], last]))
        body = unwrap_with(with_node)
        return None if body is None else unsafe(title, with_node, body)
    expr = table.get(id(call))
    line = table.get(id(expr)) if isinstance(expr, cst.Expr) else None
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
        return unsafe(title, line, cst.RemoveFromParent())
    return None
