"""Every rule, registered explicitly and sorted by code (codes are stable once published)."""

from __future__ import annotations

from dasklint.rule import Rule
from dasklint.rules.chunksize_minus_one import ChunksizeMinusOne
from dasklint.rules.compute_in_loop import ComputeInLoop
from dasklint.rules.delayed_inside_delayed import DelayedInsideDelayed
from dasklint.rules.delayed_never_computed import DelayedNeverComputed
from dasklint.rules.delayed_on_result import DelayedOnResult
from dasklint.rules.delayed_truthiness import DelayedTruthiness
from dasklint.rules.delayed_unpack_without_nout import DelayedUnpackWithoutNout
from dasklint.rules.fine_grained_delayed import FineGrainedDelayed
from dasklint.rules.gil_bound_task_on_threads import GilBoundTaskOnThreads
from dasklint.rules.late_binding_lambda_in_loop import LateBindingLambdaInLoop
from dasklint.rules.legacy_scheduler_spelling import LegacySchedulerSpelling
from dasklint.rules.linear_accumulation_chain import LinearAccumulationChain
from dasklint.rules.missing_main_guard import MissingMainGuard
from dasklint.rules.mixed_default_schedulers import MixedDefaultSchedulers
from dasklint.rules.nested_compute_in_task import NestedComputeInTask
from dasklint.rules.numba_jit_holds_gil import NumbaJitHoldsGil
from dasklint.rules.processes_compute_in_loop import ProcessesComputeInLoop
from dasklint.rules.processes_scheduler import ProcessesScheduler
from dasklint.rules.processes_small_graph_batched import ProcessesSmallGraphBatched
from dasklint.rules.scheduler_bypasses_client import SchedulerBypassesClient
from dasklint.rules.sequential_computes import SequentialComputes
from dasklint.rules.sync_scheduler_left_in import SyncSchedulerLeftIn
from dasklint.rules.task_mutates_input import TaskMutatesInput
from dasklint.rules.task_uses_global_state import TaskUsesGlobalState
from dasklint.rules.too_many_tasks import TooManyTasks
from dasklint.rules.unused_task_dependency import UnusedTaskDependency
from dasklint.rules.whole_collection_dependency import WholeCollectionDependency

ALL_RULES: tuple[type[Rule], ...] = (
    ProcessesScheduler,
    ProcessesSmallGraphBatched,
    ChunksizeMinusOne,
    SchedulerBypassesClient,
    LegacySchedulerSpelling,
    SyncSchedulerLeftIn,
    MixedDefaultSchedulers,
    ProcessesComputeInLoop,
    MissingMainGuard,
    DelayedOnResult,
    DelayedNeverComputed,
    ComputeInLoop,
    SequentialComputes,
    TaskMutatesInput,
    TaskUsesGlobalState,
    DelayedInsideDelayed,
    NestedComputeInTask,
    DelayedUnpackWithoutNout,
    DelayedTruthiness,
    LateBindingLambdaInLoop,
    FineGrainedDelayed,
    TooManyTasks,
    GilBoundTaskOnThreads,
    NumbaJitHoldsGil,
    UnusedTaskDependency,
    WholeCollectionDependency,
    LinearAccumulationChain,
)

__all__ = ["ALL_RULES"]
