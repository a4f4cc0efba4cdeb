"""Fixes that move tasks between processes keep the results and the parallelism, run with
the installed dask and distributed (issue 16, items 1-3).

Each program is linted and fixed as a user would (``check --fix --unsafe-fixes``, every
default rule), then run as a script in a fresh interpreter, before and after. The programs
print what decides the question: how many distinct Monte Carlo counts 100 tasks returned,
or which processes ran the tasks (the task functions return ``os.getpid()``).
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from programs import run_program

from dasklint.config.settings import Selection, Settings
from dasklint.engine.fix.loop import fix_source
from dasklint.engine.lint.linter import lint_source

pytestmark = pytest.mark.dask_runtime


def _settings(unsafe: bool, select: tuple[str, ...] = ()) -> Any:
    layers = (Selection(select=select),) if select else ()
    settings = Settings(root=ROOT, layers=layers)
    return replace(settings, unsafe_fixes=unsafe).for_file(ROOT / "program.py")


def fixed(source: str, select: tuple[str, ...] = ()) -> str:
    """``source`` after ``dasklint check --fix --unsafe-fixes`` with the default rules
    (or the ``select``-ed ones)."""
    settings = _settings(unsafe=True, select=select)
    outcome = fix_source(source.encode(), str(ROOT / "program.py"), settings)
    assert outcome.result.error is None, outcome.result.error
    return outcome.source.decode()


def messages(source: str, code: str) -> list[str]:
    result = lint_source(source.encode(), str(ROOT / "program.py"), _settings(unsafe=False))
    assert result.error is None
    return [d.text for d in result.diagnostics if d.code == code]


def run(tmp_path: Path, source: str, name: str) -> Any:
    """The JSON value the program prints on its last line."""
    proc = run_program(tmp_path, source, name)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- item 1: the global random state -----------------------------------------------------

# 100 tasks of 20,000 draws: on threads the tasks share one generator and about 80 of
# the 100 counts differ. The two spellings repeat in worker processes for two reasons: a
# bare `random` is a method of the generator, pickled (with its state) into every task;
# a module-level seed runs again in every worker process, which imports the script.
MONTE_CARLO = {
    "bound_method": """
        import json
        from random import random

        import dask


        def hits(n):
            inside = 0
            for _ in range(n):
                x, y = random(), random()
                if x * x + y * y <= 1.0:
                    inside += 1
            return inside
    """,
    "module_seed": """
        import json
        import random

        import dask

        random.seed(2024)


        def hits(n):
            inside = 0
            for _ in range(n):
                x, y = random.random(), random.random()
                if x * x + y * y <= 1.0:
                    inside += 1
            return inside
    """,
}
MONTE_CARLO_MAIN = """

    if __name__ == "__main__":
        tasks = [dask.delayed(hits)(20_000) for _ in range(100)]
        counts = dask.compute(*tasks)
        print(json.dumps(len(set(counts))))
