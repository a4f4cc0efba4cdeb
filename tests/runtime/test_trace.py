"""``dasklint trace`` on tiny real Dask programs: the program runs unchanged, every task
run is recorded where it ran, and the static findings are confirmed or refuted by the
numbers of the run."""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.dask_runtime
TIMEOUT = 180  # seconds: worker processes start slowly on a busy 2-core machine

FOUR_TASKS = """\
import time

import dask


def fetch(index, seconds):
    time.sleep(seconds)
    return index


def main():
    tasks = [dask.delayed(fetch)(i, 0.2) for i in range(4)]
    return dask.compute(*tasks, scheduler="processes", num_workers=4{extra})


if __name__ == "__main__":
    print(main())
"""

GIL_BOUND = """\
import dask


def score(n):
    total = 0
    for i in range(n):
        total = (total * 31 + i) % 1_000_003
    return total


if __name__ == "__main__":
    print(dask.compute(*[dask.delayed(score)(2_000_000) for _ in range(4)], num_workers=2))
"""

FINE_GRAINED = """\
import dask


def clean(reading):
    return reading * 2 + 1


def smooth(reading):
    out = 0
    for step in (1, 2):
        out += reading * step
    return out


if __name__ == "__main__":
    cleaned = [dask.delayed(clean)(r) for r in range(2000)]
    print(sum(dask.compute(*cleaned)))
    smoothed = [dask.delayed(smooth)(r) for r in range(1200)]
    print(sum(dask.compute(*smoothed)))
"""

CLUSTER = """\
import dask
from distributed import Client, LocalCluster


def inc(x):
    return x + 1


if __name__ == "__main__":
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster, Client(cluster):
        values = [dask.delayed(inc)(i) for i in range(6)]
        print(dask.delayed(sum)(values).compute())
"""

CRASH = """\
import dask


def parse(text):
    return int(text)


print("before the crash")
print(dask.delayed(parse)("x").compute(scheduler="sync"))
"""


ORDERING = """\
import time

import dask


def step(seconds, *after):
    time.sleep(seconds)
    return seconds


def chained():
    previous = dask.delayed(step)(0.05)
    steps = [previous]
    for _ in range(5):
        previous = dask.delayed(step)(0.05, previous)
        steps.append(previous)
    return dask.compute(*steps, num_workers=2)


def fanned():
    start = dask.delayed(step)(0)
    left = dask.delayed(step)(0.1, start)
    right = dask.delayed(step)(0.1, start)
    return dask.compute(left, right, num_workers=2)


if __name__ == "__main__":
    print(chained(), fanned())
"""

CHAIN = """\
import operator

import dask


def total(parts):
    pieces = [dask.delayed(abs)(-i) for i in range(parts)]
    running = dask.delayed(0)
    for piece in pieces:
        running = dask.delayed(operator.add)(running, piece)
    return running.compute()


def short_total(parts):
    pieces = [dask.delayed(abs)(-i) for i in range(parts)]
    running = dask.delayed(0)
    for piece in pieces:
        running = dask.delayed(operator.add)(running, piece)
    return running.compute()


if __name__ == "__main__":
    print(total(30), short_total(3))
"""

LOOPED = """\
import dask


def load(n):
    return list(range(n))


def pick(rows, i):
    return rows[i]


def shared():
    rows = dask.delayed(load)(1000)
    picked = []
    for i in range(4):
        picked.append(dask.delayed(pick)(rows, i).compute())
    return picked


def disjoint():
    sums = []
    for n in range(3):
        parts = [dask.delayed(abs)(-n * 10 - i) for i in range(4)]
        sums.append(sum(dask.compute(*parts, num_workers=2)))
    return sums


if __name__ == "__main__":
    print(shared(), disjoint())
"""

SEQUENTIAL = """\
import dask.array as da


def shared():
    x = da.arange(1000, chunks=100)
    total = x.sum().compute()
    biggest = x.max().compute()
    return total, biggest


def disjoint():
    x = da.arange(1000, chunks=100)
    y = da.arange(2000, chunks=100)
    total = x.sum().compute()
    biggest = y.max().compute()
    return total, biggest


if __name__ == "__main__":
    print(shared(), disjoint())
"""

