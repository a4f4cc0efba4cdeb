"""`benchmarks/suite_cost.py` measures each test of a real pytest run and adds the
figures up per module, with the tests that wait most."""

from __future__ import annotations

import os

from conftest import ROOT
from programs import load_script

SUITE_COST = load_script(ROOT / "benchmarks" / "suite_cost.py", "suite_cost")


def test_a_real_run_is_measured_test_by_test() -> None:
    rows, wall, loads = SUITE_COST.measure(["tests/test_trace_exit.py", "-n", "0"])
    assert sorted(row[0].split("::")[1] for row in rows) == [
        "test_as_a_process_everything_is_written_before_it_ends",
        "test_inside_a_caller_trace_returns_the_programs_status",
    ]
    assert all(seconds > 0 and cpu >= 0 and child >= 0 for _, seconds, cpu, child in rows)
    # The process test waits for `python -m dasklint trace`: CPU of a waited-for child.
    (process,) = [row for row in rows if "as_a_process" in row[0]]
    assert process[3] > 0
    assert wall >= sum(row[1] for row in rows)
    assert all(load >= 0 for load in loads)


def test_modules_are_summed_and_waits_ranked() -> None:
    rows = [
        ["tests/a.py::one", 2.0, 0.5, 0.5],
        ["tests/a.py::two", 1.0, 1.2, 0.0],
        ["tests/b.py::three", 5.0, 0.2, 0.3],
    ]
    text = SUITE_COST.report(rows, 9.0, (0.5, 1.0), top=5)
    assert "| tests/b.py | 1 | 5.0 | 0.2 | 0.3 |" in text
    assert "| tests/a.py | 2 | 3.0 | 1.7 | 0.5 |" in text
    assert text.index("tests/b.py |") < text.index("tests/a.py |")  # most wall time first
    waits = text.split("Waiting most")[1].split("Most CPU")[0].splitlines()
    assert [line.split()[-1] for line in waits if "::" in line] == [
        "tests/b.py::three",
        "tests/a.py::one",
        "tests/a.py::two",
    ]
    costs = text.split("Most CPU")[1].splitlines()
    assert [line.split()[-1] for line in costs if "::" in line] == [
        "tests/a.py::two",
        "tests/a.py::one",
        "tests/b.py::three",
    ]


def test_the_plugins_folder_is_put_on_the_path_without_the_working_folder() -> None:
    assert SUITE_COST.child_environment("/p", {})["PYTHONPATH"] == "/p"
    env = SUITE_COST.child_environment("/p", {"PYTHONPATH": "/a:/b", "HOME": "/h"})
    assert env["PYTHONPATH"] == "/p" + os.pathsep + "/a:/b"
    assert env["SUITE_COST_DIR"] == "/p" and env["HOME"] == "/h"
