"""Fixes that move a computation from a local scheduler to a Client leave behind the
keywords the local scheduler ignored and the Client would read.

``workers=``, ``retries=``, ``priority=``... do nothing on the threaded, processes and
synchronous schedulers (``tests/runtime/test_ignored_keywords.py``), but a Client reads
them: ``workers=4`` fails there with ``TypeError: addresses should be strings or tuples``,
and a list of worker names that no LocalCluster worker has keeps the tasks waiting. Each
program below is fixed with every default rule's safe and unsafe fixes; wherever the
result computes on a Client, no such keyword may reach it. The scripts compute in a loop:
the LocalCluster codemod is offered only where its one cluster serves several computations.
"""

from __future__ import annotations

import ast
import textwrap

import pytest
from conftest import ROOT

from dasklint.config.settings import Settings
from dasklint.engine.fix.loop import fix_source
from dasklint.semantic.schedulerkeywords import CLIENT_KEYWORDS

SCRIPT = """
import dask


def render(seed):
    return seed * 2


def render_all(batches):
    for seeds in batches:
        jobs = [dask.delayed(render)(seed) for seed in seeds]
        print(dask.compute(*jobs, scheduler="processes", {keywords}))


if __name__ == "__main__":
    render_all([[3, 5], [7, 11]])
"""

LIBRARY = """
import dask


def render(seed):
    return seed * 2


def render_all(seeds):
    jobs = [dask.delayed(render)(seed) for seed in seeds]
    return dask.compute(*jobs, scheduler="processes", {keywords})
"""

CLIENT_BEFORE = """
import dask
from dask.distributed import Client


def render(seed):
    return seed * 2


if __name__ == "__main__":
    client = Client()
    jobs = [dask.delayed(render)(seed) for seed in [3, 5, 7, 11]]
    print(dask.compute(*jobs, scheduler="processes", {keywords}))
"""

CONFIG_BLOCK = """
import dask


def render(seed):
    return seed * 2


def render_all(batches):
    with dask.config.set(scheduler="processes"):
        for seeds in batches:
            jobs = [dask.delayed(render)(seed) for seed in seeds]
            print(dask.compute(*jobs, {keywords}))


if __name__ == "__main__":
    render_all([[3, 5], [7, 11]])
"""

THREADS_GIL = """
import dask


def crunch(seed):
    total = 0
    for i in range(10_000_000):
        total += (i * seed) % 7
    return total


if __name__ == "__main__":
    jobs = [dask.delayed(crunch)(seed) for seed in range(400)]
    print(dask.compute(*jobs, {keywords}))
"""

SHAPES = {
    "script": SCRIPT,
    "library": LIBRARY,
    "client-before": CLIENT_BEFORE,
    "config-block": CONFIG_BLOCK,
    "threads-gil": THREADS_GIL,
}
KEYWORDS = ("workers=4", 'workers=["w1"], retries=3', "priority=10, resources={'GPU': 1}")


def unsafe_fixed(source: str) -> str:
    settings = Settings(root=ROOT, unsafe_fixes=True).for_file(ROOT / "program.py")
    outcome = fix_source(source.encode(), str(ROOT / "program.py"), settings)
    assert outcome.result.error is None, outcome.result.error
    return outcome.source.decode()


def _computes(source: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "dask.compute"
    ]


@pytest.mark.parametrize("keywords", KEYWORDS)
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_no_client_keyword_follows_a_move_to_a_client(shape: str, keywords: str) -> None:
    source = textwrap.dedent(SHAPES[shape]).format(keywords=keywords)
    fixed = unsafe_fixed(source)
    (before,) = _computes(source)
    (after,) = _computes(fixed)
    moved = any(k.arg == "scheduler" for k in before.keywords) != any(
        k.arg == "scheduler" for k in after.keywords
    ) or ("LocalCluster" in fixed and "LocalCluster" not in source)
    left = sorted(k.arg for k in after.keywords if k.arg in CLIENT_KEYWORDS)
    if moved:
        assert not left, f"{shape}: {left} carried to the Client:\n{fixed}"
    else:
        # Nothing moved: the keywords stay where the local scheduler ignores them.
        assert left == sorted(k.arg for k in before.keywords if k.arg in CLIENT_KEYWORDS)


def test_an_integer_worker_count_sizes_the_cluster() -> None:
    """The count ``workers=4`` asked for (on a pool that ignored it) sizes the
    LocalCluster the fix starts, as ``num_workers=4`` would."""
    fixed = unsafe_fixed(textwrap.dedent(SCRIPT).format(keywords="workers=4"))
    assert "with LocalCluster(n_workers=4, threads_per_worker=1) as cluster" in fixed
    (after,) = _computes(fixed)
    assert not after.keywords  # only *jobs is left