"""


@pytest.mark.parametrize("rules", [(), ("DSK501",)], ids=["all-rules", "DSK501"])
@pytest.mark.parametrize("shape", sorted(MONTE_CARLO))
def test_monte_carlo_keeps_distinct_draws_after_the_fix(
    tmp_path: Path, shape: str, rules: tuple[str, ...]
) -> None:
    """Moved to worker processes, the tasks returned 1 (bound method) or about 45 (one
    seed per worker process, with DSK501's `scheduler="processes", chunksize=1`) distinct
    counts instead of about 80: no fix moves them, and the finding says how to seed per
    task. With every rule, DSK101 then moved them on to a LocalCluster."""
    source = textwrap.dedent(MONTE_CARLO[shape]) + textwrap.dedent(MONTE_CARLO_MAIN)
    changed = fixed(source, rules)
    threads = run(tmp_path, source, "original")
    after = run(tmp_path, changed, "fixed")
    assert threads >= 60, threads  # the shared generator: most counts differ
    assert after >= 0.8 * threads, (threads, after, changed)
    (message,) = messages(source, "DSK501")
    assert "seed each task first" in message, message


def test_monte_carlo_seeded_per_task_is_moved_with_the_same_counts(tmp_path: Path) -> None:
    """The advice followed (a generator per task from its own seed), on the processes
    scheduler, in two rounds (one cluster serves both, so the codemod pays): DSK101's
    LocalCluster codemod is offered, and every count is the same as before it."""
    source = textwrap.dedent(
        """
        import json
        import random

        import dask


        def hits(seed, n):
            gen = random.Random(seed)
            inside = 0
            for _ in range(n):
                x, y = gen.random(), gen.random()
                if x * x + y * y <= 1.0:
                    inside += 1
            return inside


        if __name__ == "__main__":
            counts = []
            for first in (0, 50):
                tasks = [dask.delayed(hits)(seed, 20_000) for seed in range(first, first + 50)]
                counts.extend(dask.compute(*tasks, scheduler="processes", chunksize=1))
            print(json.dumps(counts))
        """
    )
    changed = fixed(source)
    assert "LocalCluster" in changed, changed
    counts = run(tmp_path, source, "original")
    assert run(tmp_path, changed, "fixed") == counts
    assert len(set(counts)) >= 60


# -- item 2: results that cost more to ship than the workers save -------------------------

NESTED_LISTS = """
    import json
    import os

    import dask


    def rows(part, n):
        out = []
        for i in range(n):
            out.append([i, part, i * 2])
        return out, os.getpid()


    if __name__ == "__main__":
        tasks = [dask.delayed(rows)(part, 20_000) for part in range(5)]
        results = dask.compute(*tasks)
        checksum = sum(row[0] + row[1] for out, _ in results for row in out)
        print(json.dumps([checksum, sorted({pid == os.getpid() for _, pid in results})]))
"""


def test_tasks_returning_built_lists_stay_in_this_process(tmp_path: Path) -> None:
    """Five GIL-bound tasks returning lists they build: pickling such results back costs
    more than the worker processes save (3.4x slower at 1,000,000 rows per task), so no
    fix moves them; the program computes the same checksum in this process."""
    source = textwrap.dedent(NESTED_LISTS)
    checksum, in_main = run(tmp_path, source, "original")
    checksum_after, in_main_after = run(tmp_path, fixed(source), "fixed")
    assert checksum_after == checksum
    assert in_main == in_main_after == [True], fixed(source)
    (message,) = messages(source, "DSK501")
    assert "would not pay" in message, message


# -- item 3: threads only for task functions known to wait outside the GIL ----------------

LIBRARY = """
    import dask


    def run_all(func, items):
        tasks = [dask.delayed(func)(item) for item in items]
        return dask.compute(*tasks, scheduler="multiprocessing", chunksize=1)
"""
DRIVER = """
    import json
    import os

    from library import run_all


    def busy(n):
        total = 0
        for i in range(n):
            total = (total * 31 + i) % 1_000_003
        return total, os.getpid()


    if __name__ == "__main__":
        results = run_all(busy, [200_000] * 4)
        print(json.dumps([[t for t, _ in results], os.getpid() in {p for _, p in results}]))
"""


def test_library_with_a_task_parameter_keeps_its_worker_processes(tmp_path: Path) -> None:
    """A library function given its task function as a parameter: its cost is unknown, so
    the fix must not hand the tasks to the threaded scheduler (where a GIL-bound function
    loses its parallelism); they still run in worker processes with the same results."""
    library = textwrap.dedent(LIBRARY)
    driver = textwrap.dedent(DRIVER)
    (tmp_path / "library.py").write_text(library, encoding="utf-8")
    totals, in_main = run(tmp_path, driver, "original")
    (tmp_path / "library.py").write_text(fixed(library), encoding="utf-8")
    totals_after, in_main_after = run(tmp_path, driver, "fixed")
    assert totals_after == totals
    assert (in_main, in_main_after) == (False, False), fixed(library)
