"""``dasklint check --fix`` and friends: flags, exit codes, summaries and file handling."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from cli_support import CLEAN, LEGACY, PROCESSES, json_items, run, write

from dasklint.diagnostics import Location, TextEdit, apply_text_edits

# DSK101 at 4:31; its safe fix adds `chunksize=1`.
PROCESSES_FIXED = PROCESSES.replace('"processes")', '"processes", chunksize=1)')

# Two computations on the processes scheduler: the safe fix adds `chunksize=1` to each;
# the unsafe codemod (one cluster for both) is offered, so a hidden fix remains.
PROCESSES_TWICE = """\
import dask

total = dask.delayed(sum)([1, 2])
dask.compute(total, scheduler="processes")
dask.compute(total + 1, scheduler="processes")
"""

# A script that computes in a loop, so one cluster replaces a pool per iteration (DSK108
# at 8:24): the unsafe LocalCluster codemod applies after the safe fix.
SCRIPT = """\
import dask


def main():
    results = []
    for n in range(3):
        tasks = [dask.delayed(abs)(n - i) for i in range(20)]
        results.append(dask.compute(*tasks, scheduler="processes", num_workers=2))
    return results


if __name__ == "__main__":
    print(main())
"""

SCRIPT_UNSAFE_FIXED = """\
import dask
from dask.distributed import Client, LocalCluster


def main():
    results = []
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        for n in range(3):
            tasks = [dask.delayed(abs)(n - i) for i in range(20)]
            results.append(dask.compute(*tasks))
        return results


if __name__ == "__main__":
    print(main())
"""

# DSK104 (unsafe fix only).
BYPASS = """\
import dask
from distributed import Client

client = Client(processes=False)
total = dask.delayed(sum)([1, 2])
total.compute(scheduler="threads")
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_check_marks_fixable_and_counts_hidden_fixes(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES, "b.py": BYPASS})
    result = run("check", "--isolated")
    assert result.exit_code == 1
    assert "a.py:4:31: DSK101 [*] " in result.stdout
    assert "b.py:6:25: DSK104 `" in result.stdout  # unsafe: no [*]
    assert result.stdout.splitlines()[-2:] == [
        "Found 2 warnings.",
        "[*] 1 fixable with the `--fix` option "
        "(1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    unsafe = run("check", "--isolated", "--unsafe-fixes")
    assert "b.py:6:25: DSK104 [*] " in unsafe.stdout
    assert unsafe.stdout.splitlines()[-1] == "[*] 2 fixable with the `--fix` option."


def test_fix_writes_and_summarises(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES_TWICE, "clean.py": CLEAN})
    result = run("check", "--isolated", "--fix")
    assert (tmp_path / "a.py").read_text() == PROCESSES_TWICE.replace(
        '"processes")', '"processes", chunksize=1)'
    )
    assert (tmp_path / "clean.py").read_text() == CLEAN
    # The processes scheduler is still there (only the unsafe fix removes it).
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("a.py:4:31: DSK101 `")
    assert lines[1].startswith("a.py:5:35: DSK101 `")
    # One codemod moves both computations, and both findings offer it.
    assert lines[2:] == [
        "Found 2 findings (0 fixed, 2 remaining).",
        "Fixed files:",
        "- a.py",
        "No fixes available (2 hidden fixes can be enabled with the `--unsafe-fixes` option).",
    ]


def test_fix_all_fixed_exits_zero_unless_asked(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": LEGACY})
    result = run("check", "--isolated", "--fix", "--ignore", "DSK101")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[0] == "Found 2 findings (2 fixed, 0 remaining)."
    assert 'scheduler="processes"' in (tmp_path / "a.py").read_text()
    write(tmp_path, {"a.py": LEGACY})
    again = run("check", "--isolated", "--fix", "--ignore", "DSK101", "--exit-non-zero-on-fix")
    assert again.exit_code == 1
    # Nothing left to fix: exit 0 even with --exit-non-zero-on-fix.
    third = run("check", "--isolated", "--fix", "--ignore", "DSK101", "--exit-non-zero-on-fix")
    assert third.exit_code == 0
    assert third.stdout == "All checks passed!\n"


def test_unsafe_fixes_apply_the_codemod(tmp_path: Path) -> None:
    write(tmp_path, {"script.py": SCRIPT})
    result = run("check", "--isolated", "--fix", "--unsafe-fixes", "--show-fixes")
    assert (tmp_path / "script.py").read_text() == SCRIPT_UNSAFE_FIXED
    # The codemod removes DSK108's pool per iteration too; on the cluster the loop's
    # blocking computation is DSK303's, which has no fix.
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("script.py:10:28: DSK303 ")
    assert lines[1:] == [
        "Found 3 findings (2 fixed, 1 remaining).",
        "Fixed files:",
        "- script.py:",
        "    1 x DSK101 (processes-scheduler)",
        "    1 x DSK108 (processes-compute-in-loop)",
    ]
    # Idempotent: a second run changes nothing.
    again = run("check", "--isolated", "--fix", "--unsafe-fixes")
    assert again.exit_code == 1
    assert again.stdout.splitlines()[1:] == ["Found 1 finding (0 fixed, 1 remaining)."]
    assert (tmp_path / "script.py").read_text() == SCRIPT_UNSAFE_FIXED


def test_no_unsafe_fixes_overrides_the_config(tmp_path: Path) -> None:
    write(tmp_path, {"b.py": BYPASS, "dasklint.toml": "unsafe-fixes = true\n"})
    assert run("check", "--no-unsafe-fixes", "--fix").exit_code == 1
    assert (tmp_path / "b.py").read_text() == BYPASS
    assert run("check", "--fix").exit_code == 0
    assert "compute()" in (tmp_path / "b.py").read_text()


def test_fix_only_reports_nothing_left(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES})
    result = run("check", "--isolated", "--fix-only")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "No findings fixed; partial fixes changed 1 file.",
        "Fixed files:",
        "- a.py",
    ]
    assert (tmp_path / "a.py").read_text() == PROCESSES_FIXED


