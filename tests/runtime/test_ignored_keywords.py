"""Keywords the local schedulers ignore, measured with the installed Dask (DSK109).

``dask.compute(..., **kwargs)`` hands every keyword it does not use itself to the
scheduler's ``get`` function, which takes ``**kwargs`` and drops what it does not know.
The program below counts how many tasks each scheduler runs at once (Dask's own
``pretask``/``posttask`` callbacks, called by the scheduler loop before a task is handed to
the pool and after its result is back): a structural count, independent of timing. It is
run as written, linted, fixed with the safe fixes and run again.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT
from programs import run_program

from dasklint.config.settings import FileSettings, Settings
from dasklint.engine.fix.loop import fix_source
from dasklint.engine.lint.linter import lint_source
from dasklint.semantic.scheduler import Scheduler
from dasklint.semantic.schedulerkeywords import CLIENT_KEYWORDS, COMPUTE_OWN, GET_ASYNC, READ_BY

pytestmark = pytest.mark.dask_runtime

HEAD = '''
import json

import dask
from dask.callbacks import Callback
from dask.system import CPU_COUNT


class Peak(Callback):
    """The most tasks the scheduler had handed to its pool at once."""

    def __init__(self):
        super().__init__()
        self.running = self.most = 0

    def _pretask(self, key, dsk, state):
        self.running += 1
        self.most = max(self.most, self.running)

    def _posttask(self, key, result, dsk, state, worker_id):
        self.running -= 1


def square(x):
    return x * x


attempts = []


def flaky(x):
    attempts.append(x)
    if len(attempts) == 1:
        raise RuntimeError("the first attempt fails")
    return x


def jobs():
    return [dask.delayed(square)(i) for i in range(8)]


if __name__ == "__main__":
    seen = {"cpu": CPU_COUNT}
'''

# (label, scheduler and keywords): eight independent tasks each. ``num_workers=2`` with
# the chunk sizes makes the count independent of the machine's cores: batches of 6 (the
# processes scheduler's default) put all 8 tasks in the pool at once, batches of 1 put 2.
CASES = (
    ("threads", 'scheduler="threads"'),
    ("threads num_workers=1", 'scheduler="threads", num_workers=1'),
    ("threads workers=1", 'scheduler="threads", workers=1'),
    ("threads n_workers=1", 'scheduler="threads", n_workers=1'),
    ("threads nthreads=1", 'scheduler="threads", nthreads=1'),
    ("processes", 'scheduler="processes", chunksize=1'),
    ("processes num_workers=1", 'scheduler="processes", chunksize=1, num_workers=1'),
    ("processes workers=1", 'scheduler="processes", chunksize=1, workers=1'),
    ("processes n_workers=1", 'scheduler="processes", chunksize=1, n_workers=1'),
    ("processes chunksize=1", 'scheduler="processes", num_workers=2, chunksize=1'),
    ("processes chunk_size=1", 'scheduler="processes", num_workers=2, chunk_size=1'),
)
IGNORED = re.compile(r"\b(?:workers|n_workers|nthreads|chunk_size|retries)=")

RETRIES = """
    try:
        dask.compute(dask.delayed(flaky)(1), scheduler="threads", retries=3)
        seen["retries=3"] = "retried"
    except RuntimeError:
        seen["retries=3"] = "raised"
    print("RESULT " + json.dumps(seen))
"""


def program() -> str:
    lines = [textwrap.dedent(HEAD).rstrip("\n")]
    for label, keywords in CASES:
        lines.append("    with Peak() as peak:")
        lines.append(f"        dask.compute(*jobs(), {keywords})")
        lines.append(f"    seen[{label!r}] = peak.most")
    return "\n".join(lines) + RETRIES


def _compute_lines(source: str, keywords: re.Pattern[str]) -> list[int]:
    """The numbers of the lines with a ``dask.compute`` call that passes ``keywords``."""
    return [
        number
        for number, text in enumerate(source.splitlines(), start=1)
        if "dask.compute(" in text and keywords.search(text)
    ]


def _settings() -> FileSettings:
    return Settings(root=ROOT).for_file(ROOT / "program.py")


def _outcome(tmp_path: Path, source: str, name: str) -> dict[str, object]:
    completed = run_program(tmp_path, source, name)
    assert completed.returncode == 0, completed.stderr[-3000:]
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    outcome: dict[str, object] = json.loads(line[len("RESULT ") :])
    return outcome


def test_local_schedulers_ignore_keywords_they_do_not_take(tmp_path: Path) -> None:
    source = program()
    seen = _outcome(tmp_path, source, "original")
    cores = seen["cpu"]
    assert isinstance(cores, int)
    if cores < 2:
        pytest.skip("one core: a pool of 1 and the default pool look alike")
    full = min(cores, 8)
    # The one keyword the pools read for their size, and the ones they drop silently.
    assert seen["threads"] == seen["processes"] == full
    assert seen["threads num_workers=1"] == seen["processes num_workers=1"] == 1
    for scheduler in ("threads", "processes"):
        for keyword in ("workers=1", "n_workers=1"):
            assert seen[f"{scheduler} {keyword}"] == full, (scheduler, keyword)
    assert seen["threads nthreads=1"] == full
    assert seen["processes chunksize=1"] == 2
    assert seen["processes chunk_size=1"] == 8  # batched by 6 as if nothing were given
    assert seen["retries=3"] == "raised"  # no retry on a local scheduler

    # dasklint reports each ignored keyword where it is written, and nothing else.
    result = lint_source(source.encode(), "program.py", _settings())
    reported = sorted(d.location.row for d in result.diagnostics if d.code == "DSK109")
    wanted = _compute_lines(source, IGNORED)
    assert len(wanted) == 7
    assert reported == wanted

    # The safe fixes rename what has a clear intent; the renamed keywords take effect.
    outcome = fix_source(source.encode(), str(ROOT / "program.py"), _settings())
    fixed = outcome.source.decode()
    assert not _compute_lines(fixed, re.compile(r"\b(?:workers|n_workers|chunk_size)="))
    # No intent to carry over: left as they are.
    assert len(_compute_lines(fixed, re.compile(r"\b(?:nthreads|retries)="))) == 2
    after = _outcome(tmp_path, fixed, "fixed")
    for scheduler in ("threads", "processes"):
        for keyword in ("workers=1", "n_workers=1"):
            assert after[f"{scheduler} {keyword}"] == 1, (scheduler, keyword)
    assert after["processes chunk_size=1"] == 2


CLIENT_PROGRAM = """
import dask
from dask.distributed import Client, LocalCluster


