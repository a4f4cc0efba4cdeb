"""Where the test suite's time goes: wall and CPU time per test module, the tests that
wait most (wall time well above their CPU time) and those that cost most CPU.

    python benchmarks/suite_cost.py                 # the README's test command, measured
    python benchmarks/suite_cost.py -- tests/test_cache.py -n 0

It runs pytest (by default as the README does: ``-n auto --dist worksteal``) with a small
plugin that notes, for every test (setup and teardown included), its wall time and the
CPU time of the pytest process and of the child processes it waited for. CPU spent in
processes the test did not wait for (a forked driver or server started by a fixture) is
not counted, so "wall above CPU" means waiting or CPU spent elsewhere. The machine's load
is printed with the figures: on a busy machine every wall time grows.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = """
import json, os, resource, time
import pytest

SELF, CHILDREN = resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN
_out = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    global _out
    if _out is None:
        _out = open(os.path.join(os.environ["SUITE_COST_DIR"], f"{os.getpid()}.jsonl"), "a")
    me, kids = resource.getrusage(SELF), resource.getrusage(CHILDREN)
    wall = time.perf_counter()
    yield
    me2, kids2 = resource.getrusage(SELF), resource.getrusage(CHILDREN)
    cpu = me2.ru_utime + me2.ru_stime - me.ru_utime - me.ru_stime
    child = kids2.ru_utime + kids2.ru_stime - kids.ru_utime - kids.ru_stime
    _out.write(json.dumps([item.nodeid, time.perf_counter() - wall, cpu, child]) + "\\n")
    _out.flush()
"""


def child_environment(folder: str, environ: Mapping[str, str]) -> dict[str, str]:
    """pytest's environment: the plugin's folder first on the path, its records' folder.

    An empty entry in ``PYTHONPATH`` stands for the working folder, so it is never made
    here: the tests that lint hostile code in their own folder would import it."""
    env = dict(environ, SUITE_COST_DIR=folder)
    env["PYTHONPATH"] = os.pathsep.join(
        entry for entry in (folder, environ.get("PYTHONPATH", "")) if entry
    )
    return env


def measure(pytest_args: list[str]) -> tuple[list[list[Any]], float, tuple[float, float]]:
    """The per-test rows, the run's wall time and the load before and after it."""
    with tempfile.TemporaryDirectory(prefix="suite-cost-") as folder:
        Path(folder, "suite_cost_plugin.py").write_text(PLUGIN)
        env = child_environment(folder, os.environ)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "suite_cost_plugin", *pytest_args],
            cwd=ROOT,
            env=env,
            check=False,
        )
        wall = time.perf_counter() - started
        rows = [
            json.loads(line)
            for path in Path(folder).glob("*.jsonl")
            for line in path.read_text().splitlines()
        ]
    return rows, wall, (load_before, os.getloadavg()[0])


def report(rows: list[list[Any]], wall: float, loads: tuple[float, float], top: int) -> str:
    per_module: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for nodeid, seconds, cpu, child in rows:
        totals = per_module[nodeid.split("::")[0]]
        totals[0] += seconds
        totals[1] += cpu
        totals[2] += child
        totals[3] += 1
    lines = [
        f"{len(rows)} tests in {wall:.0f} s; summed over tests: "
        f"{sum(r[1] for r in rows):.0f} s wall, {sum(r[2] for r in rows):.0f} s CPU in pytest, "
        f"{sum(r[3] for r in rows):.0f} s CPU in waited-for children; "
        f"1-minute load {loads[0]:.2f} before, {loads[1]:.2f} after",
        "",
        "| module | tests | wall s | CPU s (pytest) | CPU s (children) |",
        "|---|---|---|---|---|",
    ]
    for module, (seconds, cpu, child, count) in sorted(
        per_module.items(), key=lambda item: -item[1][0]
    )[:top]:
        lines.append(f"| {module} | {count:.0f} | {seconds:.1f} | {cpu:.1f} | {child:.1f} |")
    lines += ["", "Waiting most (wall minus counted CPU):", ""]
    for nodeid, seconds, cpu, child in sorted(rows, key=lambda r: -(r[1] - r[2] - r[3]))[:top]:
        lines.append(f"  {seconds - cpu - child:5.1f} s of {seconds:5.1f} s  {nodeid}")
    lines += ["", "Most CPU (pytest and waited-for children):", ""]
    for nodeid, seconds, cpu, child in sorted(rows, key=lambda r: -(r[2] + r[3]))[:top]:
        lines.append(f"  {cpu + child:5.1f} s CPU in {seconds:5.1f} s  {nodeid}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=25, help="rows per table")
    parser.add_argument("pytest_args", nargs="*", help="after --: pytest's arguments")
    args = parser.parse_args()
    pytest_args = args.pytest_args or ["-n", "auto", "--dist", "worksteal"]
    rows, wall, loads = measure(pytest_args)
    print(report(rows, wall, loads, args.top))


if __name__ == "__main__":
    main()
