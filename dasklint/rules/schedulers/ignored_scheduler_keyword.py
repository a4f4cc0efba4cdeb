"""DSK109 ignored-scheduler-keyword."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from dasklint.diagnostics import Confidence, FixAvailability, Severity
from dasklint.fix import Fix, safe
from dasklint.rule import Rule, RuleContext
from dasklint.rules._common import source_of
from dasklint.rules._edits import has_double_star, remove_args
from dasklint.semantic import ComputeSite, Scheduler, SchedulerSource
from dasklint.semantic.scheduler import STRING_ALIASES, Receiver
from dasklint.semantic.schedulerkeywords import (
    CLIENT_KEYWORDS,
    COMPUTE_OWN,
    ignored_by,
    readers,
)
from dasklint.semantic.values import Constant

# Keywords whose intent is clear, the keyword that carries it, and the schedulers whose
# pool reads that keyword.
RENAMES: dict[str, tuple[str, frozenset[Scheduler]]] = {
    "workers": ("num_workers", frozenset({Scheduler.THREADS, Scheduler.PROCESSES})),
    "n_workers": ("num_workers", frozenset({Scheduler.THREADS, Scheduler.PROCESSES})),
    "chunk_size": ("chunksize", frozenset({Scheduler.PROCESSES})),
}
# Sources that name the scheduler in the code: a Client's keywords are only ignored
# when a local scheduler is chosen on purpose (without one, a Client created elsewhere,
# which ``get_scheduler`` prefers to the collections' default, may run it).
CHOSEN = frozenset({SchedulerSource.EXPLICIT, SchedulerSource.WITH_CONFIG, SchedulerSource.CONFIG})
_NAMES = {
    Scheduler.THREADS: "threaded",
    Scheduler.PROCESSES: "processes",
    Scheduler.SYNC: "synchronous",
}
_PURPOSE = {"num_workers": "the pool's size", "chunksize": "the batch size"}


@dataclass(frozen=True, slots=True)
class _Written:
    """A keyword written in a compute call, with the constant its value reaches."""

    arg: cst.Arg
    name: str
    constant: Constant | None


class IgnoredSchedulerKeyword(Rule):
    """
    ## What it does
    Checks for keywords of `dask.compute`, `dask.persist`, `.compute()` and `.persist()`
    that the local scheduler running the computation does not take, such as
    `workers=4` or `n_workers=4` (the local pools read `num_workers`), `chunk_size=`
    (the processes scheduler reads `chunksize`), `nthreads=`, or a distributed Client's
    `retries=`, `priority=` and `resources=` on a computation that runs on the threaded,
    processes or synchronous scheduler.

    ## Why is this bad?
    `dask.compute` forwards every keyword it does not use itself to the scheduler's `get`
    function (`dask/base.py`: "kwargs: Extra keywords to forward to the scheduler
    function"). The local ones, `dask.threaded.get`, `dask.multiprocessing.get` and
    `dask.local.get_sync`, take `**kwargs` and pass them to `dask.local.get_async`, which
    takes `**kwargs` too and reads none of them: a keyword no one names is dropped
    without an error or a warning. `scheduler="processes", workers=4` runs as many
    worker processes as the machine has cores; `chunk_size=1` leaves tasks batched six at
    a time. The test suite runs each case with the installed Dask and counts how many
    tasks the pool runs at once: `workers=1`, `n_workers=1` and `nthreads=1` change
    nothing, `num_workers=1` gives one; `retries=3` does not retry a failing task.

    The keywords each scheduler reads are those of its `get` function and of
    `get_async`: `cache`, `callbacks`, `chunksize`, `rerun_exceptions_locally` and a few
    serialization hooks everywhere; `num_workers` and `pool` on threads; `num_workers`,
    `pool`, `initializer`, `func_dumps` and `func_loads` on processes. `dask.compute`
    itself takes `traverse`, `optimize_graph` and `scheduler`.

    The rule knows the scheduler from the semantic model: an explicit `scheduler=`, a
    `dask.config.set(scheduler=...)` before the call or around it, or the collections'
    default. A Client's own keywords (`workers`, `retries`, `priority`, `resources`,
    `allow_other_workers`, `fifo_timeout`, `actors`, ...) are reported only when a local
    scheduler is chosen in the code: without one, a Client created elsewhere may run the
    computation and read them. Nothing is reported when a Client or cluster is created
    before the call, or when the scheduler is not known.

    ## Example
    ```python
    import dask

    jobs = [dask.delayed(abs)(-i) for i in range(8)]
    dask.compute(*jobs, scheduler="processes", workers=4)
    ```

    Use instead:
    ```python
    import dask

    jobs = [dask.delayed(abs)(-i) for i in range(8)]
    dask.compute(*jobs, scheduler="processes", num_workers=4)
    ```

    ## Fix safety
    The fix renames the keyword where its intent is clear, and is safe: `workers=N` with
    an integer `N` (a literal, or a name bound to one) and `n_workers=` become
    `num_workers=` on the threaded and processes schedulers, and `chunk_size=` becomes
    `chunksize=` on the processes scheduler. The computation gives the same values; the
    pool gets the size (or batches) that was asked for. When the call already passes the
    keyword the fix would write (`num_workers=2, workers=4`), the ignored one is removed
    instead, which changes nothing at run time. No fix is offered when the call passes
    `**kwargs` (which may hold the keyword), passes two keywords the fix would rename
    alike, when `workers=` is a list or string (worker addresses: a Client's placement,
    not a count) or a parameter whose value is the caller's, or when the scheduler is one
    of several a loop chooses. Other ignored keywords have no fix: they carry no intent a
    local scheduler could honour.

    The fixes that move a computation to a Client (DSK101's and DSK501's LocalCluster
    codemod, DSK104) remove the keywords a Client reads and the local scheduler ignored,
    for they would start to apply there: `workers=4` fails on a Client with
    `TypeError: addresses should be strings or tuples, got 4`.

    ## References
    - [Dask: Scheduler overview, using `compute` methods](https://docs.dask.org/en/stable/scheduler-overview.html)
    - [Dask: `dask.compute`](https://docs.dask.org/en/stable/api.html#dask.compute)
    - `dask/threaded.py` (`get`), `dask/multiprocessing.py` (`get`), `dask/local.py`
      (`get_async`, `get_sync`), dask 2026.8.0
    - [distributed: `Client.compute`, `Client.get`](https://distributed.dask.org/en/stable/api.html#distributed.Client.get)
    """

    code = "DSK109"
    name = "ignored-scheduler-keyword"
    summary = "Keyword the local scheduler does not take, dropped by Dask without a warning"
    severity = Severity.WARNING
    # Dask's own tests pass unknown keywords on purpose, to show they are dropped.
    deliberate_in_tests = True
    fix_summary = "safe: `workers=N`/`n_workers=` to `num_workers=`, `chunk_size=` to `chunksize=`"
    fix_availability = FixAvailability.SOMETIMES

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._written: list[tuple[ComputeSite, tuple[_Written, ...]]] = []

    def visit_Call(self, node: cst.Call) -> None:
        # The model records a compute site on visiting its call, before the rules: the
        # keywords' constants are read here, where the call's names are in scope.
        sites = self.model.compute_sites
        if not sites or sites[-1].call is not node:
            return
        site = sites[-1]
        if site.function not in ("compute", "persist") or site.receiver is Receiver.UNKNOWN:
            return
        written = tuple(
            _Written(arg, arg.keyword.value, self.model.constant(arg.value))
            for arg in node.args
            if arg.keyword is not None and arg.keyword.value not in COMPUTE_OWN
        )
        if written:
            self._written.append((site, written))

    def finish(self) -> None:
        for site, written in self._written:
            schedulers = _local_schedulers(site)
            if not schedulers or self.model.cluster_runs_before(site):
                continue
            chosen = site.effective.source in CHOSEN
            names = {w.name for w in written}
            for keyword in written:
                if not all(ignored_by(s, keyword.name) for s in schedulers):
                    continue
                if keyword.name in CLIENT_KEYWORDS and not chosen:
                    continue
                message, advice, notes = _message(keyword, schedulers)
                self.report(
                    keyword.arg,
                    message,
                    help=advice,
                    notes=notes,
                    fix=_fix(site, keyword, schedulers, names),
                    confidence=(
                        Confidence.HIGH if site.receiver is Receiver.PROVEN else Confidence.MEDIUM
                    ),
                )


def _local_schedulers(site: ComputeSite) -> tuple[Scheduler, ...]:
    """The local schedulers the site may run on; empty when it may run elsewhere."""
    effective = site.effective
    spec = effective.spec
    if spec is not None and spec.setting.from_parameter_default:
        return ()  # the caller chooses
    if spec is not None and spec.setting.choices:
        found = {
            STRING_ALIASES.get(choice.lower()) if isinstance(choice, str) else None
            for choice in spec.setting.choices
        }
        if None in found or Scheduler.DISTRIBUTED in found:
            return ()
        return tuple(sorted((s for s in found if s is not None), key=lambda s: s.value))
    if effective.scheduler in _NAMES:
        assert effective.scheduler is not None
        return (effective.scheduler,)
    return ()


def _message(
    keyword: _Written, schedulers: tuple[Scheduler, ...]
) -> tuple[str, str | None, list[str]]:
    """The short message, the help (the keyword meant) and the notes (why it is lost)."""
    shown = _shown(keyword)
    if len(shown) > 60:
        shown = f"{keyword.name}=..."
    if len(schedulers) == 1:
        where = f"the {_NAMES[schedulers[0]]} scheduler takes"
    else:
        where = "the local schedulers this may run on take"
    notes = [f"{where} no `{keyword.name}` keyword, and Dask drops it without a warning"]
    message = f"`{shown}` is ignored"
    rename = RENAMES.get(keyword.name)
    if (
        rename is not None
        and all(s in rename[1] for s in schedulers)
        and (keyword.name != "workers" or _is_count(keyword))
    ):
        target = rename[0]
        return message, f"`{target}=` sets {_PURPOSE[target]}", notes
    if keyword.name in CLIENT_KEYWORDS:
        notes.append(f"`{keyword.name}=` is read by a distributed Client, which does not run this")
        return message, None, notes
    others = readers(keyword.name)
    if others:
        listed = " and the ".join(_NAMES[s] for s in others)
        notes.append(f"only the {listed} scheduler reads it")
    return message, None, notes


def _shown(keyword: _Written) -> str:
    return f"{keyword.name}={source_of(keyword.arg.value)}"


def _is_count(keyword: _Written) -> bool:
    """The value is an integer the code itself gives (not a parameter's default, which
    the caller may replace with worker addresses)."""
    constant = keyword.constant
    return (
        constant is not None and type(constant.value) is int and not constant.from_parameter_default
    )


def _fix(
    site: ComputeSite,
    keyword: _Written,
    schedulers: tuple[Scheduler, ...],
    names: set[str],
) -> Fix | None:
    rename = RENAMES.get(keyword.name)
    if rename is None or len(schedulers) != 1:
        return None
    target, pools = rename
    if schedulers[0] not in pools or has_double_star(site.call):
        return None
    if keyword.name == "workers" and not _is_count(keyword):
        return None
    value = keyword.constant.value if keyword.constant is not None else None
    if keyword.name != "workers" and value is not None and type(value) is not int:
        return None
    if target in names:
        # The keyword that carries the intent is given: this one only adds noise.
        title = f"Remove `{_shown(keyword)}`: `{target}=` is given"
        return safe(title, site.call, remove_args(site.call, [keyword.arg]))
    if sum(1 for name in names if RENAMES.get(name, ("",))[0] == target) > 1:
        return None  # `workers=` and `n_workers=` both: which one was meant is unclear
    renamed = keyword.arg.with_changes(keyword=cst.Name(target))
    return safe(f"Write `{target}=`", keyword.arg, renamed)
