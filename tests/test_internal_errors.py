"""A failure inside dasklint is a DSK003 internal-error diagnostic naming the rule or the
analysis that failed, never a syntax error; the other rules' findings and fixes stay.

Valid code must not trigger DSK003, so these tests make a rule or the semantic model
raise with ``monkeypatch``. The one real case is the task-count analysis that followed a
name bound to a comprehension over that same name without end.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import LEGACY, findings, run, write

from dasklint import registry
from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Diagnostic
from dasklint.engine.fix.loop import fix_source
from dasklint.engine.lint.linter import lint_source
from dasklint.rules.lifecycle.missing_main_guard import MissingMainGuard
from dasklint.rules.schedulers.legacy_scheduler_spelling import LegacySchedulerSpelling
from dasklint.semantic import loops
from dasklint.semantic.project import ProjectIndex

ALL = frozenset(rule.code for rule in registry.all_rules())

# A name rebound to a comprehension over itself, then looped over: the task-count
# analysis followed `xs` back to its own comprehension forever.
REBOUND = """\
import dask

xs = [1, 2, 3]
xs = [x for x in xs]
for x in xs:
    dask.delayed(len)(x).compute(scheduler="multiprocessing")
"""


def lint(source: str, settings: FileSettings | None = None) -> list[Diagnostic]:
    result = lint_source(source.encode(), "job.py", settings or FileSettings(ALL), ProjectIndex())
    assert result.error is None
    return result.diagnostics


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return sorted(d.code for d in diagnostics)


def boom(*args: object, **kwargs: object) -> None:
    raise ValueError("boom")


def test_name_rebound_to_a_comprehension_over_itself_is_linted() -> None:
    found = lint(REBOUND)
    assert "DSK001" not in codes(found) and "DSK003" not in codes(found)
    # DSK101 speaks for DSK105 on the alias (one finding per problem).
    assert {"DSK101", "DSK108"} <= set(codes(found))
    assert any("also DSK105" in note for d in found if d.code == "DSK101" for note in d.notes)


def test_rebound_name_in_a_computed_comprehension_is_linted() -> None:
    """The same cycle through the count of tasks passed to `dask.compute`."""
    source = (
        "import dask\n\nxs = [1, 2]\nxs = [dask.delayed(len)(x) for x in xs]\n"
        'dask.compute(*xs, scheduler="processes")\n'
    )
    assert codes(lint(source)) == ["DSK101"]


def test_failing_finish_keeps_the_other_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LegacySchedulerSpelling, "finish", boom)
    found = lint(LEGACY)
    assert codes(found) == ["DSK003", "DSK101"]
    (internal,) = [d for d in found if d.code == "DSK003"]
    assert internal.message == (
        "Internal error in DSK105 (legacy-scheduler-spelling): ValueError: boom. Its "
        "findings are left out; the other rules ran. This is a bug in dasklint: please "
        "report it with this file."
    )
    assert (internal.location.row, internal.location.column) == (1, 1)
    assert internal.severity.value == "error"


def test_failing_visit_hook_keeps_the_other_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule that fails during the traversal stops receiving nodes; the traversal goes
    on for the semantic model and the other rules."""
    monkeypatch.setattr(MissingMainGuard, "visit_Call", boom)
    found = lint(LEGACY)
    assert codes(found) == ["DSK003", "DSK101", "DSK105"]
    assert "Internal error in DSK201 (missing-main-guard): ValueError: boom." in str(
        [d.message for d in found]
    )


def test_failing_semantic_model_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule reads the semantic model: when it fails, nothing else can be trusted."""
    monkeypatch.setattr(loops, "iterable_size", boom)
    found = lint(REBOUND)
    assert codes(found) == ["DSK003"]
    assert found[0].message == (
        "Internal error in the semantic model (dasklint.semantic.loops, in loop_size): "
        "ValueError: boom. No rule could check this file. This is a bug in dasklint: please "
        "report it with this file."
    )


def test_recursion_in_a_rule_is_not_a_syntax_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def too_deep(self: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(LegacySchedulerSpelling, "finish", too_deep)
    found = lint(LEGACY)
    assert codes(found) == ["DSK003", "DSK101"]
    (internal,) = [d for d in found if d.code == "DSK003"]
    assert "RecursionError: maximum recursion depth exceeded" in internal.message


def test_fix_applies_the_other_rules_fixes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LegacySchedulerSpelling, "finish", boom)
    outcome = fix_source(LEGACY.encode(), "job.py", FileSettings(ALL), ProjectIndex())
    assert outcome.result.error is None
    assert outcome.changed and not outcome.fixed  # DSK101's partial safe fix: it stays
    assert b"chunksize=1" in outcome.source
    assert "DSK003" in codes(outcome.result.diagnostics)


def test_command_line_reports_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(LegacySchedulerSpelling, "finish", boom)
    write(tmp_path, {"job.py": LEGACY})
    for extra in ((), ("--fix",), ("--select", "DSK105")):
        result = run("check", "--isolated", "--no-cache", *extra, "job.py")
        assert result.exit_code == 1, result.stdout
        assert ("job.py", 1, 1, "DSK003") in findings(result)
        assert "Traceback" not in result.stdout + result.stderr


SELF_REFERENCE = """\
import dask.array as da

parts = {k: parts[k] for k in range(3)}
for k in parts:
    parts[k].compute()
"""


def test_a_container_built_from_itself_is_linted(monkeypatch: pytest.MonkeyPatch) -> None:
    """`parts = {k: parts[k] ...}`: the receiver inference follows the container's values
    into themselves; it is bounded (`_MAX_RECEIVER_DEPTH`). Without the bound, the same
    source ends in an internal error (found in distributed/client.py and worker.py)."""
    from dasklint.semantic import model

    assert "DSK003" not in codes(lint(SELF_REFERENCE))
    monkeypatch.setattr(model, "_MAX_RECEIVER_DEPTH", 10**9)
    assert "DSK003" in codes(lint(SELF_REFERENCE))