def test_diff_writes_nothing_and_exits_one(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES})
    before = (tmp_path / "a.py").stat()
    result = run("check", "--isolated", "--diff")
    assert result.exit_code == 1
    assert result.stdout == (
        "--- a.py\n+++ a.py\n@@ -1,4 +1,4 @@\n import dask\n \n total = dask.delayed(sum)([1, 2])\n"
        '-dask.compute(total, scheduler="processes")\n'
        '+dask.compute(total, scheduler="processes", chunksize=1)\n'
    )
    assert "No findings would be fixed; partial fixes would change 1 file." in result.stderr
    assert (tmp_path / "a.py").read_text() == PROCESSES
    assert (tmp_path / "a.py").stat().st_mtime_ns == before.st_mtime_ns
    write(tmp_path, {"a.py": CLEAN})
    clean = run("check", "--isolated", "--diff")
    assert clean.exit_code == 0
    assert clean.stdout == ""


def test_stdin_fix_prints_the_code(tmp_path: Path) -> None:
    result = run("check", "--isolated", "--fix", "-", stdin=PROCESSES)
    assert result.stdout == PROCESSES_FIXED
    assert "-:4:31: DSK101 " in result.stderr
    assert "Found 1 finding (0 fixed, 1 remaining)." in result.stderr
    assert result.exit_code == 1
    named = run("check", "--isolated", "--fix", "--stdin-filename", "x.py", stdin=CLEAN)
    assert named.stdout == CLEAN
    assert named.exit_code == 0


def test_config_fix_keys(tmp_path: Path) -> None:
    renamed = LEGACY.replace('"threading"', '"threads"')
    write(tmp_path, {"a.py": LEGACY, "dasklint.toml": 'unfixable = ["DSK101"]\n'})
    result = run("check", "--fix")
    # DSK105's fix applies; DSK101's chunksize fix does not.
    assert (tmp_path / "a.py").read_text() == renamed
    assert result.exit_code == 1

    write(tmp_path, {"a.py": LEGACY, "dasklint.toml": 'fixable = ["DSK105"]\n'})
    run("check", "--fix")
    assert (tmp_path / "a.py").read_text() == renamed

    write(tmp_path, {"b.py": BYPASS, "dasklint.toml": 'extend-safe-fixes = ["DSK104"]\n'})
    assert "DSK104 [*]" in run("check").stdout
    run("check", "--fix")
    assert "compute()" in (tmp_path / "b.py").read_text()

    write(tmp_path, {"a.py": PROCESSES, "dasklint.toml": 'extend-unsafe-fixes = ["DSK101"]\n'})
    (tmp_path / "b.py").unlink()
    assert "DSK101 [*]" not in run("check").stdout
    run("check", "--fix")
    assert (tmp_path / "a.py").read_text() == PROCESSES

    write(tmp_path, {"dasklint.toml": 'unfixable = ["DSK999"]\n'})
    assert run("check").exit_code == 2


