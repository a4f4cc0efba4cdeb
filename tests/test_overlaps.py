"""One finding per problem: a rule that supersedes another at the same position speaks
for both (dasklint.engine.lint.overlaps)."""

from __future__ import annotations

from pathlib import Path

from dasklint.config.settings import Selection, Settings
from dasklint.engine.lint.linter import lint_source


def _lint(source: str) -> list[tuple[int, int, str, str]]:
    settings = Settings(root=Path("/nonexistent"), layers=(Selection(select=("ALL",)),))
    result = lint_source(source.encode(), "job.py", settings.for_file(Path("/nonexistent/job.py")))
    assert result.error is None
    return [(d.location.row, d.location.column, d.code, d.text) for d in result.diagnostics]


ALIAS = """\
import dask

total = dask.delayed(sum)([1, 2])
total.compute(scheduler="multiprocessing"){noqa}
"""


def test_alias_of_processes_is_one_finding_naming_the_other_rule() -> None:
    found = _lint(ALIAS.format(noqa=""))
    at_value = [f for f in found if f[:2] == (4, 25)]
    assert [f[2] for f in at_value] == ["DSK101"]
    assert (
        "note: also DSK105 (legacy-scheduler-spelling): scheduler named by a legacy alias"
        in at_value[0][3]
    )


def test_a_suppressed_winner_leaves_the_other_finding() -> None:
    found = _lint(ALIAS.format(noqa="  # noqa: DSK101"))
    assert [f[2] for f in found if f[:2] == (4, 25)] == ["DSK105"]
    assert "also DSK" not in next(f[3] for f in found if f[2] == "DSK105")


def test_unrelated_rules_at_one_position_both_report() -> None:
    source = """\
import dask

jobs = [dask.delayed(sum)([i, 1]) for i in range(8)]
dask.compute(*jobs, scheduler="processes", chunksize=-1)
"""
    codes = {f[2] for f in _lint(source)}
    assert {"DSK101", "DSK103"} <= codes
