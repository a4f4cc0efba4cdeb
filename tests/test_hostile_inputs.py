"""Hostile and broken input through `dasklint check`: each case with its exact message
and exit status. A file that cannot be linted is a diagnostic (exit 1), never a crash; a
broken configuration ends the run with exit 2 and a one-line cause, never a traceback.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_support import PROCESSES, assert_failed, findings, run, write
from sharing import computed_once
from test_notebooks import lint_json

from dasklint import api
from dasklint.engine.run import runner
from dasklint.limits import MAX_SOURCE_BYTES

SUMMARY_1 = "Found 1 error."


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def check(*args: str | Path) -> tuple[int, list[str], str]:
    result = run("check", "--isolated", "--no-cache", *args)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout.splitlines(), result.stderr


def only_line(tmp_path: Path, name: str, data: bytes) -> str:
    """The single diagnostic line for a file holding ``data`` (exit 1, one finding)."""
    (tmp_path / name).write_bytes(data)
    code, lines, err = check(name)
    assert (code, err) == (1, ""), (code, lines, err)
    assert lines[1:] == [SUMMARY_1], lines
    return lines[0]


# -- syntax errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = (1,\n", "2:5: DSK001 Cannot parse: '(' was never closed"),
        ("x = [1, 2\ny = 3\n", "2:5: DSK001 Cannot parse: '[' was never closed"),
        ("x = ]\n", "2:5: DSK001 Cannot parse: unmatched ']'"),
        ("if x:\n  a = 1\n    b = 2\n", "4:4: DSK001 Cannot parse: unexpected indent"),
        (
            "def f():\nreturn 1\n",
            "3:1: DSK001 Cannot parse: expected an indented block after function definition "
            "on line 2",
        ),
        (
            "if x:\n\tpass\n        pass\n",
            "4:1: DSK001 Cannot parse: inconsistent use of tabs and spaces in indentation",
        ),
        (
            'print "hello"\n',
            "2:1: DSK001 Cannot parse: Missing parentheses in call to 'print'. "
            "Did you mean print(...)?",
        ),
        (
            'exec "x = 1"\n',
            "2:1: DSK001 Cannot parse: Missing parentheses in call to 'exec'. "
            "Did you mean exec(...)?",
        ),
        ("x = `1`\n", "2:5: DSK001 Cannot parse: invalid syntax"),
        ("if 1 <> 2: pass\n", "2:6: DSK001 Cannot parse: invalid syntax"),
        (
            "x = 0777\n",
            "2:5: DSK001 Cannot parse: leading zeros in decimal integer literals are not "
            "permitted; use an 0o prefix for octal integers",
        ),
        (
            'x = "abc\n',
            "2:5: DSK001 Cannot parse: unterminated string literal (detected at line 2)",
        ),
        (
            'x = """abc\n',
            "2:5: DSK001 Cannot parse: unterminated triple-quoted string literal "
            "(detected at line 2)",
        ),
        (
            "x = (1 if 2)\n",
            "2:6: DSK001 Cannot parse: expected 'else' after 'if' expression",
        ),
    ],
)
def test_syntax_errors(tmp_path: Path, source: str, expected: str) -> None:
    line = only_line(tmp_path, "bad.py", ("import dask\n" + source).encode())
    assert line == f"bad.py:{expected}"


@pytest.mark.parametrize(
    "source",
    [
        "match command:\n    case [x, *rest]:\n        pass\n    case {'k': v}:\n        pass\n",
        "type Vector = list[float]\n",  # 3.12
        "def first[T](items: list[T]) -> T:\n    return items[0]\n",  # 3.12
        "def f[T = int](x: T) -> T:\n    return x\n",  # 3.13
        "try:\n    pass\nexcept* ValueError:\n    pass\n",  # 3.11
        'x = f"{"nested"}"\n',  # 3.12
        "with (open(a) as b, open(c) as d):\n    pass\n",  # 3.10
        "try:\n    pass\nexcept A, B:\n    pass\n",  # 3.14
        'x = t"hello {name}"\n',  # 3.14
    ],
)
def test_newer_syntax_is_linted(tmp_path: Path, source: str) -> None:
    """The parser accepts syntax newer than the running Python: the file is linted."""
    write(tmp_path, {"new.py": "import dask\n" + source + 'dask.compute(scheduler="processes")\n'})
    code, lines, _ = check("new.py")
    assert code == 1
    row = source.count("\n") + 2
    assert lines[0].startswith(f"new.py:{row}:24: DSK101 "), lines


# -- encodings, newlines and bytes --------------------------------------------------------

CALL = b'dask.compute(1, scheduler="processes")\n'


