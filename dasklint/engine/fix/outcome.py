"""What fixing one file did: the fix loop's answer, whether the file is a module or a
notebook's cells."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from dasklint.diagnostics import FileResult


@dataclass
class FixOutcome:
    """What fixing one buffer did."""

    original: bytes
    source: bytes  # the fixed bytes; equal to ``original`` when nothing was fixed
    result: FileResult  # the diagnostics left in ``source``
    # rule code -> findings the fixes resolved (``changed`` also tells a partial fix)
    fixed: Counter[str] = field(default_factory=Counter)
    dropped: list[str] = field(default_factory=list)  # fixes whose result did not parse
    converged: bool = True

    @property
    def changed(self) -> bool:
        return self.source != self.original
