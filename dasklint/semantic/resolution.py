"""When ``dask.config.set`` and ``Client`` calls happen, and what a compute site runs on.

The model records these events in traversal order; after the traversal, each compute
site's effective scheduler follows Dask's precedence (``dask/base.py``, ``get_scheduler``).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from dasklint.semantic.scheduler import (
    DEFAULT_SCHEDULER,
    ComputeSite,
    EffectiveScheduler,
    Scheduler,
    SchedulerSource,
    SchedulerSpec,
    SettingSpec,
)


@dataclass(frozen=True, slots=True)
class Event:
    """A ``dask.config.set`` or ``Client`` that changes the scheduler from here on."""

    order: int
    scope: cst.CSTNode | None  # enclosing function, None at module level
    spec: SchedulerSpec | None  # the scheduler a ``dask.config.set`` chooses, if it does
    chunksize: SettingSpec | None
    client: bool = False  # a ``Client`` or ``get_client()``: the distributed scheduler
    num_workers: int | None = None  # the local pool's size a ``dask.config.set`` chooses

    @property
    def sets_scheduler(self) -> bool:
        return self.client or self.spec is not None


@dataclass(slots=True)
class PendingSite:
    site: ComputeSite
    with_event: Event | None
    with_chunksize: SettingSpec | None

    @property
    def order(self) -> int:
        return self.site.order

    @property
    def scopes(self) -> tuple[cst.CSTNode | None, ...]:
        return self.site.scopes


def latest_event(events: list[Event], pending: PendingSite) -> Event | None:
    """The last event that happened before the site, looking outwards through its scopes.

    Functions usually run after the module body has finished, so a site inside a
    function sees every module-level event, not only the earlier ones.
    """
    return latest_event_at(events, pending.order, pending.scopes)


def latest_event_at(
    events: list[Event], order: int, scopes: tuple[cst.CSTNode | None, ...]
) -> Event | None:
    """:func:`latest_event` for a call at ``order`` in ``scopes`` (innermost first)."""
    in_function = scopes[0] is not None
    for scope in scopes:
        candidates = [
            e
            for e in events
            if e.scope is scope and (e.order < order or (scope is None and in_function))
        ]
        if candidates:
            return max(candidates, key=lambda e: e.order)
    return None


def effective_scheduler(pending: PendingSite, events: list[Event]) -> EffectiveScheduler:
    """Dask's precedence: explicit ``scheduler=`` > enclosing ``with dask.config.set`` >
    the latest ``dask.config.set``/``Client`` before the site > the collections' default."""
    site = pending.site
    if site.scheduler is not None:
        # An explicit ``scheduler=`` wins even when its value is unknown.
        return EffectiveScheduler(
            site.scheduler.scheduler, SchedulerSource.EXPLICIT, site.scheduler
        )
    latest = latest_event([e for e in events if e.sets_scheduler], pending)
    event, source = pending.with_event, SchedulerSource.WITH_CONFIG
    if event is None or (
        # A plain ``dask.config.set`` or ``Client()`` inside the ``with`` body wins.
        latest is not None and latest.scope is event.scope and latest.order > event.order
    ):
        event, source = latest, SchedulerSource.CONFIG
    if event is not None:
        if event.client:
            return EffectiveScheduler(Scheduler.DISTRIBUTED, SchedulerSource.CLIENT)
        assert event.spec is not None
        return EffectiveScheduler(event.spec.scheduler, source, event.spec)
    kinds = {DEFAULT_SCHEDULER.get(k) for k in site.collection_kinds if k is not None}
    kinds.discard(None)
    if len(kinds) > 1:
        return EffectiveScheduler(None, SchedulerSource.COLLECTION_DEFAULT, mixed_defaults=True)
    if len(kinds) == 1 and None not in site.collection_kinds:
        return EffectiveScheduler(kinds.pop(), SchedulerSource.COLLECTION_DEFAULT)
    return EffectiveScheduler(None, SchedulerSource.UNKNOWN)


def ambient_chunksize(pending: PendingSite, events: list[Event]) -> SettingSpec | None:
    """The ``chunksize`` a ``dask.config.set`` before the site configures, if any."""
    event = latest_event([e for e in events if e.chunksize is not None], pending)
    return event.chunksize if event is not None else None