def test_invalid_utf8(tmp_path: Path) -> None:
    line = only_line(tmp_path, "bad.py", b'import dask\ns = "\xff\xfe"\n')
    assert line == (
        "bad.py:1:1: DSK002 Cannot decode: 'utf-8' codec can't decode byte 0xff in position "
        "17: invalid start byte"
    )


def test_binary_file_with_a_py_name(tmp_path: Path) -> None:
    data = bytes(range(256)) * 8 + b"import dask\n"
    line = only_line(tmp_path, "blob.py", data)
    assert line == (
        "blob.py:1:1: DSK002 Cannot decode: 'utf-8' codec can't decode byte 0x80 in position "
        "128: invalid start byte"
    )


def test_unknown_coding_cookie(tmp_path: Path) -> None:
    line = only_line(tmp_path, "x.py", b"# -*- coding: klingon -*-\nimport dask\n")
    assert line == "x.py:1:1: DSK002 Cannot decode: unknown encoding: klingon"


COOKIE_16 = "# -*- coding: utf-16 -*-\nimport dask\n" + CALL.decode()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # What `Path.write_text(..., encoding="utf-16")` writes: a BOM, then UTF-16.
        (
            COOKIE_16.encode("utf-16"),
            "x.py:1:1: DSK002 Cannot decode: invalid or missing encoding declaration",
        ),
        # The cookie in ASCII, the rest in UTF-16.
        (
            b"# -*- coding: utf-16 -*-\n" + COOKIE_16.encode("utf-16")[2:],
            "x.py:1:1: DSK002 Cannot decode: 'utf-16-le' codec can't decode byte 0x00 in "
            "position 176: truncated data",
        ),
        (
            COOKIE_16.encode("utf-16-be"),
            "x.py:1:1: DSK001 Cannot parse: source code cannot contain null bytes",
        ),
    ],
)
def test_utf16_source_is_reported(tmp_path: Path, data: bytes, expected: str) -> None:
    """Python cannot run a module in UTF-16 (its coding cookie cannot be read as ASCII):
    it once passed unread, as the byte pre-filter did not see `dask` in it."""
    assert only_line(tmp_path, "x.py", data) == expected


def test_utf16_source_without_dask_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("# -*- coding: utf-16 -*-\nimport os\n", encoding="utf-16")
    assert check("x.py") == (0, ["All checks passed!"], "")


@pytest.mark.parametrize(
    ("name", "data", "row", "column"),
    [
        ("latin1.py", b"# -*- coding: latin-1 -*-\nimport dask\ns = '\xe9'\n" + CALL, 4, 27),
        ("bom.py", b"\xef\xbb\xbfimport dask\n" + CALL, 2, 27),
        ("crlf.py", b"import dask\r\nx = 1\r\n" + CALL.replace(b"\n", b"\r\n"), 3, 27),
        ("mixed.py", b"import dask\r\nx = 1\n\r\n" + CALL + b"y = 2\r\n", 4, 27),
        ("cr.py", b"import dask\rx = 1\r" + CALL.replace(b"\n", b"\r"), 3, 27),
        ("emoji.py", "import dask\ns = '😀'; ".encode() + CALL, 2, 36),  # code points
        ("long.py", b"import dask\nx = '" + b"a" * 300_000 + b"'; " + CALL, 2, 300_035),
    ],
)
def test_encodings_and_newlines_keep_positions(
    tmp_path: Path, name: str, data: bytes, row: int, column: int
) -> None:
    (tmp_path / name).write_bytes(data)
    code, _, err = check(name)
    assert (code, err) == (1, "")
    result = run("check", "--isolated", "--no-cache", name)
    assert findings(result) == [(name, row, column, "DSK101")]


def test_nul_byte_is_placed(tmp_path: Path) -> None:
    line = only_line(tmp_path, "nul.py", b"import dask\nx = 1\x00\n")
    assert line == "nul.py:2:6: DSK001 Cannot parse: source code cannot contain null bytes"


def test_empty_and_blank_files(tmp_path: Path) -> None:
    write(tmp_path, {"empty.py": "", "blank.py": "\n\n  \n", "dask_only.py": "import dask"})
    code, lines, err = check(".")
    assert (code, lines, err) == (0, ["All checks passed!"], "")


def test_large_file_below_the_size_limit(tmp_path: Path) -> None:
    """Just below the limit (4 MiB), a file is linted; above it, see test_fix_scaling.py."""
    blobs = "".join(f'blob_{i} = "{"y" * 100_000}"\n' for i in range(41))
    write(tmp_path, {"big.py": "import dask\n" + blobs + CALL.decode()})
    assert 4_000_000 < (tmp_path / "big.py").stat().st_size <= MAX_SOURCE_BYTES
    result = run("check", "--isolated", "--no-cache", "big.py")
    assert (result.exit_code, findings(result)) == (1, [("big.py", 43, 27, "DSK101")])


