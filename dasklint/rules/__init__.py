"""Every rule, registered explicitly and sorted by code (codes are stable once published)."""

from __future__ import annotations

from dasklint.rule import Rule
from dasklint.rules.chunksize_minus_one import ChunksizeMinusOne
from dasklint.rules.client_not_closed import ClientNotClosed
from dasklint.rules.cluster_created_per_call import ClusterCreatedPerCall
from dasklint.rules.compute_in_loop import ComputeInLoop
from dasklint.rules.dask_async_module import DaskAsyncModule
from dasklint.rules.delayed_inside_delayed import DelayedInsideDelayed
from dasklint.rules.delayed_never_computed import DelayedNeverComputed
from dasklint.rules.delayed_on_collection import DelayedOnCollection
from dasklint.rules.delayed_on_result import DelayedOnResult
from dasklint.rules.delayed_truthiness import DelayedTruthiness
from dasklint.rules.delayed_unpack_without_nout import DelayedUnpackWithoutNout
from dasklint.rules.deprecated_dataframe_kwargs import DeprecatedDataframeKwargs
from dasklint.rules.discarded_future import DiscardedFuture
from dasklint.rules.executor_renamed import ExecutorRenamed
from dasklint.rules.fastparquet_engine import FastparquetEngine
from dasklint.rules.fine_grained_delayed import FineGrainedDelayed
from dasklint.rules.gather_to_inspect import GatherToInspect
from dasklint.rules.get_client_without_secede import GetClientWithoutSecede
from dasklint.rules.get_keyword_removed import GetKeywordRemoved
from dasklint.rules.gil_bound_task_on_threads import GilBoundTaskOnThreads
from dasklint.rules.huge_array_chunks import HugeArrayChunks
from dasklint.rules.ignored_scheduler_keyword import IgnoredSchedulerKeyword
from dasklint.rules.impure_function_marked_pure import ImpureFunctionMarkedPure
from dasklint.rules.impure_function_submitted_as_pure import ImpureFunctionSubmittedAsPure
from dasklint.rules.iterating_dask_dataframe import IteratingDaskDataframe
from dasklint.rules.large_arg_to_many_submits import LargeArgToManySubmits
from dasklint.rules.large_input_in_every_task import LargeInputInEveryTask
from dasklint.rules.late_binding_lambda_in_loop import LateBindingLambdaInLoop
from dasklint.rules.legacy_cli_flags import LegacyCliFlags
from dasklint.rules.legacy_dataframe_config import LegacyDataframeConfig
from dasklint.rules.legacy_scheduler_spelling import LegacySchedulerSpelling
from dasklint.rules.len_triggers_compute import LenTriggersCompute
from dasklint.rules.linear_accumulation_chain import LinearAccumulationChain
from dasklint.rules.load_data_client_side import LoadDataClientSide
from dasklint.rules.local_client_renamed import LocalClientRenamed
from dasklint.rules.missing_main_guard import MissingMainGuard
from dasklint.rules.mixed_default_schedulers import MixedDefaultSchedulers
from dasklint.rules.nested_compute_in_task import NestedComputeInTask
from dasklint.rules.numba_jit_holds_gil import NumbaJitHoldsGil
from dasklint.rules.persist_blocks_optimizer import PersistBlocksOptimizer
from dasklint.rules.persist_result_discarded import PersistResultDiscarded
from dasklint.rules.processes_compute_in_loop import ProcessesComputeInLoop
from dasklint.rules.processes_scheduler import ProcessesScheduler
from dasklint.rules.processes_small_graph_batched import ProcessesSmallGraphBatched
from dasklint.rules.pub_sub_removed import PubSubRemoved
from dasklint.rules.result_in_loop import ResultInLoop
from dasklint.rules.row_wise_apply import RowWiseApply
from dasklint.rules.scheduler_bypasses_client import SchedulerBypassesClient
from dasklint.rules.sequential_computes import SequentialComputes
from dasklint.rules.set_options_removed import SetOptionsRemoved
from dasklint.rules.shuffle_kwarg_renamed import ShuffleKwargRenamed
from dasklint.rules.single_giant_task import SingleGiantTask
from dasklint.rules.submit_in_loop import SubmitInLoop
from dasklint.rules.sync_scheduler_left_in import SyncSchedulerLeftIn
from dasklint.rules.task_mutates_input import TaskMutatesInput
from dasklint.rules.task_uses_global_state import TaskUsesGlobalState
from dasklint.rules.tiny_array_chunks import TinyArrayChunks
from dasklint.rules.too_many_partitions import TooManyPartitions
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
    IgnoredSchedulerKeyword,
    MissingMainGuard,
    ClientNotClosed,
    ClusterCreatedPerCall,
    DelayedOnResult,
    DelayedNeverComputed,
    ComputeInLoop,
    SequentialComputes,
    TaskMutatesInput,
    TaskUsesGlobalState,
    DelayedInsideDelayed,
    DelayedOnCollection,
    LargeInputInEveryTask,
    NestedComputeInTask,
    DelayedUnpackWithoutNout,
    DelayedTruthiness,
    ImpureFunctionMarkedPure,
    LateBindingLambdaInLoop,
    SingleGiantTask,
    FineGrainedDelayed,
    TooManyTasks,
    GilBoundTaskOnThreads,
    NumbaJitHoldsGil,
    UnusedTaskDependency,
    WholeCollectionDependency,
    LinearAccumulationChain,
    SubmitInLoop,
    ResultInLoop,
    LargeArgToManySubmits,
    DiscardedFuture,
    ImpureFunctionSubmittedAsPure,
    GetClientWithoutSecede,
    GatherToInspect,
    LenTriggersCompute,
    RowWiseApply,
    PersistResultDiscarded,
    PersistBlocksOptimizer,
    TooManyPartitions,
    LoadDataClientSide,
    IteratingDaskDataframe,
    TinyArrayChunks,
    HugeArrayChunks,
    GetKeywordRemoved,
    SetOptionsRemoved,
    DaskAsyncModule,
    LocalClientRenamed,
    ExecutorRenamed,
    ShuffleKwargRenamed,
    LegacyDataframeConfig,
    FastparquetEngine,
    PubSubRemoved,
    DeprecatedDataframeKwargs,
    LegacyCliFlags,
)

__all__ = ["ALL_RULES"]