def test_json_fix_edits_reproduce_the_fix(tmp_path: Path) -> None:
    write(tmp_path, {"script.py": SCRIPT})
    items = json_items(run("check", "--isolated", "--output-format", "json"))
    assert [item["code"] for item in items] == ["DSK108", "DSK101"]
    fix = items[1]["fix"]
    assert fix["applicability"] == "safe"
    edits = tuple(
        TextEdit(
            e["content"],
            Location(e["location"]["row"], e["location"]["column"]),
            Location(e["end_location"]["row"], e["end_location"]["column"]),
        )
        for e in fix["edits"]
    )
    fixed = apply_text_edits(SCRIPT, edits)
    assert fixed == SCRIPT.replace("num_workers=2)", "num_workers=2, chunksize=1)")
    # The unsafe codemod's edits include the import libcst adds at the top.
    (tmp_path / "script.py").write_text(fixed)
    unsafe = json_items(run("check", "--isolated", "--output-format", "json", "--unsafe-fixes"))
    codemod = unsafe[1]["fix"]
    assert codemod["applicability"] == "unsafe"
    assert "LocalCluster" in codemod["message"]
    edits = tuple(
        TextEdit(
            e["content"],
            Location(e["location"]["row"], e["location"]["column"]),
            Location(e["end_location"]["row"], e["end_location"]["column"]),
        )
        for e in codemod["edits"]
    )
    assert edits[0].location.row == 2  # the import
    assert apply_text_edits(fixed, edits) == SCRIPT_UNSAFE_FIXED


def test_crlf_bom_and_permissions_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"\xef\xbb\xbf" + PROCESSES.replace("\n", "\r\n").encode())
    path.chmod(0o640)
    inode = path.stat().st_ino
    run("check", "--isolated", "--fix")
    data = path.read_bytes()
    assert data == b"\xef\xbb\xbf" + PROCESSES_FIXED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    # Written by rename: a new inode, and no temporary file left behind.
    assert path.stat().st_ino != inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py"]


def test_crlf_codemod_keeps_crlf(tmp_path: Path) -> None:
    path = tmp_path / "script.py"
    path.write_bytes(SCRIPT.replace("\n", "\r\n").encode())
    run("check", "--isolated", "--fix", "--unsafe-fixes")
    assert path.read_bytes() == SCRIPT_UNSAFE_FIXED.replace("\n", "\r\n").encode()


def test_files_without_fixes_are_not_touched(tmp_path: Path) -> None:
    write(tmp_path, {"clean.py": CLEAN, "other.py": "x = 1\n", "a.py": PROCESSES})
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    run("check", "--isolated", "--fix")
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after["clean.py"] == before["clean.py"]
    assert after["other.py"] == before["other.py"]
    assert after["a.py"] != before["a.py"]


def test_syntax_error_file_is_left_alone(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": "import dask\nprint 'x'\n"})
    result = run("check", "--isolated", "--fix")
    assert result.exit_code == 1
    assert "DSK001" in result.stdout
    assert (tmp_path / "bad.py").read_text() == "import dask\nprint 'x'\n"


def test_read_only_directory_reports_an_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    folder = tmp_path / "ro"
    write(folder, {"a.py": PROCESSES})
    folder.chmod(0o555)
    try:
        result = run("check", "--isolated", "--fix", str(folder))
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2
    assert (folder / "a.py").read_text() == PROCESSES


def test_json_fix_output_has_no_summary_on_stdout(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": PROCESSES})
    result = run("check", "--isolated", "--fix", "--output-format", "json")
    assert [item["code"] for item in json.loads(result.stdout)] == ["DSK101"]
    assert "Found 1 finding (0 fixed, 1 remaining)." in result.stderr


def test_check_path_does_not_import_libcst_codemod() -> None:
    """libcst.codemod costs about 0.4 s to import: only fixing and JSON edits load it."""
    import subprocess
    import sys

    from conftest import ROOT

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from dasklint.cli.main import cli\n"
        "r = CliRunner().invoke(\n"
        "    cli, ['check', '--isolated', 'fixtures/examples/four_tasks_processes.py']\n"
        ")\n"
        "assert r.exit_code == 1, r.output\n"
        "print(sorted(m for m in sys.modules if m.startswith('libcst.codemod')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_either_finding_of_one_region_carries_the_whole_codemod(tmp_path: Path) -> None:
    """Two computations in one block get one cluster: the edits of either finding's fix
    (what an editor applies for one code action) give what `--fix --unsafe-fixes` does."""
    source = PROCESSES_TWICE.replace('"processes")', '"processes", chunksize=1)')
    write(tmp_path, {"a.py": source})
    items = json_items(run("check", "--isolated", "--output-format", "json", "--unsafe-fixes"))
    fixes = [item["fix"] for item in items if item["code"] == "DSK101"]
    assert len(fixes) == 2 and all(f is not None for f in fixes)
    results = {
        apply_text_edits(
            source,
            tuple(
                TextEdit(
                    e["content"],
                    Location(e["location"]["row"], e["location"]["column"]),
                    Location(e["end_location"]["row"], e["end_location"]["column"]),
                )
                for e in fix["edits"]
            ),
        )
        for fix in fixes
    }
    run("check", "--isolated", "--fix", "--unsafe-fixes")
    assert results == {(tmp_path / "a.py").read_text()}
    assert 'scheduler="processes"' not in results.pop()
