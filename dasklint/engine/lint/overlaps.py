"""One finding per problem: when a rule reports a place that a more specific rule also
reports, the more specific finding speaks and names the other in a note.

A ``scheduler="multiprocessing"`` value is at once the processes scheduler (DSK101) and a
legacy spelling (DSK105): two findings on one token read as two problems, and renaming
the alias is not what the code needs. A rule declares which rules it replaces at the same
source position (``Rule.supersedes``); findings of unrelated rules at one position stay
separate, and so do their fixes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from dasklint.rule import Report, Rule

Extra = TypeVar("Extra")


def winners(
    found: Sequence[tuple[Report, Extra]], position: Sequence[tuple[int, int]]
) -> list[tuple[Report, Extra, tuple[type[Rule], ...]]]:
    """The findings no other finding at the same position (``position[i]`` for the i-th)
    supersedes, in their order, each with the rules whose findings it replaced."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i, place in enumerate(position):
        groups.setdefault(place, []).append(i)
    replaced: dict[int, list[type[Rule]]] = {}
    dropped: set[int] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        rules_seen: set[str] = set()
        for i in members:  # one finding per rule and position
            code = found[i][0].rule.code
            if code in rules_seen:
                dropped.add(i)
            rules_seen.add(code)
        members = [i for i in members if i not in dropped]
        for i in members:
            rule = found[i][0].rule
            by = [j for j in members if j != i and rule.code in found[j][0].rule.supersedes]
            keepers = [j for j in by if not _superseded(found, members, j)]
            if keepers:
                dropped.add(i)
                replaced.setdefault(keepers[0], []).append(rule)
    return [
        (report, extra, tuple(dict.fromkeys(replaced.get(i, ()))))
        for i, (report, extra) in enumerate(found)
        if i not in dropped
    ]


def _superseded(found: Sequence[tuple[Report, object]], members: list[int], i: int) -> bool:
    code = found[i][0].rule.code
    return any(code in found[j][0].rule.supersedes for j in members if j != i)


def merged_notes(notes: tuple[str, ...], others: tuple[type[Rule], ...]) -> tuple[str, ...]:
    """``notes``, then one naming each other rule that reported the same place."""
    return notes + tuple(
        f"also {rule.code} ({rule.name}): {_lower_first(rule.summary)}" for rule in others
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text
