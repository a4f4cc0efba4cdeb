"""A number of items or tasks, and whether the source proves it.

:mod:`dasklint.semantic.sizes` finds the sizes of loops and maps; the model's call sites,
loops and task calls and the rules carry them, so the value sits below them all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Size:
    """A number of items (or tasks) and whether the source proves it."""

    value: int
    # False: from a parameter default or a literal the module passes (another caller
    # may pass another value)
    exact: bool = True

    def __mul__(self, other: Size) -> Size:
        return Size(self.value * other.value, self.exact and other.exact)


ONE = Size(1)


__all__ = ["ONE", "Size"]
