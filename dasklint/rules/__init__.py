"""Every rule, registered explicitly and sorted by code (codes are stable once published)."""

from __future__ import annotations

from dasklint.rule import Rule
from dasklint.rules.arrays.huge_array_chunks import HugeArrayChunks
from dasklint.rules.arrays.tiny_array_chunks import TinyArrayChunks
from dasklint.rules.dataframes.iterating_dask_dataframe import IteratingDaskDataframe
from dasklint.rules.dataframes.len_triggers_compute import LenTriggersCompute
from dasklint.rules.dataframes.load_data_client_side import LoadDataClientSide
from dasklint.rules.dataframes.persist_blocks_optimizer import PersistBlocksOptimizer
from dasklint.rules.dataframes.persist_result_discarded import PersistResultDiscarded
from dasklint.rules.dataframes.row_wise_apply import RowWiseApply
from dasklint.rules.dataframes.too_many_partitions import TooManyPartitions
from dasklint.rules.delayed.compute_in_loop import ComputeInLoop
from dasklint.rules.delayed.delayed_inside_delayed import DelayedInsideDelayed
from dasklint.rules.delayed.delayed_never_computed import DelayedNeverComputed
from dasklint.rules.delayed.delayed_on_collection import DelayedOnCollection
from dasklint.rules.delayed.delayed_on_result import DelayedOnResult
from dasklint.rules.delayed.delayed_truthiness import DelayedTruthiness
from dasklint.rules.delayed.delayed_unpack_without_nout import DelayedUnpackWithoutNout
from dasklint.rules.delayed.impure_function_marked_pure import ImpureFunctionMarkedPure
from dasklint.rules.delayed.large_input_in_every_task import LargeInputInEveryTask
from dasklint.rules.delayed.late_binding_lambda_in_loop import LateBindingLambdaInLoop
from dasklint.rules.delayed.nested_compute_in_task import NestedComputeInTask
from dasklint.rules.delayed.sequential_computes import SequentialComputes
from dasklint.rules.delayed.single_giant_task import SingleGiantTask
from dasklint.rules.delayed.task_mutates_input import TaskMutatesInput
from dasklint.rules.delayed.task_uses_global_state import TaskUsesGlobalState
from dasklint.rules.dependencies.linear_accumulation_chain import LinearAccumulationChain
from dasklint.rules.dependencies.unused_task_dependency import UnusedTaskDependency
from dasklint.rules.dependencies.whole_collection_dependency import WholeCollectionDependency
from dasklint.rules.deprecations.dask_async_module import DaskAsyncModule
from dasklint.rules.deprecations.deprecated_dataframe_kwargs import DeprecatedDataframeKwargs
from dasklint.rules.deprecations.executor_renamed import ExecutorRenamed
from dasklint.rules.deprecations.fastparquet_engine import FastparquetEngine
from dasklint.rules.deprecations.get_keyword_removed import GetKeywordRemoved
from dasklint.rules.deprecations.legacy_cli_flags import LegacyCliFlags
from dasklint.rules.deprecations.legacy_dataframe_config import LegacyDataframeConfig
from dasklint.rules.deprecations.local_client_renamed import LocalClientRenamed
from dasklint.rules.deprecations.pub_sub_removed import PubSubRemoved
from dasklint.rules.deprecations.set_options_removed import SetOptionsRemoved
from dasklint.rules.deprecations.shuffle_kwarg_renamed import ShuffleKwargRenamed
from dasklint.rules.futures.discarded_future import DiscardedFuture
from dasklint.rules.futures.gather_to_inspect import GatherToInspect
from dasklint.rules.futures.get_client_without_secede import GetClientWithoutSecede
from dasklint.rules.futures.impure_function_submitted_as_pure import ImpureFunctionSubmittedAsPure
from dasklint.rules.futures.large_arg_to_many_submits import LargeArgToManySubmits
from dasklint.rules.futures.result_in_loop import ResultInLoop
from dasklint.rules.futures.submit_in_loop import SubmitInLoop
from dasklint.rules.gil.gil_bound_task_on_threads import GilBoundTaskOnThreads
from dasklint.rules.gil.numba_jit_holds_gil import NumbaJitHoldsGil
from dasklint.rules.granularity.fine_grained_delayed import FineGrainedDelayed
from dasklint.rules.granularity.too_many_tasks import TooManyTasks
from dasklint.rules.lifecycle.client_not_closed import ClientNotClosed
from dasklint.rules.lifecycle.cluster_created_per_call import ClusterCreatedPerCall
from dasklint.rules.lifecycle.missing_main_guard import MissingMainGuard
from dasklint.rules.schedulers.chunksize_minus_one import ChunksizeMinusOne
from dasklint.rules.schedulers.ignored_scheduler_keyword import IgnoredSchedulerKeyword
from dasklint.rules.schedulers.legacy_scheduler_spelling import LegacySchedulerSpelling
from dasklint.rules.schedulers.mixed_default_schedulers import MixedDefaultSchedulers
from dasklint.rules.schedulers.processes_compute_in_loop import ProcessesComputeInLoop
from dasklint.rules.schedulers.processes_scheduler import ProcessesScheduler
from dasklint.rules.schedulers.processes_small_graph_batched import ProcessesSmallGraphBatched
from dasklint.rules.schedulers.scheduler_bypasses_client import SchedulerBypassesClient
from dasklint.rules.schedulers.sync_scheduler_left_in import SyncSchedulerLeftIn

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