# -- deep nesting: a diagnostic, never a crash (libcst's parser would overflow the stack) --


# Each case: a line nested too deeply for the parser, and the diagnostic it gets.
DEEP_NESTING = [
    ("(" * 2000 + "1" + ")" * 2000, "2:205: DSK001 Cannot parse: too many nested parentheses"),
    ("[" * 2000 + "]" * 2000, "2:205: DSK001 Cannot parse: too many nested parentheses"),
    (
        "{'k': " * 2000 + "1" + "}" * 2000,
        "2:1205: DSK001 Cannot parse: too many nested parentheses",
    ),
    ("f" + "(g" * 2000 + ")" * 2000, "2:406: DSK001 Cannot parse: too many nested parentheses"),
    ("lambda: " * 5000 + "1", "2:1: DSK001 Cannot parse: the code is nested too deeply"),
    ("-" * 20_000 + "1", "2:1: DSK001 Cannot parse: the code is nested too deeply"),
    ("not " * 20_000 + "1", "2:1: DSK001 Cannot parse: the code is nested too deeply"),
    ("1 if 2 else " * 5000 + "1", "2:1: DSK001 Cannot parse: the code is nested too deeply"),
    # Flat in CPython's tree, one level per `and` in libcst's: 10,000 crashed it.
    (" and ".join(["1"] * 10_000), "2:5: DSK001 Cannot parse: the code is nested too deeply"),
    (" or ".join(["a"] * 20_000), "2:5: DSK001 Cannot parse: the code is nested too deeply"),
]


def _deep_nesting_runs(folder: Path) -> dict[str, list[Any]]:
    """``dasklint check`` over one file per case of :data:`DEEP_NESTING`, then the same
    with ``--fix --unsafe-fixes``: in subprocesses (before the fix, libcst's native parser
    died with SIGSEGV), one run for all the cases (each run starts an interpreter that
    imports the linter)."""
    names = []
    for number, (expression, _) in enumerate(DEEP_NESTING):
        (folder / f"deep_{number}.py").write_text(f"import dask\nx = {expression}\n")
        names.append(f"deep_{number}.py")
    runs = {}
    for name, extra in (("check", []), ("fix", ["--fix", "--unsafe-fixes"])):
        command = [sys.executable, "-m", "dasklint", "check", "--isolated", "--no-cache"]
        done = subprocess.run(
            [*command, *extra, *names], cwd=folder, capture_output=True, text=True, check=False
        )
        runs[name] = [done.returncode, done.stdout, done.stderr]
    return runs


@pytest.fixture
def deep_nesting_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    runs: dict[str, list[Any]] = computed_once(
        tmp_path_factory, "deep-nesting-runs", _deep_nesting_runs
    )[1]
    return runs


@pytest.mark.parametrize(
    "number", range(len(DEEP_NESTING)), ids=[f"{n}-{e}" for n, (_, e) in enumerate(DEEP_NESTING)]
)
def test_deep_nesting_is_a_diagnostic(deep_nesting_runs: dict[str, list[Any]], number: int) -> None:
    """The case's file gets its diagnostic (and only it), with and without fixes."""
    expected = f"deep_{number}.py:{DEEP_NESTING[number][1]}"
    for name in ("check", "fix"):
        code, out, err = deep_nesting_runs[name]
        assert code == 1, (name, code, err[-2000:])
        assert [line for line in out.splitlines() if line.startswith(f"deep_{number}.py:")] == [
            expected
        ], name
        assert err == "", name


def test_deep_but_valid_nesting_is_linted(tmp_path: Path) -> None:
    """Below CPython's limits, nesting is linted as usual (200 brackets, long chains)."""
    call = 'dask.compute(x, scheduler="processes")'
    source = "import dask\nx = " + "(" * 200 + "1" + ")" * 200 + "\ny = " + "-" * 2000 + "1\n"
    source += "z = " + " + ".join(["1"] * 1500) + "\nw = " + "lambda: " * 1500 + "1\n" + call
    chain = "import dask\nv = " + " and ".join(["1"] * 4000) + "\n" + call
    write(tmp_path, {"deep.py": source, "chain.py": chain})
    result = run("check", "--isolated", "--no-cache", "deep.py")
    assert findings(result) == [("deep.py", 6, 27, "DSK101")]
    result = run("check", "--isolated", "--no-cache", "chain.py")
    assert findings(result) == [("chain.py", 3, 27, "DSK101")]


