"""How many tasks a call creates, as the semantic model reads it, and the confidence the
fine-grained rules give their findings: exact from literals, bounded from a parameter's
default, unknown (reported only as the trivial-task pattern itself)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst

from dasklint.config.settings import Settings
from dasklint.diagnostics import Confidence, Severity
from dasklint.engine.lint.linter import lint_source
from dasklint.semantic import SemanticModel
from dasklint.semantic.task_call import TaskApi


def _tasks(source: str) -> dict[str, tuple[int | None, bool | None]]:
    """Per task call (its source text): (estimated count, exact?)."""
    module = cst.parse_module(textwrap.dedent(source))
    model = SemanticModel(module)
    cst.visit_batched(module, [], before_visit=model.on_visit, after_leave=model.on_leave)
    model.finish()
    out: dict[str, tuple[int | None, bool | None]] = {}
    for task in model.tasks.task_calls:
        estimate = task.estimate
        key = module.code_for_node(task.call)
        out[key] = (estimate.value, estimate.exact) if estimate else (None, None)
    return out


def test_halving_reductions_count_the_whole_tree() -> None:
    counts = _tasks(
        """
        import operator
        from dask import delayed

        L = list(range(2 ** 10))
        while len(L) > 1:
            new_L = []
            for i in range(0, len(L), 2):
                new_L.append(delayed(operator.add)(L[i], L[i + 1]))
            L = new_L

        M = range(512)
        while len(M) > 1:
            M = list(map(delayed(operator.add), M[0::2], M[1::2]))
        """
    )
    assert counts["delayed(operator.add)(L[i], L[i + 1])"] == (1023, True)
    assert counts["map(delayed(operator.add), M[0::2], M[1::2])"] == (511, True)


def test_per_element_calls_count_their_iterables() -> None:
    counts = _tasks(
        """
        import numpy as np
        from dask import delayed
        from dask.distributed import Client

        def square(x):
            return x ** 2

        client = Client()
        values = np.random.rand(10_000, 1)
        a = client.map(square, values)
        b = client.map(square, a)
        c = client.map(square, range(1000)[::2])
        d = list(map(delayed(square), [1, 2, 3]))
        e = [delayed(square)(i) for i in range(len(values)) if i % 2]
        """
    )
    assert counts["client.map(square, values)"] == (10_000, True)
    assert counts["client.map(square, a)"] == (10_000, True)
    assert counts["client.map(square, range(1000)[::2])"] == (500, True)
    assert counts["map(delayed(square), [1, 2, 3])"] == (3, True)
    assert counts["delayed(square)(i)"] == (10_000, False)  # ``if``: at most


def test_parameter_defaults_bound_the_count() -> None:
    counts = _tasks(
        """
        from dask import delayed

        def run(count=1000, rows=None, exp=4):
            a = [delayed(abs)(i) for i in range(count)]
            b = [delayed(abs)(i) for i in range(2 ** exp)]
            c = [delayed(abs)(r) for r in rows]
            return a, b, c
        """
    )
    assert counts["delayed(abs)(i)"] == (16, False)  # the last of the two
    assert counts["delayed(abs)(r)"] == (None, None)


def _findings(source: str) -> list[tuple[int, str, Confidence, Severity]]:
    result = lint_source(
        textwrap.dedent(source).encode(),
        "example.py",
        Settings(root=Path("/tmp")).for_file(Path("/tmp/example.py")),
    )
    assert result.error is None
    return [
        (d.location.row, d.code, d.confidence, d.severity)
        for d in result.diagnostics
        if d.code in ("DSK401", "DSK402")
    ]


def test_confidence_follows_how_the_count_is_known() -> None:
    findings = _findings(
        """
        import dask

        def inc(x):
            return x + 1

        def exact():
            return dask.compute(*[dask.delayed(inc)(i) for i in range(5000)])

        def bounded(count=5000):
            return dask.compute(*[dask.delayed(inc)(i) for i in range(count)])

        def unknown(values):
            return dask.compute(*[dask.delayed(inc)(v) for v in values])

        def huge(count=1_000_000):
            return dask.compute(*[dask.delayed(len)([i]) for i in range(count)])

        def huge_work(count=1_000_000):
            return dask.compute(*[dask.delayed(sum)(range(i)) for i in range(count)])
        """
    )
    assert findings == [
        (8, "DSK401", Confidence.HIGH, Severity.WARNING),
        (11, "DSK401", Confidence.MEDIUM, Severity.WARNING),
        (14, "DSK401", Confidence.MEDIUM, Severity.INFO),
        (17, "DSK401", Confidence.MEDIUM, Severity.WARNING),  # supersedes DSK402
        (20, "DSK402", Confidence.MEDIUM, Severity.WARNING),
    ]


def test_per_group_lazy_and_while_loops_of_unknown_size_stay_quiet() -> None:
    findings = _findings(
        """
        import dask
        import dask.dataframe as dd

        def inc(x):
            return x + 1

        def groups(X, y, classes):
            return [dask.delayed(len)(X[y == c]) for c in classes]

        def partitions(path):
            ddf = dd.read_csv(path)
            return [dask.delayed(len)(part) for part in ddf.to_delayed()]

        def iterate(x):
            while x < 100:
                x = dask.delayed(inc)(x).compute()
            return x
        """
    )
    assert findings == []


def test_task_api_of_builtin_map_over_delayed() -> None:
    module = cst.parse_module("from dask import delayed\nxs = list(map(delayed(abs), [1, 2]))\n")
    model = SemanticModel(module)
    cst.visit_batched(module, [], before_visit=model.on_visit, after_leave=model.on_leave)
    model.finish()
    [task] = model.tasks.task_calls
    assert task.api is TaskApi.DELAYED_MAP
    assert task.per_element
