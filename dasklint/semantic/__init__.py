"""The semantic model: what Dask names, values and schedulers mean in one module.

Rules ask this model; it knows no rule. It is driven by the engine's single
batched traversal (``before_visit``/``after_leave``), so it costs one dict lookup
per node instead of libcst's scope and qualified-name providers.

The names below are loaded on first use: importing a submodule that needs neither
libcst nor the model (the project index, read by the cache) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dasklint.semantic.collections import CollectionKind
    from dasklint.semantic.model import SemanticModel
    from dasklint.semantic.scheduler import (
        ComputeSite,
        EffectiveScheduler,
        Scheduler,
        SchedulerSource,
        SchedulerSpec,
        SettingSpec,
    )

_HOMES = {
    "CollectionKind": "collections",
    "SemanticModel": "model",
    "ComputeSite": "scheduler",
    "EffectiveScheduler": "scheduler",
    "Scheduler": "scheduler",
    "SchedulerSource": "scheduler",
    "SchedulerSpec": "scheduler",
    "SettingSpec": "scheduler",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CollectionKind",
    "ComputeSite",
    "EffectiveScheduler",
    "Scheduler",
    "SchedulerSource",
    "SchedulerSpec",
    "SemanticModel",
    "SettingSpec",
]
