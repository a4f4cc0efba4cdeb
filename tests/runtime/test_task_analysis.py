"""The task-family examples, run with the installed Dask, show what the messages claim.

Each example runs small, in a subprocess (dasklint itself never runs linted code), and
the tests check structure only: task counts and graph depth from ``__dask_graph__``,
and which processes ran the tasks. No durations.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_dask_behaviour import lint_codes, result_of

pytestmark = pytest.mark.dask_runtime


def test_trivial_tasks_make_one_task_per_item() -> None:
    """DSK401: one task per item; batching makes one task per batch."""
    # ``fine(n)`` (a count not known statically) and ``ten_thousand()``.
    assert lint_codes("ten_thousand_trivial") == Counter({"DSK401": 2})
    report = result_of("ten_thousand_trivial", n=2000, batches=10)
    assert report["fine_tasks"] == 2000
    assert report["batched_tasks"] == 10
    assert report["literal_tasks"] == 10_000
    assert report["fine_sum"] == sum(range(1, 2001))


def test_tree_reductions_maps_and_fine_chunks_make_the_counted_tasks() -> None:
    """DSK401/DSK901: a hand-written halving loop over ``n`` leaves builds ``n - 1``
    tasks, ``map(delayed(f), items)`` one per item, and ``chunks=1000`` on 100,000
    floats 100 chunks, as the messages count them."""
    assert lint_codes("tree_reduction") == Counter({"DSK401": 3, "DSK901": 1, "DSK806": 1})
    report = result_of("tree_reduction")
    assert report["looped_tasks"] == 1023
    assert report["looped_value"] == sum(range(1024))
    assert report["mapped_tree_tasks"] == 511
    assert report["mapped_tree_value"] == sum(range(512))
    assert report["mapped_tasks"] == 1000
    assert report["mapped_sum"] == sum(range(1, 1001))
    assert report["chunks"] == 100
    assert report["hits_tasks"] >= 2 * 100  # every operation is one task per chunk


def test_pure_python_tasks_on_threads_share_one_process() -> None:
    """DSK501: the threaded scheduler runs every task in the calling process (one GIL);
    a LocalCluster of single-threaded workers spreads them over worker processes."""
    assert lint_codes("gil_bound_threads") == Counter({"DSK501": 2})  # one per computation
    report = result_of("gil_bound_threads", words=3000, tasks=4)
    thread_pids = {r["pid"] for r in report["threads"]}
    assert thread_pids == {report["parent_pid"]}
    process_pids = {r["pid"] for r in report["processes"]}
    assert report["parent_pid"] not in process_pids
    assert len(process_pids) == 2
    assert [r["score"] for r in report["threads"]] == [r["score"] for r in report["processes"]]


def test_unused_argument_and_accumulator_make_chains() -> None:
    """DSK601/DSK603: an unread argument and a loop accumulator both make the graph a
    chain as deep as the data; independent tasks and ``delayed(sum)`` have depth 2."""
    # DSK401: ``task`` is tiny and made once per item of ``range(n)`` (size unknown).
    assert lint_codes("unused_dependency_chain") == Counter({"DSK601": 1, "DSK603": 2, "DSK401": 2})
    report = result_of("unused_dependency_chain", n=30)
    assert report["chained_depth"] == 30
    assert report["accumulated_depth"] == 31
    assert report["independent_depth"] == 2
    assert report["sum_depth"] == 2
    assert report["accumulated_value"] == sum(range(30))