def square(x):
    return x * x


if __name__ == "__main__":
    with LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster:
        with Client(cluster):
            jobs = [dask.delayed(square)(i) for i in range(4)]
            dask.compute(*jobs, workers=4)
"""


def test_a_client_reads_workers_as_addresses(tmp_path: Path) -> None:
    """Under a Client the same keyword is a placement: an integer fails. A fix that moves
    a computation to a Client must not carry it along."""
    completed = run_program(tmp_path, textwrap.dedent(CLIENT_PROGRAM))
    assert completed.returncode != 0
    assert "TypeError: addresses should be strings or tuples, got 4" in completed.stderr


def test_fixed_benchmark_program_runs_with_the_intended_workers(tmp_path: Path) -> None:
    """``benchmarks/impact/real/ignored_workers_keyword.py``, fixed with the unsafe fixes
    too: it computes once, so DSK101 does not move it to a LocalCluster (whose start-up one
    computation does not earn back: the program became 0.43x); DSK109's rename gives the
    pool the worker count it asked for. It runs and prints the same checksum."""
    from test_impact import RUNNER

    program = next(p for p in RUNNER.REAL if p.name == "ignored_workers_keyword")
    item = RUNNER.prepare(program, tmp_path)
    assert "DSK109" in item.codes
    assert item.fixed is not None
    calls = [n for n in ast.walk(ast.parse(item.fixed.read_text())) if isinstance(n, ast.Call)]
    written = {
        (ast.unparse(call.func), k.arg, ast.unparse(k.value))
        for call in calls
        for k in call.keywords
    }
    assert ("dask.compute", "num_workers", "4") in written
    assert ("dask.compute", "scheduler", "'processes'") in written
    assert not any(name == "workers" for _, name, _ in written)
    assert "LocalCluster" not in item.fixed.read_text()
    before = RUNNER.run_program(item.original, program.quick_size, real=True, timeout=300)
    after = RUNNER.run_program(item.fixed, program.quick_size, real=True, timeout=300)
    assert before.get("crash") is None and after.get("crash") is None, after.get("crash")
    assert after["result"] == before["result"]


def _named(function: object, positional: set[str]) -> set[str]:
    """The parameters of ``function`` a keyword can reach, without ``positional``."""
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    signature = inspect.signature(function)  # type: ignore[arg-type]
    return {p.name for p in signature.parameters.values() if p.kind in kinds} - positional


def test_the_keyword_table_is_the_installed_dasks() -> None:
    """DSK109's table of what each scheduler reads is the signatures of the installed
    Dask's ``get`` functions, ``get_async`` and ``Client.get``."""
    import dask.base
    import dask.local
    import dask.multiprocessing
    import dask.threaded
    from distributed import Client

    get_async = _named(dask.local.get_async, {"submit", "num_workers", "dsk", "result"})
    assert get_async == GET_ASYNC
    graph = {"dsk", "keys"}
    assert _named(dask.threaded.get, graph) | get_async == READ_BY[Scheduler.THREADS]
    assert _named(dask.multiprocessing.get, graph) | get_async == READ_BY[Scheduler.PROCESSES]
    # get_sync takes only **kwargs and removes num_workers from them.
    assert _named(dask.local.get_sync, graph) == set()
    assert "num_workers" in inspect.getsource(dask.local.get_sync)
    assert READ_BY[Scheduler.SYNC] == get_async | {"num_workers"}
    assert _named(dask.base.compute, set()) | _named(dask.base.persist, set()) == COMPUTE_OWN
    assert _named(Client.get, {"self", "dsk", "keys"}) == CLIENT_KEYWORDS
