"""How trace starts a program and waits for it (no Dask: the runner's own contract).

The program is started with ``os.posix_spawn``, not ``subprocess``: these tests hold it
to what ``subprocess`` gave (exit status, signals, errors) and to what trace promises
(nothing added to the environment but the instrumentation, a private records' folder).
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from dasklint.trace import runner


def _run(tmp_path: Path, code: str) -> tuple[runner.Finished, str]:
    """Run ``python -c code`` under the runner; its exit and its standard output."""
    out = tmp_path / "out.txt"
    started = runner.begin(
        [sys.executable, "-c", f"import sys; sys.stdout = open({str(out)!r}, 'w')\n{code}"]
    )
    try:
        finished = runner.wait(started.child, started.started)
    finally:
        runner.remove(started.data)
    return finished, out.read_text() if out.exists() else ""


def test_exit_status_is_the_programs(tmp_path: Path) -> None:
    finished, _ = _run(tmp_path, "raise SystemExit(7)")
    assert (finished.exit_status, finished.signal) == (7, None)
    assert finished.seconds > 0


def test_a_program_killed_by_a_signal_is_reported_as_a_shell_does(tmp_path: Path) -> None:
    finished, _ = _run(tmp_path, "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    assert (finished.exit_status, finished.signal) == (128 + 9, 9)


def test_the_status_is_kept_once_waited_for(tmp_path: Path) -> None:
    started = runner.begin([sys.executable, "-c", "raise SystemExit(3)"])
    try:
        assert started.child.wait() == 3
        assert started.child.wait() == 3  # the process is gone; its status is not
    finally:
        runner.remove(started.data)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux's /proc")
def test_signals_python_ignores_are_back_to_default_in_the_program(tmp_path: Path) -> None:
    """Python ignores SIGPIPE and SIGXFSZ; a program started from the shell does not, and
    neither does one started by trace (read in a program that is not Python, which would
    ignore them again)."""
    import signal

    assert signal.getsignal(signal.SIGPIPE) is signal.SIG_IGN  # as Python set it here
    out = tmp_path / "status.txt"
    started = runner.begin(["sh", "-c", f"grep SigIgn /proc/self/status > {out}"])
    try:
        assert runner.wait(started.child, started.started).exit_status == 0
    finally:
        runner.remove(started.data)
    ignored = int(out.read_text().split()[1], 16)
    assert not ignored & (1 << (signal.SIGPIPE - 1) | 1 << (signal.SIGXFSZ - 1))


def test_a_program_that_cannot_be_run_is_an_error_and_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    with pytest.raises(RuntimeError, match="cannot run `no-such-program-here`"):
        runner.begin(["no-such-program-here", "x"])
    not_executable = tmp_path / "data.txt"
    not_executable.write_text("")
    with pytest.raises(RuntimeError, match="Permission denied"):
        runner.begin([str(not_executable)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt"]


def test_a_bare_name_is_found_on_the_path(tmp_path: Path) -> None:
    started = runner.begin(["env"])  # coreutils' env prints the environment
    try:
        assert runner.wait(started.child, started.started).exit_status == 0
    finally:
        runner.remove(started.data)


def test_the_environment_is_the_callers_plus_the_instrumentation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASKLINT_TEST_MARK", "kept")
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    _, printed = _run(tmp_path, "import json, os; print(json.dumps(dict(os.environ)))")
    seen = json.loads(printed)
    assert seen["PYTHONPATH"] == runner.HOOK + os.pathsep + "/somewhere"
    assert Path(runner.HOOK, "sitecustomize.py").is_file()
    assert Path(seen[runner.DIR_ENV]).name.startswith("dasklint-trace-")
    expected = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    assert {k: v for k, v in seen.items() if k not in ("PYTHONPATH", runner.DIR_ENV)} == expected


def test_the_records_folder_is_private_and_new_in_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    first, second = runner.new_folder(), runner.new_folder()
    assert first != second
    for folder in (first, second):
        assert Path(folder).parent == tmp_path
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    runner.remove(first)
    assert not Path(first).exists()


def test_an_unusable_temporary_folder_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``tempfile`` then chooses, as in a process that has not asked it yet."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # its choice, kept once made
    monkeypatch.setenv("TMPDIR", str(tmp_path / "missing"))
    monkeypatch.setenv("TEMP", str(tmp_path))
    folder = runner.new_folder()
    try:
        assert Path(folder).parent == tmp_path
    finally:
        runner.remove(folder)


def test_the_script_is_known_only_for_a_python_file_run_by_python(tmp_path: Path) -> None:
    script = tmp_path / "job.py"
    script.write_text("")
    assert runner.script_of(["python3", str(script), "x"]) == os.path.realpath(script)
    assert runner.script_of(["python3", "-m", "job"]) is None
    assert runner.script_of(["python3", str(tmp_path / "missing.py")]) is None
    assert runner.script_of(["bash", str(script)]) is None


def test_without_posix_spawn_subprocess_starts_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system has no ``posix_spawn`` (Windows), ``subprocess`` starts it."""
    monkeypatch.delattr(os, "posix_spawnp")
    finished, printed = _run(tmp_path, "import os; print(os.environ['DASKLINT_TRACE_DIR'])")
    assert finished.exit_status == 0
    assert Path(printed.strip()).name.startswith("dasklint-trace-")
    started = runner.begin([sys.executable, "-c", "raise SystemExit(5)"])
    try:
        assert started.child.process is not None  # a subprocess.Popen
        finished = runner.wait(started.child, started.started)
    finally:
        runner.remove(started.data)
    assert (finished.exit_status, finished.signal) == (5, None)