POOLS = """\
import dask


def double(x):
    return 2 * x


def run(times):
    out = []
    for part in range(times):
        out.append(dask.delayed(double)(part).compute(scheduler="processes", num_workers=2))
    return out


def run_once(times):
    out = []
    for part in range(times):
        out.append(dask.delayed(double)(part).compute(scheduler="processes", num_workers=2))
    return out


if __name__ == "__main__":
    print(run(2), run_once(1))
"""

ARGUMENTS = """\
import dask
import numpy as np


def total(values, i):
    return float(values[i].sum())


def shipped():
    data = np.ones((1000, 1000))
    tasks = [dask.delayed(total)(data, i) for i in range(4)]
    return dask.compute(*tasks, scheduler="processes", num_workers=2, chunksize=1)


def shared():
    data = np.ones((1000, 1000))
    tasks = [dask.delayed(total)(data, i) for i in range(4)]
    return dask.compute(*tasks, scheduler="threads", num_workers=2)


if __name__ == "__main__":
    print(shipped(), shared())
"""


CREATED = """\
import dask


def smooth(reading):
    out = 0
    for step in (1, 2):
        out += reading * step
    return out


def readings(count):
    return [dask.delayed(smooth)(r) for r in range(count)]


if __name__ == "__main__":
    print(sum(dask.compute(*readings(2000))))
"""

# The cluster is made in another module, where the linter does not look for it: DSK501
# reports the tasks as run on the threaded scheduler; the run shows where they ran.
CLUSTER_HELPER = """\
from distributed import Client, LocalCluster


def start(processes):
    workers, threads = (2, 1) if processes else (1, 2)
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=threads,
        processes=processes,
        dashboard_address=None,
    )
    return cluster, Client(cluster)
"""

GIL_ON_CLUSTER = """\
import sys

import dask
import helper


def score(n):
    total = 0
    for i in range(n):
        total = (total * 31 + i) % 1_000_003
    return total


if __name__ == "__main__":
    cluster, client = helper.start(sys.argv[1] == "processes")
    print(dask.compute(*[dask.delayed(score)(1_000_000) for _ in range(4)]))
    client.close()
    cluster.close()
"""


