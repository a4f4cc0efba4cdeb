"""The values every layer passes around: severities, locations, diagnostics, file results."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    """How serious a finding is; maps onto LSP, SARIF and GitHub levels."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            allowed = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {allowed})") from None

    def at_least(self, threshold: Severity) -> bool:
        """``error`` is at least ``warning``, which is at least ``info``."""
        return _SEVERITY_RANK[self] >= _SEVERITY_RANK[threshold]


_SEVERITY_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


class Confidence(str, enum.Enum):
    """How sure a finding is that the problem is real (CodeQL's ``@precision``, Semgrep's
    ``confidence``, given per finding): ``high`` when the source proves the value is a Dask
    collection or the scheduler is the one named, ``medium`` when it is only likely (a
    ``.compute()`` on a receiver of unknown type in a module that uses Dask), ``low`` for
    a pattern worth a look."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return _CONFIDENCE_RANK[self]

    @classmethod
    def parse(cls, text: str) -> Confidence:
        try:
            return cls(text.lower())
        except ValueError:
            allowed = ", ".join(c.value for c in cls)
            raise ValueError(f"unknown confidence {text!r} (expected one of: {allowed})") from None


_CONFIDENCE_RANK = {Confidence.HIGH: 2, Confidence.MEDIUM: 1, Confidence.LOW: 0}


class FixAvailability(str, enum.Enum):
    """Whether a rule can offer a fix (ruff's vocabulary)."""

    ALWAYS = "Always"
    SOMETIMES = "Sometimes"
    NONE = "None"


class Applicability(str, enum.Enum):
    """When a fix is applied (ruff's levels)."""

    SAFE = "safe"  # by `--fix`
    UNSAFE = "unsafe"  # only with `--unsafe-fixes`
    DISPLAY_ONLY = "display-only"  # shown, never applied


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A 1-based row and a 1-based column counted in Unicode code points."""

    row: int
    column: int


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the text from ``location`` up to (not including) ``end_location``.

    Rows and columns are 1-based, columns in Unicode code points, as in diagnostics. An
    insertion has ``location == end_location``; a deletion has empty ``content``.
    """

    content: str
    location: Location
    end_location: Location


@dataclass(frozen=True, slots=True)
class DiagnosticFix:
    """A fix as output formats and editors see it: text edits against the linted source."""

    applicability: Applicability
    message: str
    edits: tuple[TextEdit, ...] = ()
    # What an unsafe fix may change, beyond its title ("" for a safe fix).
    caveat: str = ""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding in one file, ready for any output format."""

    code: str
    name: str
    message: str
    filename: str
    location: Location
    end_location: Location
    severity: Severity
    noqa_row: int | None = None
    fixable: bool = False  # the fix is applied by this run's `--fix` (unsafe ones included
    # only with `--unsafe-fixes`)
    fix: DiagnosticFix | None = None
    # In a notebook: the 1-based cell number (every cell counts, as editors number them);
    # ``location``, ``end_location``, ``noqa_row`` and the fix's edits are then rows
    # within that cell.
    cell: int | None = None
    confidence: Confidence = Confidence.HIGH
    # ``message`` names the problem in one short line; ``help`` is the suggested change
    # and ``notes`` the explanation, the measured numbers and the citation (ruff's split).
    help: str | None = None
    notes: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.filename, self.cell or 0, self.location.row, self.location.column, self.code)

    def detail_lines(self) -> list[str]:
        """The ``help:`` and ``note:`` lines that follow the message in long formats."""
        lines = [f"help: {self.help}"] if self.help else []
        return lines + [f"note: {note}" for note in self.notes]

    @property
    def text(self) -> str:
        """The message, then its ``help:`` and ``note:`` lines (for formats with room)."""
        return "\n".join([self.message, *self.detail_lines()])

    @property
    def place(self) -> str:
        """``row:column``, or ``cell N:row:column`` in a notebook (ruff's notation)."""
        where = f"{self.location.row}:{self.location.column}"
        return where if self.cell is None else f"cell {self.cell}:{where}"


@dataclass(slots=True)
class FileResult:
    """All diagnostics of one file (or one stdin buffer)."""

    filename: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: bool = False  # the pre-filter showed the file cannot involve Dask
    error: str | None = None  # linting failed unexpectedly; reported, exit status 2
    # A hash of the bytes that were linted (set by whoever read them): the cache stores
    # the findings under it, never under what an earlier read of the file saw.
    source_hash: str | None = field(default=None, compare=False, repr=False)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def apply_text_edits(text: str, edits: tuple[TextEdit, ...]) -> str:
    """``text`` with ``edits`` applied (edits as a fix carries them: 1-based rows and
    code point columns, end exclusive, not overlapping)."""
    starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]

    def offset(where: Location) -> int:
        if where.row - 1 >= len(starts):
            return len(text)
        return starts[where.row - 1] + where.column - 1

    for edit in sorted(edits, key=lambda e: (e.location, e.end_location), reverse=True):
        text = text[: offset(edit.location)] + edit.content + text[offset(edit.end_location) :]
    return text