def test_recursion_in_the_analysis_is_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever still exhausts the recursion limit after parsing is a failure of dasklint,
    reported on the file as DSK003 naming the analysis (exit 1), never as a syntax error."""
    from dasklint.semantic.model import SemanticModel

    def too_deep(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(SemanticModel, "_effective", too_deep)
    write(tmp_path, {"a.py": PROCESSES})
    expected = [
        "a.py:1:1: DSK003 Internal error in the semantic model (dasklint.semantic.model, in "
        "finish): RecursionError: maximum recursion depth exceeded. No rule could check this "
        "file. This is a bug in dasklint: please report it with this file.",
        SUMMARY_1,
    ]
    assert check("a.py") == (1, expected, "")
    code, lines, err = check("--fix", "a.py")
    assert (code, lines[0], err) == (1, expected[0], "")
    assert (tmp_path / "a.py").read_text() == PROCESSES


# -- paths ---------------------------------------------------------------------------------


def test_directory_named_like_a_python_file(tmp_path: Path) -> None:
    write(tmp_path, {"x.py/inner.py": PROCESSES, "x.py/notes.txt": "x"})
    for target in ("x.py", "."):
        result = run("check", "--isolated", "--no-cache", target)
        assert findings(result) == [("x.py/inner.py", 4, 31, "DSK101")]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlink_loop(tmp_path: Path) -> None:
    os.symlink("b.py", tmp_path / "a.py")
    os.symlink("a.py", tmp_path / "b.py")
    os.symlink("nowhere.py", tmp_path / "dangling.py")
    write(tmp_path, {"ok.py": PROCESSES})
    code, lines, err = check("a.py", "dangling.py")
    assert (code, err) == (1, "")
    assert lines == [
        "a.py:1:1: DSK002 a.py: Too many levels of symbolic links",
        "dangling.py:1:1: DSK002 dangling.py: No such file or directory",
        "Found 2 errors.",
    ]
    # Walking a directory reports the loop and the dangling link like unreadable files.
    result = run("check", "--isolated", "--no-cache", ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:4] == [
        "a.py:1:1: DSK002 Cannot read: Too many levels of symbolic links",
        "b.py:1:1: DSK002 Cannot read: Too many levels of symbolic links",
        "dangling.py:1:1: DSK002 Cannot read: No such file or directory",
        'ok.py:4:31: DSK101 [*] `scheduler="processes"` runs tasks serially in batches of 6',
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_directory_symlink_loop_is_not_followed(tmp_path: Path, cache: list[str]) -> None:
    """A link back up the tree once made the walk lint every file forty times over."""
    write(tmp_path, {"pkg/m.py": PROCESSES, "pkg/sub/keep.txt": ""})
    os.symlink("../..", tmp_path / "pkg" / "sub" / "up")
    os.symlink("pkg", tmp_path / "linked")
    result = run("check", "--isolated", *cache, ".")
    assert (result.exit_code, result.stderr) == (1, "")
    assert findings(result) == [("pkg/m.py", 4, 31, "DSK101")]
    # A directory symlink named on the command line is followed, as in ruff.
    assert findings(run("check", "--isolated", *cache, "linked")) == [
        ("linked/m.py", 4, 31, "DSK101")
    ]


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: list[str]) -> None:
    """Root reads anything, so the read is made to fail as it would for another user."""
    write(tmp_path, {"secret.py": PROCESSES, "ok.py": PROCESSES})
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run("check", "--isolated", *cache, ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == "secret.py:1:1: DSK002 Cannot read: Permission denied"
    assert findings(result)[0] == ("ok.py", 4, 31, "DSK101")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
@pytest.mark.parametrize("fix", [[], ["--fix"]])
def test_file_deleted_between_discovery_and_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: list[str], fix: list[str]
) -> None:
    write(tmp_path, {"gone.py": PROCESSES, "ok.py": PROCESSES})
    real = api.discover

    def discover_then_delete(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        (tmp_path / "gone.py").unlink()
        return found

    monkeypatch.setattr(api, "discover", discover_then_delete)
    result = run("check", "--isolated", *cache, *fix, ".")
    assert result.exit_code == 1, result.stderr
    assert "gone.py:1:1: DSK002 Cannot read: No such file or directory" in result.stdout
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "gone.py").exists()


def test_unreadable_file_in_a_worker_process(tmp_path: Path) -> None:
    """The parallel path reports it the same way (a directory where a file is expected)."""
    files = {f"m{i:02}.py": PROCESSES for i in range(runner.PARALLEL_THRESHOLD)}
    write(tmp_path, files)
    jobs = [(tmp_path / n, n, None) for n in files]
    jobs.append((tmp_path, "dir.py", None))
    results = {r.filename: r for r in runner.run(jobs, workers=2)}  # type: ignore[arg-type]
    message = results["dir.py"].diagnostics[0].message
    assert message == "Cannot read: Is a directory"


# -- special files and unreadable directories ----------------------------------------------

FINDING = ':4:31: DSK101 [*] `scheduler="processes"` runs tasks serially in batches of 6'


def dasklint(cwd: Path, *args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """``dasklint`` in a process of its own: a run that hangs fails the test (timeout)."""
    return subprocess.run(
        [sys.executable, "-m", "dasklint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **options,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_fifo_named_like_a_module_is_skipped(tmp_path: Path, cache: list[str]) -> None:
    """Opening a FIFO waits for a writer: a run once hung on one found while walking, or
    in a package that the project index reads."""
    write(tmp_path, {"ok.py": PROCESSES, "pkg/__init__.py": "", "pkg/mod.py": PROCESSES})
    os.mkfifo(tmp_path / "pipe.py")
    os.mkfifo(tmp_path / "pkg" / "pipe.py")
    done = dasklint(tmp_path, "check", "--isolated", *cache, ".")
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[:2] == ["ok.py" + FINDING, "pkg/mod.py" + FINDING]
    assert done.stderr.splitlines() == [
        "warning: skipping pipe.py: not a regular file",
        "warning: skipping pkg/pipe.py: not a regular file",
    ]
    done = dasklint(tmp_path, "check", "--isolated", *cache, "pkg/mod.py")
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[0] == "pkg/mod.py" + FINDING


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_fifos_in_the_cache_folder(tmp_path: Path) -> None:
    write(tmp_path, {"ok.py": PROCESSES})
    expected = run("check", "--isolated", "--no-cache").stdout
    assert run("check", "--isolated", "--cache-dir", "cache").stdout == expected
    stored = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert len(stored) >= 5
    for path in stored:
        path.unlink()
        os.mkfifo(path)
    done = dasklint(tmp_path, "check", "--isolated", "--cache-dir", "cache")
    assert (done.returncode, done.stdout) == (1, expected)
    assert "warning: dasklint cache: cannot read" in done.stderr
    again = dasklint(tmp_path, "check", "--isolated", "--cache-dir", "cache")
    assert (again.returncode, again.stdout, again.stderr) == (1, expected, "")


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="/dev/fd")
@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_explicit_path_that_is_not_a_regular_file_is_read(tmp_path: Path, cache: list[str]) -> None:
    """`dasklint check <(cat job.py)` and `... /dev/stdin` read the pipe as a file, as ruff
    does; they were once taken for empty directories ("All checks passed!")."""
    read_end, write_end = os.pipe()
    os.write(write_end, PROCESSES.encode())
    os.close(write_end)
    try:
        name = f"/dev/fd/{read_end}"
        done = dasklint(tmp_path, "check", "--isolated", *cache, name, pass_fds=(read_end,))
    finally:
        os.close(read_end)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[0] == name + FINDING
    done = dasklint(tmp_path, "check", "--isolated", *cache, "/dev/stdin", input=PROCESSES)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[0] == "/dev/stdin" + FINDING


def _without_root_file_access() -> None:
    """In a child process before it runs the program: drop the capabilities that let root
    read and enter anything (Linux), so that permissions apply as to any owner."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_unreadable_directories_are_reported(tmp_path: Path, cache: list[str]) -> None:
    """A directory that cannot be entered (mode 000) once ended the run with an internal
    error; one that can be entered but not listed (311), or listed but not entered (644),
    was skipped silently. Each is a DSK002 and the run goes on. Root reads anything: as
    root, the run is made without the capabilities that allow it."""
    options: dict[str, Any] = {}
    if os.geteuid() == 0:
        if not sys.platform.startswith("linux"):
            pytest.skip("dropping root's file access is done the Linux way")
        options["preexec_fn"] = _without_root_file_access
    write(tmp_path, {"ok.py": PROCESSES, "locked/a.py": PROCESSES, "hidden/a.py": PROCESSES})
    write(tmp_path, {"listed/a.py": PROCESSES, "pkg/deep/shut/a.py": PROCESSES})
    modes = {"locked": 0o000, "hidden": 0o311, "listed": 0o644, "pkg/deep/shut": 0o000}
    for name, mode in modes.items():
        (tmp_path / name).chmod(mode)
    try:
        done = dasklint(tmp_path, "check", "--isolated", *cache, ".", **options)
    finally:
        for name in modes:
            (tmp_path / name).chmod(0o755)
    assert (done.returncode, done.stderr) == (1, ""), done.stderr
    assert done.stdout.splitlines()[:5] == [
        "hidden:1:1: DSK002 Cannot read directory: Permission denied",
        "listed:1:1: DSK002 Cannot read directory: Permission denied",
        "locked:1:1: DSK002 Cannot read directory: Permission denied",
        "ok.py" + FINDING,
        "pkg/deep/shut:1:1: DSK002 Cannot read directory: Permission denied",
    ]


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_directory_that_cannot_be_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: list[str]
) -> None:
    """The same in this process, as any user: listing the directory is made to fail."""
    write(tmp_path, {"ok.py": PROCESSES, "hidden/a.py": PROCESSES})
    real = os.scandir

    def scandir(path: Any) -> Any:
        if os.path.basename(path) == "hidden":
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("check", "--isolated", *cache, ".")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines()[:2] == [
        "hidden:1:1: DSK002 Cannot read directory: Permission denied",
        "ok.py" + FINDING,
    ]


