"""Failures inside dasklint while it checks a file, reported as DSK003 internal-error.

A rule that raises is left out (its findings with it) and the other rules go on; the
semantic model or the engine raising leaves nothing to trust, so the file gets the DSK003
alone. Either way the message names what failed, which a bug report needs, and the
failure is never mistaken for a property of the code (such as a syntax error).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from dasklint.rule import Rule

_REPORT = "This is a bug in dasklint: please report it with this file."


@dataclass(frozen=True, slots=True)
class Failure:
    """What failed, the exception, and what it cost the file's results."""

    culprit: str
    error: BaseException
    consequence: str

    @property
    def message(self) -> str:
        return (
            f"Internal error in {self.culprit}: {describe(self.error)}. "
            f"{self.consequence} {_REPORT}"
        )


def rule_failure(rule: type[Rule], error: BaseException) -> Failure:
    return Failure(
        f"{rule.code} ({rule.name})", error, "Its findings are left out; the other rules ran."
    )


def analysis_failure(error: BaseException) -> Failure:
    """The semantic model or the engine failed: named after the innermost frame of
    dasklint's own code in the traceback."""
    where = innermost_frame(error)
    semantic = where is not None and where[0].startswith("dasklint.semantic")
    part = "the semantic model" if semantic else "the engine"
    culprit = f"{part} ({where[0]}, in {where[1]})" if where else part
    return Failure(culprit, error, "No rule could check this file.")


def describe(error: BaseException) -> str:
    """``Type: message`` on one line."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def innermost_frame(error: BaseException) -> tuple[str, str] | None:
    """``(module, function)`` of the innermost frame in dasklint's package."""
    found = None
    for frame, _ in traceback.walk_tb(error.__traceback__):
        module = frame.f_globals.get("__name__", "")
        if isinstance(module, str) and module.split(".", 1)[0] == "dasklint":
            found = (module, frame.f_code.co_name)
    return found