def _trace(
    tmp_path: Path,
    name: str,
    source: str,
    *args: str,
    env: dict[str, str] | None = None,
    argv: tuple[str, ...] = (),
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any], str]:
    """Trace a program (``args``: trace's options, ``argv``: the program's arguments);
    returns the process, the JSON report and the HTML report."""
    program = tmp_path / name
    program.write_text(source)
    report = tmp_path / f"{name}.json"
    page = tmp_path / f"{name}.html"
    command = [sys.executable, "-m", "dasklint", "trace"]
    done = subprocess.run(
        [*command, "--output-format", "json", "-o", str(report), *args, str(program), *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
    )
    data = json.loads(report.read_text())
    rendered = subprocess.run(
        [*command, "--compare", str(report), str(report), "-o", str(page)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert rendered.returncode == 0, rendered.stderr
    return done, data, page.read_text()


def _finding(report: dict[str, Any], code: str) -> dict[str, Any]:
    found = [f for f in report["findings"] if f["code"] == code]
    assert found, (code, [f["code"] for f in report["findings"]])
    return found[0]


class _Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tasks = 0
        self.remote: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "rect" and values.get("class") == "task":
            self.tasks += 1
        for name in ("src", "href"):
            if (values.get(name) or "").startswith(("http:", "https:", "//")):
                self.remote.append(values[name] or "")


def _task_marks(page: str) -> int:
    marks = _Marks()
    marks.feed(page)
    assert marks.remote == []  # self-contained: nothing loaded from the network
    return marks.tasks


def _text(page: str) -> str:
    """A page's text, without its tags."""
    return re.sub(r"<[^>]+>", "", page)


def _overlapping(runs: list[list[Any]]) -> bool:
    spans = sorted((run[5], run[6]) for run in runs)
    return any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans))


def test_four_tasks_on_processes_run_serially_in_one_process(tmp_path: Path) -> None:
    done, report, page = _trace(tmp_path, "four.py", FOUR_TASKS.format(extra=""))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "(0, 1, 2, 3)\n"  # the program's own output, nothing else
    (computation,) = report["computations"]
    assert computation["scheduler"] == "processes"
    assert (computation["workers"], computation["chunksize"]) == (4, 6)
    shape = computation["shape"]
    assert shape["tasks"] == 4 and shape["processes"] == 1
    assert shape["queued_behind_sibling"] == 3 and shape["idle_pool_processes"] == 3
    assert computation["stack"][0]["line"] == 13  # the compute call in main()
    assert not _overlapping(computation["runs"])
    assert computation["runs"][0][3] != report["program"]["pid"]  # a worker process
    dsk102 = _finding(report, "DSK102")
    assert dsk102["verdict"] == "confirmed"
    assert dsk102["numbers"]["tasks_per_process"] == [4]
    assert _task_marks(page) == 8  # the report twice, on one axis


def test_after_the_fix_the_tasks_run_side_by_side(tmp_path: Path) -> None:
    done, report, _page = _trace(tmp_path, "fixed.py", FOUR_TASKS.format(extra=", chunksize=1"))
    assert done.returncode == 0, done.stderr
    (computation,) = report["computations"]
    assert computation["chunksize"] == 1
    assert computation["shape"]["processes"] > 1
    assert computation["shape"]["queued_behind_sibling"] == 0
    assert _overlapping(computation["runs"])
    assert not [f for f in report["findings"] if f["code"] == "DSK102"]


def test_chunksize_from_the_environment_refutes_dsk102(tmp_path: Path) -> None:
    # The linter cannot see DASK_CHUNKSIZE; the run shows the tasks were not batched.
    done, report, _ = _trace(
        tmp_path, "four.py", FOUR_TASKS.format(extra=""), env={"DASK_CHUNKSIZE": "1"}
    )
    assert done.returncode == 0, done.stderr
    dsk102 = _finding(report, "DSK102")
    assert dsk102["verdict"] == "refuted", dsk102
    assert dsk102["numbers"]["chunksize"] == 1
    assert dsk102["numbers"]["queued_behind_sibling"] == 0


def test_gil_bound_tasks_on_threads_confirm_dsk501(tmp_path: Path) -> None:
    done, report, _ = _trace(tmp_path, "gil.py", GIL_BOUND)
    assert done.returncode == 0, done.stderr
    (computation,) = report["computations"]
    assert computation["scheduler"] == "threads"
    assert {run[3] for run in computation["runs"]} == {report["program"]["pid"]}
    assert all(run[7] is not None and run[7] > 0 for run in computation["runs"])
    dsk501 = _finding(report, "DSK501")
    numbers = dsk501["numbers"]
    assert dsk501["verdict"] == "confirmed", json.dumps(
        [dsk501, [c.get("stack") for c in report["computations"]]]
    )
    assert numbers["threads"] == 2 and numbers["cpus_busy"] < 1.5
    assert numbers["cpu"] < numbers["wall"]  # the threads waited for the GIL


def test_fine_grained_tasks_confirm_dsk401_and_show_what_no_rule_reported(
    tmp_path: Path,
) -> None:
    done, report, page = _trace(tmp_path, "tiny.py", FINE_GRAINED)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "4000000\n2158200\n"
    dsk401 = _finding(report, "DSK401")
    assert dsk401["line"] == 16 and dsk401["verdict"] == "confirmed", dsk401
    numbers = dsk401["numbers"]
    assert numbers["tasks"] == 2000
    assert numbers["median_task"] < numbers["overhead_per_task"]
    # `smooth` has a loop, so DSK401 does not call it trivial; the run shows its tasks
    # are as tiny, and where they were created.
    (missed,) = report["unreported"]
    assert missed["kind"] == "fine-grained"
    assert missed["numbers"]["function"] == "smooth"
    assert (Path(missed["filename"]).name, missed["line"]) == ("tiny.py", 18)
    assert _task_marks(page) == 2 * 3200


def test_tiny_tasks_no_rule_reported_name_the_line_that_created_them(tmp_path: Path) -> None:
    from dasklint.trace import report_html

    done, report, _ = _trace(tmp_path, "created.py", CREATED)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "5997000\n"
    assert not [f for f in report["findings"] if f["code"] in ("DSK401", "DSK402")]
    (missed,) = report["unreported"]
    assert missed["kind"] == "fine-grained"
    # The `dask.delayed(smooth)(r)` call, not the compute call or the function's `def`.
    assert (Path(missed["filename"]).name, missed["line"]) == ("created.py", 12), missed
    created = tmp_path / "created.py"
    assert missed["created"] == [{"file": str(created.resolve()), "line": 12, "tasks": 2000}]
    (computation,) = report["computations"]
    assert computation["created"] == missed["created"]
    page = html.unescape(report_html.render(report))
    assert "tasks created at created.py:12 (2000 tasks)" in _text(page)


@pytest.mark.parametrize(
    ("layout", "verdict"),
    [("threads", "confirmed"), ("processes", "refuted")],
)
def test_cpu_time_of_cluster_tasks_is_dsk501_evidence(
    tmp_path: Path, layout: str, verdict: str
) -> None:
    (tmp_path / "helper.py").write_text(CLUSTER_HELPER)
    done, report, _ = _trace(tmp_path, "gil_cluster.py", GIL_ON_CLUSTER, argv=(layout,))
    assert done.returncode == 0, done.stderr
    (computation,) = report["computations"]
    assert computation["scheduler"] == "distributed"
    runs = computation["runs"]
    assert len(runs) == 4 and all(run[7] is not None and run[7] > 0 for run in runs), runs
    assert computation["shape"]["cpu"] == pytest.approx(sum(run[7] for run in runs), abs=1e-5)
    dsk501 = _finding(report, "DSK501")
    assert dsk501["verdict"] == verdict, dsk501
    numbers = dsk501["numbers"]
    if layout == "threads":  # two threads of one worker process: the GIL held them back
        assert numbers["threads"] == 2 and numbers["cpus_busy"] < 1.5
        assert numbers["cpu"] < numbers["wall"]
    else:  # one thread in each of two worker processes: no GIL shared
        assert numbers["worker_processes"] == 2 and numbers["threads"] == 2
        assert numbers["most_threads_in_one_process"] == 1


def test_a_local_cluster_is_traced_through_its_scheduler(tmp_path: Path) -> None:
    done, report, _ = _trace(tmp_path, "cluster.py", CLUSTER)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "21\n"
    (computation,) = report["computations"]
    assert computation["scheduler"] == "distributed"
    assert computation["shape"]["tasks"] == 7
    assert (computation["shape"]["depth"], computation["shape"]["width"]) == (2, 6)
    assert computation["stack"][0]["line"] == 14
    assert {f["name"] for f in computation["functions"] if f["runs"]} == {"inc", "sum"}


def test_a_crash_is_reported_with_its_traceback_and_exit_status(tmp_path: Path) -> None:
    done, report, _ = _trace(tmp_path, "crash.py", CRASH)
    plain = subprocess.run(
        [sys.executable, "crash.py"], cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == plain.returncode == 1
    assert done.stdout == plain.stdout == "before the crash\n"
    # The program's stderr is what it would have been; the summary follows it.
    assert done.stderr.startswith(plain.stderr)
    assert "exited with status 1" in done.stderr[len(plain.stderr) :]
    assert report["program"]["exit_status"] == 1
    assert report["program"]["traceback"] == plain.stderr
    assert report["computations"][0]["failed"] is True


def test_module_and_command_forms_run_the_same_program(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(
        textwrap.dedent(
            """\
            import sys

            import dask

            print(sys.argv[1:], dask.delayed(len)("abc").compute(scheduler="sync"))
            """
        )
    )
    base = [sys.executable, "-m", "dasklint", "trace", "--output-format", "json", "-o"]
    forms = [
        ["m.json", "-m", "job", "--flag", "x"],
        ["c.json", "--", sys.executable, "job.py", "--flag", "x"],
    ]
    for output, *rest in forms:
        done = subprocess.run(
            [*base, output, *rest], cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == "['--flag', 'x'] 3\n"
        report = json.loads((tmp_path / output).read_text())
        assert report["program"]["instrumented"] is True
        assert report["computations"][0]["scheduler"] == "sync"


def test_svg_output_is_the_timeline_alone_with_one_mark_per_task_run(tmp_path: Path) -> None:
    (tmp_path / "three.py").write_text(
        "import dask\n\n"
        "print(dask.compute(*[dask.delayed(abs)(-i) for i in range(3)], scheduler='sync'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "dasklint", "trace", "--output-format", "svg", "three.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "(0, 1, 2)\n"
    picture = (tmp_path / "dasklint-trace.svg").read_text()
    assert picture.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert _task_marks(picture) == 3
    assert picture.count('data-process="main"') == 3  # the sync scheduler: this process
    assert "3 tasks in the program's own process (sync)" in html.unescape(picture)


def _verdicts(report: dict[str, Any], code: str) -> dict[int, dict[str, Any]]:
    """The findings of one rule by line."""
    return {f["line"]: f for f in report["findings"] if f["code"] == code}


def test_dependencies_only_for_ordering_confirm_or_refute_dsk601(tmp_path: Path) -> None:
    done, report, _ = _trace(tmp_path, "ordering.py", ORDERING)
    assert done.returncode == 0, done.stderr
    found = _verdicts(report, "DSK601")
    chained, fanned = found[15], found[22]
    assert chained["verdict"] == "confirmed", chained
    assert (chained["numbers"]["depth"], chained["numbers"]["width"]) == (6, 1)
    assert chained["numbers"]["threads"] == 2
    # A chain: its critical path is all the work, twice what two threads need for it.
    assert chained["numbers"]["critical_path"] == chained["numbers"]["total_work"]
    # Two tasks wait for one that does nothing: the graph is 2 deep and still 2 wide.
    assert fanned["verdict"] == "refuted", fanned
    assert (fanned["numbers"]["depth"], fanned["numbers"]["width"]) == (2, 2)


def test_a_fold_confirms_dsk603_with_its_depth_and_a_short_one_refutes_it(
    tmp_path: Path,
) -> None:
    done, report, _ = _trace(tmp_path, "chain.py", CHAIN)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "435 3\n"
    found = _verdicts(report, "DSK603")
    long, short = found[10], found[18]
    assert long["verdict"] == "confirmed", long
    assert long["numbers"]["depth"] == 31 and long["numbers"]["tasks"] == 60
    assert short["verdict"] == "refuted", short
    assert short["numbers"]["depth"] == 4


def test_a_compute_in_a_loop_recomputing_a_shared_input_confirms_dsk303(
    tmp_path: Path,
) -> None:
    done, report, _ = _trace(tmp_path, "looped.py", LOOPED)
    assert done.returncode == 0, done.stderr
    found = _verdicts(report, "DSK303")
    shared, disjoint = found[16], found[24]
    assert shared["verdict"] == "confirmed", shared
    numbers = shared["numbers"]
    assert numbers["computations"] == 4 and numbers["task_runs"] == 8
    # `load` ran in every computation: computed again by the three after the first.
    assert numbers["keys_computed_again"] == 1 and numbers["runs_repeated"] == 3
    assert disjoint["verdict"] == "refuted", disjoint
    numbers = disjoint["numbers"]
    assert numbers["computations"] == 3 and numbers["keys_computed_again"] == 0
    assert numbers["computations_with_fewer_tasks_than_threads"] == 0


def test_sequential_computes_sharing_fused_keys_confirm_dsk304(tmp_path: Path) -> None:
    done, report, _ = _trace(tmp_path, "sequential.py", SEQUENTIAL)
    assert done.returncode == 0, done.stderr
    found = _verdicts(report, "DSK304")
    shared, disjoint = found[6], found[14]
    # Both computations read the same ten chunks of `x` (fused into other tasks).
    assert shared["verdict"] == "confirmed", shared
    assert shared["numbers"]["computations"] == 2
    assert shared["numbers"]["keys_computed_again"] == 10
    assert disjoint["verdict"] == "refuted", disjoint
    assert disjoint["numbers"]["computations"] == 2
    assert disjoint["numbers"]["keys_computed_again"] == 0


def test_processes_computes_in_a_loop_start_a_pool_each_dsk108(tmp_path: Path) -> None:
    done, report, _ = _trace(tmp_path, "pools.py", POOLS)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[0, 2] [0]\n"
    found = _verdicts(report, "DSK108")
    looped, once = found[11], found[18]
    assert looped["verdict"] == "confirmed", looped
    assert looped["numbers"]["computations"] == 2
    assert looped["numbers"]["pools_started"] == 2
    assert looped["numbers"]["worker_processes"] == 2
    assert once["verdict"] == "not exercised", once
    assert once["numbers"]["computations"] == 1


def test_a_large_argument_of_every_task_is_shipped_on_processes_dsk309(tmp_path: Path) -> None:
    done, report, _ = _trace(tmp_path, "arguments.py", ARGUMENTS)
    assert done.returncode == 0, done.stderr
    found = _verdicts(report, "DSK309")
    shipped, shared = found[11], found[17]
    assert shipped["verdict"] == "confirmed", shipped
    numbers = shipped["numbers"]
    assert numbers["scheduler"] == "processes" and numbers["value_type"] == "ndarray"
    assert numbers["largest_value"] >= 8_000_000 and numbers["tasks_carrying_it"] == 4
    assert numbers["bytes_repeated"] == 3 * numbers["largest_value"]
    (computation,) = [c for c in report["computations"] if c["id"] in shipped["computations"]]
    assert computation["arguments"][0] == {
        "bytes": numbers["largest_value"],
        "tasks": 4,
        "type": "ndarray",
    }
    assert computation["argument_bytes"] >= 4 * numbers["largest_value"]
    # The same value on threads: every task got a reference, nothing was shipped.
    assert shared["verdict"] == "refuted", shared
    assert shared["numbers"]["scheduler"] == "threads"
    assert shared["numbers"]["tasks_carrying_it"] == 4


WAITS_FOR_LINT = """\
import pathlib
import sys
import time

for _ in range(500):
    if pathlib.Path("linted").exists():
        break
    time.sleep(0.02)
else:
    sys.exit(3)
{extra}
"""


def _linting(calls: list[list[str]]) -> Any:
    """A lint function that notes what it was asked to lint and leaves a marker file."""

    def lint(paths: list[Path]) -> tuple[list[Any], list[str]]:
        calls.append(sorted(path.name for path in paths))
        Path("linted").touch()
        return [], []

    return lint


def test_the_script_is_linted_while_the_program_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dasklint.trace import session

    monkeypatch.chdir(tmp_path)
    (tmp_path / "waits.py").write_text(WAITS_FOR_LINT.format(extra=""))
    calls: list[list[str]] = []
    report = session.trace([sys.executable, "waits.py"], _linting(calls))
    # The program ended only because the lint of its script had already run.
    assert report["program"]["exit_status"] == 0
    assert report["files"] == [str((tmp_path / "waits.py").resolve())]
    assert calls == [["waits.py"]]  # that lint's result is the report's: no second lint


def test_files_the_program_imported_are_linted_with_the_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dasklint.trace import session

    monkeypatch.chdir(tmp_path)
    (tmp_path / "helper.py").write_text("VALUE = 1\n")
    (tmp_path / "waits.py").write_text(WAITS_FOR_LINT.format(extra="import helper"))
    calls: list[list[str]] = []
    report = session.trace([sys.executable, "waits.py"], _linting(calls))
    assert report["program"]["exit_status"] == 0
    # The early lint of the script alone is set aside: the files are linted together.
    assert calls == [["waits.py"], ["helper.py", "waits.py"]]