# -- notebooks (test_notebooks.py covers invalid JSON, cells and nbformat 3) ---------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"cells": [], "nbformat": 5, "metadata": {}}', "unsupported nbformat 5"),
        ('{"cells": [], "nbformat": "4", "metadata": {}}', "unsupported nbformat '4'"),
        ('{"cells": [], "metadata": {}}', "unsupported nbformat None"),
        ('{"cells": [{"cell_type": "code", "source": null}], "nbformat": 4}', "cell 1"),
        ('{"cells": [{"cell_type": "code", "source": {"a": 1}}], "nbformat": 4}', "cell 1"),
        ("", "invalid JSON at line 1 column 1"),
        ("\xff", "invalid JSON"),
        ("[" * 100_000, "invalid JSON: nested too deeply"),
    ],
)
def test_more_broken_notebooks(tmp_path: Path, text: str, message: str) -> None:
    ((cell, row, column, code, text_out),) = lint_json(None, tmp_path, text)
    assert (cell, row, column, code) == (None, 1, 1, "DSK002")
    assert text_out.startswith("Cannot read notebook: ") and message in text_out, text_out


def test_notebook_with_invalid_utf8_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_bytes(b'{"cells": [], "nbformat": 4, "x": "\xff"}')
    code, lines, err = check("nb.ipynb")
    assert (code, err) == (1, "")
    assert lines[0].startswith("nb.ipynb:1:1: DSK002 Cannot read notebook: ")


