"""The on-disk cache: same output as a cold run, re-linting only what changed, and
surviving corrupt, foreign and unwritable cache directories."""

from __future__ import annotations

import ast
import json
import math
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_support import run, write
from conftest import FIXTURES, ROOT, UNPARSEABLE_FIXTURES
from sharing import computed_once

from dasklint import __version__
from dasklint.api import lint_paths
from dasklint.config.loader import ConfigResolver, Overrides
from dasklint.diagnostics import Diagnostic, FileResult
from dasklint.engine.run import runner
from dasklint.engine.run.cache import CACHEDIR_TAG, Cache
from dasklint.engine.run.encoding import decode_facts, encode_facts
from dasklint.semantic.project import build_index

FORMATS = ("concise", "full", "json", "sarif", "github")


def _copy_fixtures(root: Path, folders: tuple[str, ...] | None = None) -> Path:
    """The fixtures (or only these ``folders`` of them) copied to ``root/fixtures``."""
    ignore = shutil.ignore_patterns("*.fixed")
    if folders is None:
        shutil.copytree(FIXTURES, root / "fixtures", ignore=ignore)
    for name in folders or ():
        shutil.copytree(FIXTURES / name, root / "fixtures" / name, ignore=ignore)
    return root


# The fixtures that the tests of the cache's workings lint (the whole tree is linted
# where outputs are compared: the cold run), about 50 files: modules edited or only
# touched (DSK101, DSK102), a package whose modules import each other (DSK601), scripts
# with IPython lines (DSK101, DSK201), notebooks, and files no parser reads (DSK001,
# DSK002).
SAMPLE = ("DSK001", "DSK002", "DSK101", "DSK102", "DSK201", "DSK601", "notebooks")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixtures of :data:`SAMPLE`, as the working directory (stable relative
    names)."""
    _copy_fixtures(tmp_path, SAMPLE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASKLINT_NO_CACHE", raising=False)
    monkeypatch.delenv("DASKLINT_CACHE_DIR", raising=False)
    return tmp_path


@dataclass(frozen=True)
class Cold:
    """What an uncached run over a copy of the fixtures prints, per output format, and
    caches that run's files filled (one by a concise run, one by a full run, with what
    the full one printed): computed once per test run for the tests that compare with
    it, shared by the xdist workers."""

    outputs: dict[str, tuple[int, str, str]]
    cache: Path
    full_cache: Path  # filled by a run in the full format, which printed `full_fill`
    full_fill: tuple[int, str, str]
    root: Path  # the copy; the caches serve it (their entries know where the files are)


def _cold_outputs(root: Path) -> dict[str, Any]:
    _copy_fixtures(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.delenv("DASKLINT_NO_CACHE", raising=False)
        patch.delenv("DASKLINT_CACHE_DIR", raising=False)
        outputs = {fmt: _check("fixtures", "--no-cache", "--output-format", fmt) for fmt in FORMATS}
        assert _check("fixtures", "--cache-dir", root / "cache") == outputs["concise"]
        full = _check("fixtures", "--cache-dir", root / "full-cache", "--output-format", "full")
    return {"outputs": outputs, "full_fill": full}


def _cold_outputs_in_a_fresh_interpreter(root: Path) -> dict[str, Any]:
    """:func:`_cold_outputs`, run by a fresh interpreter. Each of its runs forks lint
    workers; forked from a test worker, whose heap holds every collected test, they cost
    far more: pytest collecting the whole suite and running only this took 59.6 CPU-s
    (17.0 of them system time) with the runs in the worker, 37.8 (2.3) in a fresh one."""
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import test_cache\n"
        "print(json.dumps(test_cache._cold_outputs(Path(sys.argv[1]))))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        entry for entry in (str(Path(__file__).parent), env.get("PYTHONPATH", "")) if entry
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    value: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return value


@pytest.fixture(scope="session")
def cold_run(tmp_path_factory: pytest.TempPathFactory) -> Cold:
    root, value = computed_once(
        tmp_path_factory, "cache-cold-run", _cold_outputs_in_a_fresh_interpreter
    )
    outputs = {fmt: _output(output) for fmt, output in value["outputs"].items()}
    return Cold(outputs, root / "cache", root / "full-cache", _output(value["full_fill"]), root)


def _output(value: list[Any]) -> tuple[int, str, str]:
    """An exit status, stdout and stderr read back from JSON."""
    code, out, err = value
    return int(code), str(out), str(err)


@pytest.fixture
def cold(cold_run: Cold, monkeypatch: pytest.MonkeyPatch) -> Cold:
    """The cold run, with its copy of the fixtures as the working directory (not to be
    changed: other tests read it)."""
    monkeypatch.chdir(cold_run.root)
    monkeypatch.delenv("DASKLINT_NO_CACHE", raising=False)
    monkeypatch.delenv("DASKLINT_CACHE_DIR", raising=False)
    return cold_run


def _lint(root: Path, cache: Cache | None, workers: int | None = None) -> list[Diagnostic]:
    resolver = ConfigResolver(Overrides(), cwd=root)
    results = list(lint_paths([root / "fixtures"], resolver, workers=workers, cache=cache))
    assert not [r for r in results if r.error]
    return sorted((d for r in results for d in r.diagnostics), key=Diagnostic.sort_key)


def _check(*args: str | Path) -> tuple[int, str, str]:
    result = run("check", *args)
    return result.exit_code, result.stdout, result.stderr


def test_warm_output_is_byte_identical_to_cold(cold: Cold, tmp_path: Path) -> None:
    """A cache filled by a run in one format serves every format byte for byte (the cache
    keeps findings, not text); the run that fills it prints what an uncached run does."""
    assert cold.full_fill == cold.outputs["full"]
    cache = tmp_path / "cache"
    shutil.copytree(cold.full_cache, cache)
    for fmt in FORMATS:
        expected = cold.outputs[fmt]
        warm = _check("fixtures", "--cache-dir", cache, "--output-format", fmt)
        assert expected[1], fmt
        assert warm == expected, fmt


def test_parallel_sequential_and_cached_results_are_identical(
    cold: Cold, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 2)
    # In parallel, filling a cache; a parallel run without one is the shared cold run's
    # (on the command line, compared below with a sequential one).
    parallel = _lint(cold.root, Cache(tmp_path / "cache"), workers=2)
    sequential = _lint(cold.root, None, workers=1)
    warm_cache = Cache(tmp_path / "cache")
    warm = _lint(cold.root, warm_cache, workers=1)
    assert parallel and parallel == sequential == warm
    assert not warm_cache.stats.linted
    # And on the command line: sequential and parallel, cold and warm, same bytes. The
    # cold runs in parallel are the shared cold run's: without a cache, and filling one.
    outputs = {cold.outputs["full"], cold.full_fill}
    shutil.copytree(cold.full_cache, tmp_path / "c2")
    # Filled with the fixes' text edits, it serves a run without them: every finding alike.
    from_full = Cache(tmp_path / "c2")
    assert _lint(cold.root, from_full, workers=1) == parallel
    assert not from_full.stats.linted
    outputs.add(_check("fixtures", "--cache-dir", tmp_path / "c2", "--output-format", "full"))
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 10**9)
    outputs.add(_check("fixtures", "--no-cache", "--output-format", "full"))
    assert len(outputs) == 1


def _unindexed_scripts(tree: Path) -> set[str]:
    """`.py` files written with IPython lines (`%time`): linted with those lines masked,
    but the project index (the standard library's parser) cannot read their imports, so
    any edit elsewhere relints them, to be safe."""
    found = set()
    for path in sorted((tree / "fixtures").rglob("*.py")):
        if any(part in UNPARSEABLE_FIXTURES for part in path.parts):
            continue
        try:
            ast.parse(path.read_bytes())
        except SyntaxError:
            found.add(str(path.relative_to(tree)))
    return found


def test_only_changed_files_are_relinted(tree: Path) -> None:
    _lint(tree, Cache(tree / "cache"))
    target = tree / "fixtures" / "DSK101" / "compute_spellings.py"
    target.write_text(
        target.read_text() + "\nimport dask\ndask.compute(1, scheduler='processes')\n"
    )
    touched = tree / "fixtures" / "DSK102" / "module_config_chunksize.py"
    os.utime(touched, ns=(1, 1))  # a new modification time, the same content
    cache = Cache(tree / "cache")
    after = _lint(tree, cache)
    edited = os.path.join("fixtures", "DSK101", "compute_spellings.py")
    assert set(cache.stats.linted) == {edited, *_unindexed_scripts(tree)}
    assert after == _lint(tree, None)


def test_a_module_is_relinted_when_a_module_it_imports_changes(tree: Path) -> None:
    pkg = tree / "fixtures" / "DSK601" / "taskpkg"
    _lint(tree, Cache(tree / "cache"))
    # ok_tasks.py is imported by pipeline.py; the package __init__ is reached too.
    tasks = pkg / "ok_tasks.py"
    assert "ok_tasks" in (pkg / "pipeline.py").read_text()
    tasks.write_text(tasks.read_text() + "\n\ndef _unused_helper():\n    return 1\n")
    cache = Cache(tree / "cache")
    after = _lint(tree, cache)
    linted = {Path(name).name for name in cache.stats.linted}
    assert {"ok_tasks.py", "pipeline.py"} <= linted
    assert len(linted) < 10  # not everything
    assert after == _lint(tree, None)


def test_an_edit_that_changes_no_facts_relints_only_its_module(tree: Path) -> None:
    """Other modules learn of a module only through its facts (the project index): a
    comment added to an imported module re-lints that module alone."""
    pkg = tree / "fixtures" / "DSK601" / "taskpkg"
    _lint(tree, Cache(tree / "cache"))
    tasks = pkg / "ok_tasks.py"
    tasks.write_text(tasks.read_text() + "\n# a comment changes no facts\n")
    cache = Cache(tree / "cache")
    after = _lint(tree, cache)
    unindexed = {Path(name).name for name in _unindexed_scripts(tree)}
    assert {Path(name).name for name in cache.stats.linted} == {"ok_tasks.py", *unindexed}
    assert after == _lint(tree, None)


JOB = 'import dask\n\ndask.compute(1, scheduler="processes")\n'
# The same size as JOB and no finding.
QUIET = 'import dask\n\ndask.compute(1, scheduler="threads"  )\n'


@pytest.fixture
def job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One module with one finding, as the working directory's only file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASKLINT_NO_CACHE", raising=False)
    monkeypatch.delenv("DASKLINT_CACHE_DIR", raising=False)
    path = tmp_path / "job.py"
    path.write_text(JOB, encoding="utf-8")
    return path


def test_a_file_edited_while_it_is_linted_is_not_cached_under_its_old_content(
    job: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index hashed one content and the linter read another: the findings of the
    second were stored under the hash of the first, so undoing the edit served them."""
    expected = _check("--no-cache")
    assert expected[0] == 1
    real = runner.lint_file

    def edit_then_lint(path: Path, *args: Any) -> FileResult:
        path.write_text(QUIET, encoding="utf-8")  # saved by an editor meanwhile
        return real(path, *args)

    monkeypatch.setattr(runner, "lint_file", edit_then_lint)
    assert _check()[0] == 0  # what was linted: the new content
    monkeypatch.undo()
    monkeypatch.chdir(job.parent)
    job.write_text(JOB, encoding="utf-8")  # the edit undone
    assert _check() == expected


TASKS = "import dask\n\n\n@dask.delayed\ndef inc(x):\n    return x + 1\n"
PIPELINE = """\
import dask

from pkg.tasks import inc


def main():
    return dask.compute(*[inc(i) for i in range(5000)])
"""


def test_a_module_edited_before_its_facts_are_repaired_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Facts that must be computed again (the stored ones are damaged) come from a second
    read of the module; when that read sees an edit, the other modules are linted with
    facts the dependency keys do not describe, and their findings must not be stored."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASKLINT_NO_CACHE", raising=False)
    tasks = tmp_path / "pkg" / "tasks.py"
    write(tmp_path, {"pkg/__init__.py": "", "pkg/tasks.py": TASKS, "pkg/main.py": PIPELINE})
    expected = _check("--no-cache")
    assert "pkg/main.py:7:27: DSK401" in expected[1]
    assert _check("--cache-dir", "cache")[:2] == expected[:2]
    for facts in (tmp_path / "cache").rglob("facts-*.json"):
        data = json.loads(facts.read_text())
        data["entries"] = {key: {"hash": "damaged"} for key in data["entries"]}
        facts.write_text(json.dumps(data))
    real = Cache.index_state

    def index_then_edit(self: Cache, paths: Any) -> Any:
        state = real(self, paths)
        tasks.write_text(TASKS.replace("@dask.delayed\n", ""), encoding="utf-8")
        return state

    monkeypatch.setattr(Cache, "index_state", index_then_edit)
    main = tmp_path / "pkg" / "main.py"
    main.write_text(PIPELINE + "# linted again\n", encoding="utf-8")
    assert "DSK401" not in _check("--cache-dir", "cache")[1]  # linted with the edit
    monkeypatch.setattr(Cache, "index_state", real)
    tasks.write_text(TASKS, encoding="utf-8")  # the edit undone
    assert _check("--cache-dir", "cache")[:2] == expected[:2]


