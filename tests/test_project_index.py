"""The project index: cross-module task functions in sequential, parallel and single-file runs."""

from __future__ import annotations

import pickle
from pathlib import Path

from conftest import FIXTURES

from dasklint.config.settings import Settings
from dasklint.diagnostics import Confidence
from dasklint.engine.lint.linter import lint_source
from dasklint.engine.run import runner
from dasklint.semantic.project import build_index, index_for_file, module_name

PACKAGE = FIXTURES / "DSK601" / "taskpkg"

TASKS = """import dask

@dask.delayed
def inc(x):
    return x + 1
"""
USE = """import dask
from .tasks import inc

def run():
    return dask.compute(*[inc(i) for i in range(5000)])
"""


def _package(tmp_path: Path, count: int = 1) -> list[Path]:
    root = tmp_path / "mypkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "tasks.py").write_text(TASKS)
    paths = [root / "tasks.py"]
    for i in range(count):
        path = root / f"use{i}.py"
        path.write_text(USE)
        paths.append(path)
    return paths


def test_module_names_follow_init_files() -> None:
    name, base = module_name(PACKAGE / "pipeline.py")
    assert name == "taskpkg.pipeline"
    assert base == PACKAGE.parent.resolve()


def test_index_resolves_imports_and_reexports() -> None:
    index = build_index([PACKAGE / "pipeline.py"])
    assert set(index.modules) == {"taskpkg", "taskpkg.ok_tasks", "taskpkg.pipeline"}
    direct = index.lookup("taskpkg.ok_tasks.inc")
    assert direct is not None and direct.decorators[0].name == "dask.delayed"
    assert index.lookup("taskpkg.inc") is direct  # through ``from .ok_tasks import inc``
    assert index.lookup("taskpkg.missing") is None
    assert pickle.loads(pickle.dumps(index)).modules.keys() == index.modules.keys()


def _codes(results: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(d.code for r in results for d in r.diagnostics)


def test_single_file_mode_indexes_the_package(tmp_path: Path) -> None:
    _, use = _package(tmp_path)
    settings = Settings(root=tmp_path).for_file(use)
    assert len(index_for_file(str(use)).modules) == 2  # __init__.py has no Dask: skipped
    result = lint_source(use.read_bytes(), str(use), settings)
    assert [d.code for d in result.diagnostics] == ["DSK401"]


def test_sequential_and_parallel_runs_agree(tmp_path: Path) -> None:
    paths = _package(tmp_path, count=runner.PARALLEL_THRESHOLD + 2)
    settings = Settings(root=tmp_path)
    jobs = [(p, str(p), settings.for_file(p)) for p in paths]
    index = build_index(paths)
    sequential = list(runner.run(jobs, workers=1, index=index))
    parallel = list(runner.run(jobs, workers=2, index=index))
    assert _codes(sequential) == _codes(parallel) == ["DSK401"] * (len(paths) - 1)


LOADERS = """import dask.dataframe as dd
import pandas as pd


def load(path):
    frame = dd.read_parquet(path)
    return frame.dropna()


def read(path):
    return dd.read_csv(path).persist()


def local(path):
    return pd.read_csv(path)
"""
REPORTS = """import dask
from .loaders import load, local, read


def means(paths):
    return [read(p).x.mean().compute() for p in paths]


def tables(paths):
    return [local(p).compute() for p in paths]


def kept(paths):
    return [load(p).compute() for p in paths]
"""


def test_returned_collections_across_modules(tmp_path: Path) -> None:
    """A function of another project module that returns a Dask creator's result proves
    its callers' receivers (high); one that returns pandas' proves they are not Dask's
    (nothing); one whose return the index cannot follow stays medium."""
    root = tmp_path / "station"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "loaders.py").write_text(LOADERS)
    (root / "reports.py").write_text(REPORTS)
    index = build_index([root / "loaders.py", root / "reports.py"])
    facts = index.lookup("station.loaders.read")
    assert facts is not None and facts.returned_calls == ("dask.dataframe.read_csv",)
    reports = root / "reports.py"
    settings = Settings(root=tmp_path, min_confidence=Confidence.LOW).for_file(reports)
    result = lint_source(reports.read_bytes(), str(reports), settings, index)
    found = [(d.location.row, d.code, d.confidence.value) for d in result.diagnostics]
    assert found == [(6, "DSK303", "high"), (14, "DSK303", "medium")]