def test_notebook_cell_that_nests_too_deeply(tmp_path: Path) -> None:
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    data = {
        "cells": [dict(cell, source="import dask\nx = " + "(" * 1500 + ")" * 1500)],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "nb.ipynb").write_text(json.dumps(data))
    done = subprocess.run(
        [sys.executable, "-m", "dasklint", "check", "--isolated", "--no-cache", "nb.ipynb"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "DSK001 Cannot parse: too many nested parentheses" in done.stdout


# -- configuration -------------------------------------------------------------------------


def failure(result_args: list[str]) -> str:
    result = run("check", *result_args)
    assert_failed(result)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "dasklint failed"
    assert len(lines) == 2, lines
    return lines[1]


@pytest.mark.parametrize(
    ("name", "text", "cause"),
    [
        (
            "dasklint.toml",
            'select = ["DSK1"\n',
            "{path} is not valid TOML: Unclosed array (at end of document)",
        ),
        (
            "pyproject.toml",
            "[tool.dasklint]\nselect = = 1\n",
            "{path} is not valid TOML: Invalid value (at line 2, column 10)",
        ),
        ("dasklint.toml", "a = 1\na = 2\n", "{path} is not valid TOML: Cannot overwrite a value"),
        (
            "dasklint.toml",
            'ignore = []\nselct = ["DSK1"]\n',
            "{path}:2: unknown key `selct` in the top level (known keys: ",
        ),
        (
            "pyproject.toml",
            '[tool.ruff]\nselct = 1\n\n[tool.dasklint]\nignore = []\n"selct" = 3\n',
            "{path}:6: unknown key `selct` in [tool.dasklint] (known keys: ",
        ),
        (
            "pyproject.toml",
            "[tool.dasklint]\n\nrespect-gitignore = 1\n",
            "{path}:3: key `respect-gitignore`: expected true or false",
        ),
        (
            "dasklint.toml",
            "\nselect = 'DSK101'\n",
            "{path}:2: key `select`: expected a list of strings",
        ),
        (
            "dasklint.toml",
            "select = ['DSK101']\nextend-select = ['DSK1', 'DSK999']\n",
            "unknown rule selector `DSK999` in `extend-select` of {path}:2",
        ),
        (
            "pyproject.toml",
            "[tool.ruff]\nunfixable = ['E1']\n[tool.dasklint]\nunfixable = ['E1']\n",
            "unknown rule selector `E1` in `unfixable` of {path}:4",
        ),
        ("dasklint.toml", "\xff = 1\n", "cannot read {path}: 'utf-8' codec can't decode"),
    ],
)
def test_broken_config_files(tmp_path: Path, name: str, text: str, cause: str) -> None:
    (tmp_path / name).write_bytes(text.encode("latin-1") if "\xff" in text else text.encode())
    write(tmp_path, {"a.py": PROCESSES})
    expected = "  Cause: " + cause.format(path=tmp_path / name)
    line = failure([])
    assert line.startswith(expected), (line, expected)
    assert failure(["--exit-zero", "--fix"]).startswith(expected)


def test_config_file_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "conf.toml").mkdir()
    write(tmp_path, {"a.py": PROCESSES})
    assert failure(["--config", "conf.toml"]) == "  Cause: config file conf.toml is a directory"
    (tmp_path / "dasklint.toml").mkdir()
    cause = f"  Cause: {tmp_path / 'dasklint.toml'} is a directory, not a configuration file"
    assert failure([]) == cause


def test_unreadable_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"dasklint.toml": "select = []\n", "a.py": PROCESSES})
    real = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self.name == "dasklint.toml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)
    cause = f"  Cause: cannot read {tmp_path / 'dasklint.toml'}: [Errno 13] Permission denied: "
    assert failure([]).startswith(cause)


