"""The semantic model: what Dask names, values and schedulers mean in one module.

Rules ask this model; it knows no rule. It is driven by the engine's single
batched traversal (``before_visit``/``after_leave``), so it costs one dict lookup
per node instead of libcst's scope and qualified-name providers.
"""

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
