"""Dask's local schedulers, how users spell them, and the records the model keeps about them.

Spellings and precedence follow ``dask/base.py::get_scheduler`` (dask 2026.8.0):
an explicit ``scheduler=`` wins over ``dask.config.set(scheduler=...)``, which wins over
a default ``Client``, which wins over the collection's default scheduler.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.collections import CollectionKind

if TYPE_CHECKING:
    from dasklint.semantic.bags import BagSize


class Scheduler(enum.Enum):
    THREADS = "threads"
    PROCESSES = "processes"
    SYNC = "sync"
    DISTRIBUTED = "distributed"


# Every string ``get_scheduler`` accepts (dask/base.py, named_schedulers).
STRING_ALIASES: dict[str, Scheduler] = {
    "threads": Scheduler.THREADS,
    "threading": Scheduler.THREADS,
    "processes": Scheduler.PROCESSES,
    "multiprocessing": Scheduler.PROCESSES,
    "sync": Scheduler.SYNC,
    "synchronous": Scheduler.SYNC,
    "single-threaded": Scheduler.SYNC,
    "distributed": Scheduler.DISTRIBUTED,
    "dask.distributed": Scheduler.DISTRIBUTED,
}

# The low-level ``get`` functions that still work as ``scheduler=`` values.
GET_FUNCTIONS: dict[str, Scheduler] = {
    "dask.threaded.get": Scheduler.THREADS,
    "dask.multiprocessing.get": Scheduler.PROCESSES,
    "dask.get": Scheduler.SYNC,
}

# Process pools that make ``dask.config.set(pool=...)`` run tasks in processes.
PROCESS_POOLS = frozenset(
    {"multiprocessing.Pool", "concurrent.futures.ProcessPoolExecutor", "multiprocessing.pool.Pool"}
)

DEFAULT_SCHEDULER: dict[CollectionKind, Scheduler] = {
    CollectionKind.DELAYED: Scheduler.THREADS,
    CollectionKind.ARRAY: Scheduler.THREADS,
    CollectionKind.DATAFRAME: Scheduler.THREADS,
    CollectionKind.BAG: Scheduler.PROCESSES,
    CollectionKind.XARRAY: Scheduler.THREADS,  # its data are Dask arrays
}


class SpecOrigin(enum.Enum):
    """Where a setting was written."""

    COMPUTE_KEYWORD = "compute-keyword"  # x.compute(scheduler=...)
    CONFIG_KEYWORD = "config-keyword"  # dask.config.set(scheduler=...)
    CONFIG_DICT = "config-dict"  # dask.config.set({"scheduler": ...})


@dataclass(frozen=True, slots=True, eq=False)
class SettingSpec:
    """One written value of a Dask setting (``scheduler``, ``chunksize``, ``pool``, ...).

    ``node`` is where the value is written (the argument or dict value) and ``value`` the
    literal it evaluates to, after following at most one name (or an instance attribute set
    in another method) to its constant. ``choices`` are the literals a loop variable takes
    (``for s in ["threads", "processes"]``) when ``value`` is unknown; ``via_kwargs`` is the
    ``**kwargs`` argument of the call whose dict holds the setting (then ``node`` is it too).
    """

    key: str
    node: cst.BaseExpression
    call: cst.Call
    origin: SpecOrigin
    value: object | None
    via_name: bool = False
    from_parameter_default: bool = False
    is_context_manager: bool = False
    in_loop: bool = False
    in_debug_block: bool = False
    is_process_pool: bool = False  # a ``pool`` that is a process pool (followed one hop)
    choices: tuple[object, ...] = ()
    via_kwargs: cst.BaseExpression | None = None

    @property
    def indirect(self) -> bool:
        """The value is one of several a loop takes: the finding is likely, not proven."""
        return bool(self.choices)


@dataclass(frozen=True, slots=True, eq=False)
class SchedulerSpec:
    """A ``scheduler`` setting resolved to one of Dask's local schedulers (or not)."""

    setting: SettingSpec
    scheduler: Scheduler | None
    literal: str | None = None  # the string as written, when it is one
    get_function: str | None = None  # qualified name when a ``get`` function is passed


class SchedulerSource(enum.Enum):
    EXPLICIT = "explicit"
    WITH_CONFIG = "with-config"
    CONFIG = "config"
    CLIENT = "client"
    COLLECTION_DEFAULT = "collection-default"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class EffectiveScheduler:
    """The scheduler a compute site will run on, and why."""

    scheduler: Scheduler | None
    source: SchedulerSource
    spec: SchedulerSpec | None = None
    mixed_defaults: bool = False


class Receiver(enum.Enum):
    """What the source shows about the object whose ``.compute()``/``.persist()`` runs."""

    PROVEN = "proven"  # a Dask collection (or ``dask.compute(...)`` itself)
    # Unknown type, but the call looks like Dask's: no positional argument, only Dask's
    # keywords, in a module that imports Dask, on nothing known to be another library's.
    LIKELY = "likely"
    UNKNOWN = "unknown"  # some other library's method, as far as the source shows


@dataclass(slots=True, eq=False)
class ComputeSite:
    """A call that runs a graph locally: ``dask.compute/persist/visualize`` or ``x.compute()``."""

    call: cst.Call
    function: str  # "compute", "persist", "visualize", "optimize"
    is_method: bool
    scheduler: SchedulerSpec | None
    chunksize: SettingSpec | None
    num_workers: int | None
    in_loop: bool
    in_function: bool
    collection_kinds: tuple[CollectionKind | None, ...]
    task_count: int | None
    order: int = 0  # position in traversal order, to compare with config and client events
    scopes: tuple[cst.CSTNode | None, ...] = (None,)  # enclosing functions, innermost first
    effective: EffectiveScheduler = field(
        default_factory=lambda: EffectiveScheduler(None, SchedulerSource.UNKNOWN)
    )
    config_chunksize: SettingSpec | None = None
    bag: BagSize | None = None  # the size of the one bag computed here, when known
    receiver: Receiver = Receiver.PROVEN
    path: tuple[cst.CSTNode, ...] = ()  # the nodes from the module down to the call's parent