def test_same_code_in_select_and_ignore_is_not_contradictory(tmp_path: Path) -> None:
    """As in ruff: the more specific selector wins, and ignore wins a tie."""
    write(
        tmp_path, {"a.py": PROCESSES, "dasklint.toml": 'select = ["DSK101"]\nignore = ["DSK101"]\n'}
    )
    assert check_config() == (0, ["All checks passed!"], "")


def check_config() -> tuple[int, list[str], str]:
    result = run("check", "--no-cache")
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_config_with_isolated_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES, "conf.toml": "select = []\n"})
    result = run("check", "--isolated", "--config", "conf.toml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "Error: `--config` cannot be used with `--isolated`"


def test_fix_only_with_diff_shows_the_fixes_and_writes_nothing(tmp_path: Path) -> None:
    """Not contradictory: `--diff` shows what `--fix-only` would write."""
    write(tmp_path, {"a.py": PROCESSES})
    result = run("check", "--isolated", "--fix-only", "--diff", "a.py")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a.py\n+++ a.py\n")
    assert result.stderr == "No findings would be fixed; partial fixes would change 1 file.\n"
    assert (tmp_path / "a.py").read_text() == PROCESSES


# -- the linted code is never imported or run -------------------------------------------------

EVIL = """\
import os
import dask

open({marker!r} + "-" + __name__, "w").write("ran")
os._exit(7)
raise SystemExit(5)
for i in range(2):  # computes more than once: the LocalCluster codemod is offered
    dask.compute(i, scheduler="processes")
"""


def evil_tree(root: Path) -> Path:
    marker = root / "marker"
    code = EVIL.format(marker=str(marker))
    write(
        root,
        {
            "evil.py": code,
            "pkg/__init__.py": code,
            "pkg/helper.py": code,
            "main.py": "import dask\nimport evil\nfrom pkg import helper\n"
            "from pkg.helper import x\n"
            "for _ in range(2):\n"
            '    dask.compute(helper.f(), scheduler="processes")\n',
            "conftest.py": code,
            "setup.py": code,
            "__main__.py": code,
            # Modules named like the linter's own dependencies: never picked up either.
            "json.py": code,
            "libcst.py": code,
            "dask.py": code,
            "nb.ipynb": json.dumps(
                {
                    "cells": [
                        {
                            "cell_type": "code",
                            "metadata": {},
                            "outputs": [],
                            "execution_count": None,
                            "source": code,
                        }
                    ],
                    "metadata": {},
                    "nbformat": 4,
                    "nbformat_minor": 5,
                }
            ),
        },
    )
    return marker


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--no-cache"],
        ["check", "--fix", "--unsafe-fixes"],
        ["check", "--diff"],
        ["check", "--output-format", "json"],
        ["check", "--statistics", "main.py", "pkg"],
    ],
)
def test_linted_code_is_never_run(tmp_path: Path, args: list[str]) -> None:
    marker = evil_tree(tmp_path)
    entry_point = Path(sys.executable).parent / "dasklint"
    done = subprocess.run(
        [str(entry_point), *args], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    # Never the code's exit(7) or exit(5): findings remain, after `--fix` too (DSK303: on
    # the cluster the fix starts, the loop still blocks on each computation).
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.glob("marker*")) == []
    assert not marker.exists()
    if "--fix" in args:
        assert "LocalCluster(" in (tmp_path / "evil.py").read_text()  # fixed, not run
        assert "remaining" in done.stdout
        assert set(re.findall(r": (DSK\d+) ", done.stdout)) == {"DSK303"}


# -- security: nothing read from disk is unpickled, evaluated or imported ---------------------

