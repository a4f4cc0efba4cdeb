"""``check --fix`` counts the same findings ``check`` reported: "Found N findings (M fixed,
K remaining)" with N what ``check`` found, when one fix resolves several findings."""

from __future__ import annotations

import re
from pathlib import Path

from cli_support import run, write

# Four DSK201 findings; the guard fix on the first one moves all four under the guard.
FOUR_UNGUARDED = """\
from dask.distributed import Client, LocalCluster, SubprocessCluster

cluster = LocalCluster(n_workers=2)
client = Client()
with LocalCluster() as other:
    pass
sub = SubprocessCluster()
print(client)
"""

# Two findings, one fixable (DSK103's `-1` -> `1`), one not (DSK106 has no fix).
ONE_FIXABLE = """\
import dask


def work(i):
    return i + 1


def main():
    jobs = [dask.delayed(work)(i) for i in range(8)]
    dask.compute(*jobs, scheduler="sync")
    with dask.config.set(chunksize=-1):
        return jobs


if __name__ == "__main__":
    main()
"""


def _found(output: str) -> int:
    match = re.search(r"Found (\d+) (?:finding|error|warning)", output)
    assert match, output
    return int(match.group(1))


def test_one_fix_resolving_several_findings_counts_them_all(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": FOUR_UNGUARDED})
    checked = run("check", "--no-cache", tmp_path / "job.py")
    assert _found(checked.output) == 4, checked.output
    fixed = run("check", "--no-cache", "--fix", "--unsafe-fixes", tmp_path / "job.py")
    assert "Found 4 findings (4 fixed, 0 remaining)." in fixed.output, fixed.output
    assert 'if __name__ == "__main__":' in (tmp_path / "job.py").read_text()


def test_show_fixes_lists_the_resolved_findings(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": FOUR_UNGUARDED})
    fixed = run(
        "check", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", tmp_path / "job.py"
    )
    assert "4 x DSK201 (missing-main-guard)" in fixed.output, fixed.output


def test_remaining_findings_are_not_counted_as_fixed(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": ONE_FIXABLE})
    checked = run("check", "--no-cache", tmp_path / "job.py")
    total = _found(checked.output)
    fixed = run("check", "--no-cache", "--fix", tmp_path / "job.py")
    assert f"Found {total} findings (1 fixed, {total - 1} remaining)." in fixed.output, (
        checked.output,
        fixed.output,
    )