@pytest.mark.parametrize("trust_recent", [False, True])
def test_same_size_edit_with_the_old_modification_time_is_not_served(
    job: Path, monkeypatch: pytest.MonkeyPatch, trust_recent: bool
) -> None:
    """The cache is keyed on content: size and modification time only spare reading a
    file that did not change, and both can be restored after an edit (``touch -r``,
    rsync, an archive). ``trust_recent``: even a file changed just now is trusted by its
    stat, as one changed long ago (so only the stat's other fields protect it)."""
    from dasklint.engine.run import cache

    if trust_recent:
        monkeypatch.setattr(cache, "_RACY_SECONDS", -math.inf)
    old = 1_600_000_000 * 10**9
    os.utime(job, ns=(old, old))
    assert _check()[0] == 1
    job.write_text(QUIET, encoding="utf-8")
    os.utime(job, ns=(old, old))
    assert job.stat().st_size == len(JOB) and job.stat().st_mtime_ns == old
    assert _check() == _check("--no-cache") == (0, "All checks passed!\n", "")


def test_cache_layout(tree: Path) -> None:
    code, _, _ = _check("fixtures/DSK101")
    assert code == 1
    root = tree / ".dasklint_cache"
    assert (root / "CACHEDIR.TAG").read_text() == CACHEDIR_TAG
    assert (root / ".gitignore").read_text() == "*\n"
    (version,) = [p for p in root.iterdir() if p.is_dir()]
    from dasklint import __version__

    assert version.name == __version__
    assert [p.name for p in version.glob("index-*.json")]
    results = list(version.glob("*/files.json"))
    assert results
    data = json.loads(results[0].read_text())
    assert data["format"] == 1 and data["version"] == __version__


