"""Work that grows with the number of findings stays linear, and oversized files are
refused before they are parsed.

The LocalCluster codemod (DSK101, DSK501) wraps the rest of a block: building that
rewrite costs the size of the block, so it is built only when a fix is applied or its
text edits are shown. The counters below stand in for time: a quadratic algorithm does
16 times the work on 4 times the calls, a linear one about 4 times.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import findings, run, write

from dasklint import registry
from dasklint.config.settings import FileSettings
from dasklint.engine.fix.loop import fix_source
from dasklint.engine.lint.linter import lint_source
from dasklint.limits import MAX_SOURCE_BYTES
from dasklint.rules import _local_cluster
from dasklint.semantic import writtennames
from dasklint.semantic.project import ProjectIndex, facts_for_source

ALL = frozenset(rule.code for rule in registry.all_rules())


def processes_calls(n: int) -> bytes:
    """``n`` module-level computations on the processes scheduler, each with a
    ``chunksize`` (so that DSK101's only fix is the unsafe LocalCluster codemod)."""
    lines = ["import dask", ""]
    for i in range(n):
        lines.append(f"x{i} = dask.delayed(len)('a')")
        lines.append(f"x{i}.compute(scheduler='processes', chunksize=2)")
    return ("\n".join(lines) + "\n").encode()


class Counter:
    """Counts calls of the codemod's per-statement rewrite and the nodes its tree walks
    yield (the names written in the module, which the codemod asks for a free name)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rewrites = 0
        self.nodes = 0
        unindent = _local_cluster._unindent_blank_lines
        walk = writtennames.walk_subtree

        def counted_unindent(statement: object) -> object:
            self.rewrites += 1
            return unindent(statement)  # type: ignore[arg-type]

        def counted_walk(*args: object, **kwargs: object) -> Iterator[object]:
            for node in walk(*args, **kwargs):  # type: ignore[arg-type]
                self.nodes += 1
                yield node

        monkeypatch.setattr(_local_cluster, "_unindent_blank_lines", counted_unindent)
        monkeypatch.setattr(writtennames, "walk_subtree", counted_walk)


def test_check_never_builds_the_unsafe_rewrite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `--unsafe-fixes` and without an output format that shows edits, the
    codemod's rewrite is never built, yet every finding offers it (the summary's "hidden
    fixes" count): the first computation's region holds them all, the last one's too."""
    counter = Counter(monkeypatch)
    result = lint_source(processes_calls(20), "job.py", FileSettings(ALL), ProjectIndex())
    found = [d for d in result.diagnostics if d.code == "DSK101"]
    assert len(found) == 20
    assert all(d.fix is not None and "LocalCluster" in d.fix.message for d in found)
    assert all(d.fix is not None and d.fix.applicability.value == "unsafe" for d in found)
    assert counter.rewrites == 0


def test_check_work_grows_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = Counter(monkeypatch)
    work = []
    for n in (10, 40):
        counter.nodes = 0
        lint_source(processes_calls(n), "job.py", FileSettings(ALL), ProjectIndex())
        work.append(counter.nodes)
    assert work[0] > 0
    assert work[1] <= 5 * work[0], work


def test_unsafe_fix_work_grows_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--fix --unsafe-fixes` builds the rewrite it applies (the first call's region,
    which holds them all), not one per finding."""
    counter = Counter(monkeypatch)
    settings = FileSettings(ALL, unsafe_fixes=True)
    work = []
    for n in (10, 40):
        counter.rewrites = counter.nodes = 0
        outcome = fix_source(processes_calls(n), "job.py", settings, ProjectIndex())
        # DSK101's wrap resolves every DSK101 finding; DSK104 then drops the other calls'
        # pool arguments under the Client (findings the wrap made, so not counted).
        assert outcome.fixed == {"DSK101": n}
        assert not outcome.result.diagnostics
        assert outcome.source.count(b"LocalCluster(") == 1
        work.append(counter.rewrites + counter.nodes)
    assert work[0] > 0
    assert work[1] <= 5 * work[0], work


def test_unsafe_fix_result_is_unchanged_by_deferral() -> None:
    """The deferred rewrite gives the same code the codemod always gave."""
    settings = FileSettings(ALL, unsafe_fixes=True)
    outcome = fix_source(processes_calls(2), "job.py", settings, ProjectIndex())
    assert outcome.source.decode() == (
        "import dask\n"
        "from dask.distributed import Client, LocalCluster\n"
        "\n"
        "x0 = dask.delayed(len)('a')\n"
        'if __name__ == "__main__":\n'
        "    with LocalCluster(threads_per_worker=1) as cluster, Client(cluster):\n"
        "        x0.compute()\n"
        "        x1 = dask.delayed(len)('a')\n"
        "        x1.compute()\n"
    )


# -- the size limit ------------------------------------------------------------------------

OVERSIZED = b"import dask\n" + b"# padding\n" * (MAX_SOURCE_BYTES // 10)


def test_oversized_file_is_refused_as_io_error() -> None:
    assert len(OVERSIZED) > MAX_SOURCE_BYTES
    result = lint_source(OVERSIZED, "big.py", FileSettings(ALL), ProjectIndex())
    assert [(d.code, d.location.row, d.message) for d in result.diagnostics] == [
        (
            "DSK002",
            1,
            f"Cannot lint: the file has {len(OVERSIZED):,} bytes, more than the limit of "
            f"{MAX_SOURCE_BYTES:,}",
        )
    ]


def test_oversized_file_is_not_fixed_nor_indexed(tmp_path: Path) -> None:
    source = OVERSIZED + b"dask.compute(x, scheduler='processes')\n"
    outcome = fix_source(source, "big.py", FileSettings(ALL), ProjectIndex())
    assert not outcome.changed
    assert [d.code for d in outcome.result.diagnostics] == ["DSK002"]
    assert facts_for_source(source, tmp_path / "big.py") is None


def test_oversized_file_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"small.py": "import dask\ndask.compute(1, scheduler='processes')\n"})
    (tmp_path / "big.py").write_bytes(OVERSIZED)
    result = run("check", "--isolated", "--no-cache", ".")
    assert result.exit_code == 1
    assert findings(result) == [("big.py", 1, 1, "DSK002"), ("small.py", 2, 27, "DSK101")]