# Calls that run code or revive objects: none may appear in dasklint's sources. The cache
# and baselines are JSON; the only pickling is multiprocessing's, of dasklint's own jobs
# and results between its own processes (engine/run/runner.py), never of anything on disk.
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve", "runpy"}
FORBIDDEN_CALLS = {
    "eval", "exec", "compile", "__import__", "import_module", "exec_module",
    "load_module", "run_path", "run_module", "system", "popen", "execfile",
}  # fmt: skip
# Documented exceptions: (file, call) with the reason.
ALLOWED = {
    # `dasklint server` checks whether the optional `lsp` extra is installed; the names
    # are literals, not anything read from disk.
    ("dasklint/cli/server.py", "find_spec"),
    # Lazy imports of dasklint's own modules, named in fixed tables in these files (so
    # `dasklint check` on one file does not import every subcommand and formatter).
    ("dasklint/cli/main.py", "import_module"),
    ("dasklint/output/__init__.py", "import_module"),
    ("dasklint/semantic/__init__.py", "import_module"),
    # Rules are discovered in dasklint's own family folders (rules/<family>/), by the
    # names of the modules installed there; never in the code being linted.
    ("dasklint/rules/__init__.py", "import_module"),
    # Output formats likewise: one module each in dasklint/output/formats/.
    ("dasklint/output/formats/__init__.py", "import_module"),
    # `dasklint trace` is the one command that runs the user's program, by request: its
    # start-up hook, inside that program's interpreter, loads the recorder and then the
    # interpreter's own `sitecustomize`, and the recorder loads the scheduler plugin that
    # Dask's preload names. `check` never imports `dasklint.trace` (test_import_cost.py).
    ("dasklint/trace/hook/sitecustomize.py", "import_module"),
    ("dasklint/trace/hook/_dasklint_trace.py", "exec_module"),
}


def offences(tree: ast.AST, name: str) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [(node.module or "").split(".")[0]]
        else:
            modules = []
        found += [f"{name}:{node.lineno}: import {m}" for m in modules if m in FORBIDDEN_MODULES]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Name) and func.value.id == "re":
                continue  # re.compile: a regular expression, not code
            called: str | None = func.attr
        else:
            called = func.id if isinstance(func, ast.Name) else None
        if called in FORBIDDEN_CALLS and (name, called) not in ALLOWED:
            found.append(f"{name}:{node.lineno}: {called}()")
    return found


def test_no_code_from_disk_is_ever_run() -> None:
    from conftest import ROOT

    found = []
    for path in sorted((ROOT / "dasklint").rglob("*.py")):
        found += offences(ast.parse(path.read_bytes()), path.relative_to(ROOT).as_posix())
    assert found == []


def test_the_security_scan_can_fail() -> None:
    """The scan above sees what it looks for (checked on a sample, not on dasklint)."""
    sample = (
        "import pickle\nfrom marshal import loads\nx = eval(s)\n"
        "importlib.import_module(n)\nre.compile(p)\nos.system(c)\n"
    )
    assert offences(ast.parse(sample), "s.py") == [
        "s.py:1: import pickle",
        "s.py:2: import marshal",
        "s.py:3: eval()",
        "s.py:4: import_module()",
        "s.py:6: system()",
    ]


# -- cache (test_cache.py covers corrupt, truncated, foreign and non-root unwritable) ---------


def test_unwritable_cache_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root writes anywhere, so the cache's writes are made to fail as for a user."""
    from dasklint.engine.run import cache

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    write(tmp_path, {"a.py": PROCESSES})
    expected = run("check", "--isolated", "--no-cache").stdout
    monkeypatch.setattr(cache.tempfile, "mkstemp", refuse)
    result = run("check", "--isolated")
    assert (result.exit_code, result.stdout) == (1, expected)
    assert result.stderr == (
        f"warning: dasklint cache: cannot write to {tmp_path / '.dasklint_cache'} "
        "(Permission denied); continuing without it\n"
    )


def test_cache_file_replaced_by_a_directory(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES})
    expected = run("check", "--isolated", "--no-cache").stdout
    assert run("check", "--isolated").stdout == expected
    for path in (tmp_path / ".dasklint_cache").rglob("*.json"):
        path.unlink()
        path.mkdir()
    result = run("check", "--isolated")
    assert (result.exit_code, result.stdout) == (1, expected)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("warning: dasklint cache: ") for line in lines)
    assert "(Is a directory); ignoring it" in result.stderr


@pytest.mark.parametrize("terms", [1500, 2900, 5000])
def test_nesting_verdict_does_not_depend_on_the_recursion_limit(terms: int) -> None:
    """The engine raises the limit after its first file; verdicts must not change with it."""
    from dasklint.engine.lint.nesting import nesting_error
    from dasklint.semantic.project import facts_for_source

    source = ("import dask\nz = " + " + ".join(["1"] * terms) + "\n").encode()
    before = sys.getrecursionlimit()
    verdicts = []
    try:
        for limit in (1000, 10_000):
            sys.setrecursionlimit(limit)
            facts = facts_for_source(source, Path("deep.py"))
            verdicts.append((nesting_error(source), facts is None))
    finally:
        sys.setrecursionlimit(before)
    assert verdicts[0] == verdicts[1]