def test_no_cache_and_env(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _check("fixtures/DSK101", "--no-cache")
    assert not (tree / ".dasklint_cache").exists()
    monkeypatch.setenv("DASKLINT_NO_CACHE", "1")
    _check("fixtures/DSK101")
    assert not (tree / ".dasklint_cache").exists()
    monkeypatch.delenv("DASKLINT_NO_CACHE")
    monkeypatch.setenv("DASKLINT_CACHE_DIR", str(tree / "elsewhere"))
    _check("fixtures/DSK101")
    assert (tree / "elsewhere" / "CACHEDIR.TAG").is_file()
    assert not (tree / ".dasklint_cache").exists()


def test_clean(tree: Path) -> None:
    _check("fixtures/DSK101")
    assert (tree / ".dasklint_cache").is_dir()
    result = run("clean")
    assert result.exit_code == 0
    assert not (tree / ".dasklint_cache").exists()
    (tree / "not-a-cache").mkdir()
    assert run("clean", "--cache-dir", tree / "not-a-cache").exit_code != 0
    assert (tree / "not-a-cache").is_dir()


@dataclass(frozen=True)
class Sample:
    """An uncached run over a copy of the :data:`SAMPLE` fixtures, a run that filled a
    cache, and what a run served by that cache said with ``-v``: computed once per test
    run, shared by the xdist workers."""

    expected: tuple[int, str, str]
    filled: tuple[int, str, str]
    served_verbose: str
    cache: Path  # serves the copy at `root` (its entries know where the files are)
    root: Path


def _sample_outputs(root: Path) -> dict[str, Any]:
    _copy_fixtures(root, SAMPLE)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.delenv("DASKLINT_NO_CACHE", raising=False)
        patch.delenv("DASKLINT_CACHE_DIR", raising=False)
        expected = _check("fixtures", "--no-cache")
        filled = _check("fixtures", "--cache-dir", root / "cache")
        served = _check("fixtures", "--cache-dir", root / "cache", "-v")
    return {"expected": expected, "filled": filled, "served_verbose": served[2]}


@pytest.fixture
def sample(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Sample:
    """The shared sample run, with its copy of the fixtures as the working directory (not
    to be changed: other tests read it)."""
    root, value = computed_once(tmp_path_factory, "cache-sample-run", _sample_outputs)
    monkeypatch.chdir(root)
    monkeypatch.delenv("DASKLINT_NO_CACHE", raising=False)
    monkeypatch.delenv("DASKLINT_CACHE_DIR", raising=False)
    return Sample(
        _output(value["expected"]),
        _output(value["filled"]),
        str(value["served_verbose"]),
        root / "cache",
        root,
    )


@pytest.mark.parametrize("damage", ["truncate", "garbage", "foreign", "wrong-shape"])
def test_corrupt_or_foreign_cache_is_rebuilt(sample: Sample, tmp_path: Path, damage: str) -> None:
    expected = sample.expected
    assert sample.filled == expected
    assert sample.served_verbose.count(" 0 linted ") == 1
    cache = tmp_path / "cache"
    shutil.copytree(sample.cache, cache)
    for path in cache.rglob("*.json"):
        text = path.read_text()
        if damage == "truncate":
            path.write_text(text[: len(text) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\x80\x04\x95 not json")
        elif damage == "foreign":
            data = json.loads(text)
            data["version"] = "0.0.0-other"
            path.write_text(json.dumps(data))
        else:
            data = json.loads(text)
            for key, entry in data["entries"].items():
                if key and "result" in entry:
                    entry["result"] = {"diagnostics": [["nonsense"]], "skipped": 3}
                elif key:
                    entry["facts"] = {"c": "NoSuchClass", "v": []}
                    entry["mtime"] = 0
            path.write_text(json.dumps(data))
    code, out, err = _check("fixtures", "--cache-dir", cache)
    assert (code, out) == expected[:2]
    if damage != "wrong-shape":
        assert "warning: dasklint cache:" in err
    # Rebuilt: the next run is served from the cache and says nothing.
    again = _check("fixtures", "--cache-dir", cache)
    assert again == (expected[0], expected[1], expected[2])


def _first_finding(entries: dict[str, Any]) -> dict[str, Any]:
    for key, entry in entries.items():
        if key and entry["result"]["diagnostics"]:
            found: dict[str, Any] = entry["result"]["diagnostics"][0]
            return found
    raise AssertionError("no stored finding")


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def damage(entries: dict[str, Any]) -> None:
        _first_finding(entries)[field] = value

    return damage


def _result(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def damage(entries: dict[str, Any]) -> None:
        for key, entry in entries.items():
            if key:
                entry["result"][field] = value

    return damage


def _index(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def damage(entries: dict[str, Any]) -> None:
        for key, entry in entries.items():
            if key:
                entry[field] = value
        entries[""]["state"] = "stale"  # the dependency keys are computed again

    return damage


def _deps(entries: dict[str, Any]) -> None:
    entries[""]["deps"] = {key: 5 for key in entries[""]["deps"]}


# Entries of the right shape but wrong types: each is a cache miss, never a finding.
WRONG_TYPES: dict[str, tuple[str, Callable[[dict[str, Any]], None]]] = {
    "code": ("files", _set("code", 101)),
    "message": ("files", _set("message", ["not", "text"])),
    "location": ("files", _set("location", "4:31")),
    "location-bool": ("files", _set("location", [True, 31])),
    "severity": ("files", _set("severity", "fatal")),
    "fixable": ("files", _set("fixable", "yes")),
    "noqa-row": ("files", _set("noqa_row", "4")),
    "cell": ("files", _set("cell", "x")),
    "fix": ("files", _set("fix", ["safe", "m", [["x", 1, 1]]])),
    "unknown-field": ("files", _set("colour", "red")),
    "missing-field": ("files", lambda e: _first_finding(e).pop("severity")),
    "skipped": ("files", _result("skipped", "no")),
    "diagnostics": ("files", _result("diagnostics", {})),
    "imports": ("index", _index("imports", 5)),
    "import-names": ("index", _index("imports", [5])),
    "name": ("index", _index("name", 5)),
    "size": ("index", _index("size", "51")),
    "deps": ("index", _deps),
    "rule-code": ("rules", lambda e: e.update({"DSK\u00b2": {"name": "x", "default": True}})),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package whose modules import each other, and findings with fixes."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASKLINT_NO_CACHE", raising=False)
    monkeypatch.delenv("DASKLINT_CACHE_DIR", raising=False)
    files = {"pkg/__init__.py": "", "pkg/tasks.py": TASKS, "pkg/main.py": PIPELINE}
    write(tmp_path / "src", {**files, "job.py": JOB})
    return tmp_path


@pytest.mark.parametrize("damage", sorted(WRONG_TYPES))
def test_cache_entries_of_wrong_types_are_misses(project: Path, damage: str) -> None:
    """A damaged entry once crashed every later run (an index entry's `imports` of the
    wrong type) or was printed as a finding (`message: ["not", "text"]`)."""
    cache = project / "cache"
    expected = _check("src", "--no-cache")
    assert "DSK101 [*]" in expected[1] and "DSK401" in expected[1]
    assert _check("src", "--cache-dir", cache) == expected
    kind, change = WRONG_TYPES[damage]
    pattern = "*/files.json" if kind == "files" else f"{kind}-*.json"
    for path in (cache / __version__).glob(pattern):
        data = json.loads(path.read_text())
        change(data["entries"])
        path.write_text(json.dumps(data))
    code, out, err = _check("src", "--cache-dir", cache)
    assert (code, out) == expected[:2]
    assert len(err.splitlines()) == 1 and err.startswith("warning: dasklint cache: "), err
    assert _check("src", "--cache-dir", cache) == expected  # rebuilt, quiet


def _cache_line(args: tuple[str | Path, ...]) -> tuple[tuple[int, str], str]:
    """A verbose run's exit status and stdout, and its ``cache: N cached, M linted`` part."""
    code, out, err = _check(*args, "-v")
    (line,) = [line for line in err.splitlines() if line.startswith("dasklint: cache: ")]
    return (code, out), line.split(" (")[0].removeprefix("dasklint: ")


@pytest.mark.parametrize(
    ("fill", "then"), [("full", "concise"), ("json", "github"), ("sarif", "full")]
)
def test_a_cache_filled_in_one_format_serves_the_others(
    project: Path, fill: str, then: str
) -> None:
    """Fix edits (computed for the full, JSON and SARIF formats) do not change what a file
    is found to have: a cache filled with them serves the formats that print none, and
    the ones that print them, without linting any file again."""
    cache = ("--cache-dir", project / "cache")
    fresh = _check("src", "--no-cache", "--output-format", then)
    assert _cache_line(("src", *cache, "--output-format", fill))[1] == "cache: 0 cached, 4 linted"
    served = _cache_line(("src", *cache, "--output-format", then))
    assert served == (fresh[:2], "cache: 4 cached, 0 linted")


def test_a_cache_filled_without_fix_edits_lints_again_for_them(project: Path) -> None:
    """A cache filled by a concise run holds no fix edits: a full run lints again (and
    prints the edits an uncached run prints), and its entries then serve both formats."""
    cache = ("--cache-dir", project / "cache")
    full = _check("src", "--no-cache", "--output-format", "full")
    concise = _check("src", "--no-cache")
    assert "DSK101 [*]" in concise[1] and ", chunksize=1)" in full[1]  # the fix's edit
    assert _cache_line(("src", *cache)) == (concise[:2], "cache: 0 cached, 4 linted")
    relinted = _cache_line(("src", *cache, "--output-format", "full"))
    assert relinted == (full[:2], "cache: 0 cached, 4 linted")
    assert _cache_line(("src", *cache)) == (concise[:2], "cache: 4 cached, 0 linted")
    served = _cache_line(("src", *cache, "--output-format", "full"))
    assert served == (full[:2], "cache: 4 cached, 0 linted")


@pytest.mark.parametrize("name", ["files", "index", "facts", "rules"])
def test_deeply_nested_cache_file_is_ignored(project: Path, name: str) -> None:
    """Python's JSON parser recurses: a deeply nested file once crashed every run."""
    cache = project / "cache"
    _check("src", "--cache-dir", cache)
    pattern = "*/files.json" if name == "files" else f"{name}-*.json"
    paths = list((cache / __version__).glob(pattern))
    assert paths
    for path in paths:
        path.write_text('{"entries": ' + "[" * 200_000 + "]" * 200_000 + "}")
    main = project / "src" / "pkg" / "main.py"  # linted again: the facts are read
    main.write_text(PIPELINE + "# edited\n", encoding="utf-8")
    expected = _check("src", "--no-cache")
    code, out, err = _check("src", "--cache-dir", cache)
    assert (code, out) == expected[:2]
    assert err.startswith("warning: dasklint cache: ignoring corrupt cache file"), err
    assert _check("src", "--cache-dir", cache) == expected


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_cache_is_skipped(tree: Path) -> None:
    locked = tree / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, out, err = _check("fixtures", "--cache-dir", locked / "cache")
    finally:
        locked.chmod(stat.S_IRWXU)
    assert (code, out) == _check("fixtures", "--no-cache")[:2]
    assert "cannot write" in err


def test_cache_dir_that_is_a_file_is_skipped(tree: Path) -> None:
    blocker = tree / "blocker"
    blocker.write_text("a file where the cache directory would go")
    code, out, err = _check("fixtures", "--cache-dir", blocker / "cache")
    assert (code, out) == _check("fixtures", "--no-cache")[:2]
    assert "cannot write" in err


def test_facts_round_trip_through_json() -> None:
    index = build_index(sorted(FIXTURES.rglob("*.py")))
    assert index.modules
    for facts in index.modules.values():
        assert decode_facts(json.loads(json.dumps(encode_facts(facts)))) == facts


def test_results_with_errors_are_not_cached(tree: Path) -> None:
    cache = Cache(tree / "cache")
    cache._loaded = {}
    cache.record([(FileResult("x.py", error="boom"), tree / "cache" / "f.json", "x", {"a": 1})])
    assert not (tree / "cache" / "f.json").exists()


def test_the_cache_never_uses_pickle() -> None:
    for name in (
        "engine/run/cache.py",
        "engine/run/encoding.py",
        "engine/run/reach.py",
        "cli/clean.py",
    ):
        source = (ROOT / "dasklint" / name).read_text()
        for word in ("import pickle", "pickle.", "marshal", "shelve", "dill", "eval(", "exec("):
            assert word not in source, (name, word)
