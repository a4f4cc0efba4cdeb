"""Which keywords of ``dask.compute``/``dask.persist`` each scheduler reads (dask and
distributed 2026.8.0).

``dask.compute(*args, traverse, optimize_graph, scheduler, get, **kwargs)`` (and
``persist``, without ``get``) passes every other keyword to the scheduler's ``get``
function (``dask/base.py``: ``schedule(expr, keys, **kwargs)``); ``x.compute(**kwargs)``
calls ``dask.compute``. The local ``get`` functions take ``**kwargs`` and hand them to
``dask.local.get_async``, which takes ``**kwargs`` too and uses none of them: a keyword
no one names is dropped without a word. ``distributed.Client.get``/``persist`` read their
own set (and also drop the rest).
"""

from __future__ import annotations

from dasklint.semantic.scheduler import Scheduler

# Consumed by ``dask.compute``/``dask.persist`` themselves (``get`` raises a TypeError).
COMPUTE_OWN = frozenset({"traverse", "optimize_graph", "scheduler", "get"})

# ``dask.local.get_async``'s named parameters after its four positional ones. A local
# ``get`` that passes one of them itself raises ``TypeError`` (multiple values) when the
# user passes it again: an error, not an ignored keyword.
GET_ASYNC = frozenset(
    {
        "cache", "get_id", "rerun_exceptions_locally", "pack_exception", "raise_exception",
        "callbacks", "dumps", "loads", "chunksize",
    }
)  # fmt: skip

# What each local scheduler's ``get`` reads: ``dask.threaded.get(dsk, keys, cache,
# num_workers, pool, **kwargs)``; ``dask.multiprocessing.get(dsk, keys, num_workers,
# func_loads, func_dumps, optimize_graph, pool, initializer, chunksize, **kwargs)``;
# ``dask.local.get_sync(dsk, keys, **kwargs)``, which removes ``num_workers`` on purpose
# (so that code switching schedulers may pass it): accepted, and meaningless there.
READ_BY: dict[Scheduler, frozenset[str]] = {
    Scheduler.THREADS: GET_ASYNC | {"num_workers", "pool"},
    Scheduler.PROCESSES: GET_ASYNC
    | {"num_workers", "func_loads", "func_dumps", "optimize_graph", "pool", "initializer"},
    Scheduler.SYNC: GET_ASYNC | {"num_workers"},
}

# Keywords the local schedulers ignore that ask for the pool's size all the same: Client
# and LocalCluster spellings a user carries over (``workers=4``, ``n_workers=4``).
POOL_SIZE_ALIASES: tuple[str, ...] = ("workers", "n_workers")

# ``distributed.Client.get``'s and ``Client.persist``'s own keywords: placement, retries,
# priorities... The local schedulers ignore every one of them.
CLIENT_KEYWORDS = frozenset(
    {
        "workers", "allow_other_workers", "resources", "sync", "asynchronous", "direct",
        "retries", "priority", "fifo_timeout", "actors",
    }
)  # fmt: skip


def ignored_by(scheduler: Scheduler, keyword: str) -> bool:
    """``keyword``, given to ``dask.compute``/``persist``, reaches the local ``scheduler``
    and is dropped there without effect."""
    if keyword in COMPUTE_OWN or scheduler not in READ_BY:
        return False
    return keyword not in READ_BY[scheduler]


def readers(keyword: str) -> tuple[Scheduler, ...]:
    """The local schedulers that do read ``keyword``."""
    return tuple(s for s, names in READ_BY.items() if keyword in names)
