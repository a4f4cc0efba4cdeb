"""Module-level computations that start worker processes crash as scripts; the fixes
(``dasklint check --fix --unsafe-fixes``, every default rule) must make them run.

Each program is written the way tutorials and course scripts are: computations at module
level, with more functions defined after them. Each is run as written (it crashes: the
spawned workers import the script again), then fixed and run again: it must exit cleanly
and print the values the computation gives on threads.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import ROOT
from programs import run_program

from dasklint.config.settings import Settings
from dasklint.engine.fix.loop import fix_source

pytestmark = pytest.mark.dask_runtime


BAG_THEN_DEFINITIONS = """
import dask.bag as db


def inc(x):
    return x + 1


numbers = db.from_sequence(range(10), npartitions=4)
print("incremented", numbers.map(inc).sum().compute())


def double(x):
    return 2 * x


print("doubled", numbers.map(double).sum().compute())
"""

CONFIG_BLOCK_THEN_DEFINITIONS = """
import dask
import dask.bag as db


def parse(line):
    return len(line)


with dask.config.set(scheduler="processes"):
    lines = db.from_sequence(["a", "bb", "ccc"] * 10, npartitions=3)
    total = lines.map(parse).sum().compute()
print("total", total)


def summarize(value):
    return value * 2


print("summary", summarize(total))
"""

EXPLICIT_THEN_DEFINITIONS = """
import dask


@dask.delayed
def square(x):
    return x * x


results = dask.compute(*[square(i) for i in range(8)], scheduler="processes", num_workers=2)
print("sum", sum(results))


def report(values):
    print("max", max(values))


report(results)
"""

# No definition after the call: DSK101's LocalCluster fix moves it under the guard, or,
# when DSK101 offers none, DSK201 reports it with the guard fix. Either way it must run.
EXPLICIT_ALONE = """
import dask


@dask.delayed
def square(x):
    return x * x


results = dask.compute(*[square(i) for i in range(8)], scheduler="processes")
print("sum", sum(results))
"""

PROGRAMS = {
    "bag_then_definitions": (BAG_THEN_DEFINITIONS, "incremented 55\ndoubled 90\n"),
    "config_block_then_definitions": (CONFIG_BLOCK_THEN_DEFINITIONS, "total 60\nsummary 120\n"),
    "explicit_then_definitions": (EXPLICIT_THEN_DEFINITIONS, "sum 140\nmax 49\n"),
    "explicit_alone": (EXPLICIT_ALONE, "sum 140\n"),
}


def unsafe_fixed(source: str) -> str:
    """``source`` after every default rule's safe and unsafe fixes."""
    settings = Settings(root=ROOT, unsafe_fixes=True).for_file(ROOT / "program.py")
    outcome = fix_source(source.encode(), str(ROOT / "program.py"), settings)
    assert outcome.result.error is None, outcome.result.error
    return outcome.source.decode()


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_module_level_process_start_is_fixed_by_the_guard(tmp_path: Path, name: str) -> None:
    source, expected = PROGRAMS[name]
    source = textwrap.dedent(source)
    original = run_program(tmp_path, source, "original")
    assert original.returncode != 0, original.stdout
    assert "BrokenProcessPool" in original.stderr or "RuntimeError" in original.stderr
    fixed = unsafe_fixed(source)
    assert 'if __name__ == "__main__":' in fixed, fixed
    after = run_program(tmp_path, fixed, "fixed")
    assert after.returncode == 0, f"{fixed}\n{after.stderr[-2000:]}"
    assert after.stdout == expected, fixed
