"""Results and module facts as JSON: the cache's entries and the cluster runner's wire
format (:mod:`dasklint.engine.run.dask_wire`).

Everything is plain JSON (never pickle), and decoding checks every value's type: an
entry of another shape or type is refused (a cache miss, a malformed task result),
never a finding.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

from dasklint.diagnostics import (
    Applicability,
    Confidence,
    Diagnostic,
    DiagnosticFix,
    FileResult,
    Location,
    Severity,
    TextEdit,
)

# --- facts as JSON ------------------------------------------------------------------
# Tagged so that the decoder needs no schema: {"t": [...]} a tuple, {"s": [...]} a
# frozenset, {"c": name, "v": [...]} a dataclass of dasklint.semantic.facts (by field
# order; a change to those classes changes the code key and so the cache directory).


@functools.cache
def _fact_classes() -> dict[str, Any]:
    from dasklint.semantic import facts as facts_module  # only to encode or decode facts

    return {
        name: value
        for name, value in vars(facts_module).items()
        if isinstance(value, type) and dataclasses.is_dataclass(value)
    }


def encode_facts(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {"t": [encode_facts(v) for v in value]}
    if isinstance(value, frozenset):
        return {"s": sorted((encode_facts(v) for v in value), key=repr)}
    if dataclasses.is_dataclass(value) and type(value).__name__ in _fact_classes():
        names = [f.name for f in dataclasses.fields(value)]
        return {"c": type(value).__name__, "v": [encode_facts(getattr(value, n)) for n in names]}
    raise TypeError(f"cannot store {type(value).__name__} in the cache")


def decode_facts(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return tuple(decode_facts(v) for v in value["t"])
        if "s" in value:
            return frozenset(decode_facts(v) for v in value["s"])
        return _fact_classes()[value["c"]](*(decode_facts(v) for v in value["v"]))
    if isinstance(value, list):
        raise ValueError("a list in stored facts")
    return value


# --- findings as JSON ---------------------------------------------------------------


_RESULT_FIELDS = frozenset({"filename", "diagnostics", "skipped", "error", "source_hash"})


def encode_result(result: FileResult) -> dict[str, Any]:
    """A file's findings as JSON (without the file name, which the reader supplies).
    Raises TypeError for anything this encoder does not know how to store exactly."""
    if {f.name for f in dataclasses.fields(result)} != _RESULT_FIELDS:
        raise TypeError("FileResult has fields the cache does not know")
    return {"skipped": result.skipped, "diagnostics": [_encode(d) for d in result.diagnostics]}


def _encode(diagnostic: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(diagnostic):
        value = getattr(diagnostic, f.name)
        if f.name == "filename":
            continue
        if isinstance(value, Location):
            out[f.name] = [value.row, value.column]
        elif isinstance(value, (Severity, Confidence)):
            out[f.name] = value.value
        elif isinstance(value, DiagnosticFix):
            out[f.name] = [
                value.applicability.value,
                value.message,
                [_encode_edit(edit) for edit in value.edits],
                value.caveat,
            ]
        elif value is None or type(value) in (bool, int, str):
            out[f.name] = value
        elif type(value) is tuple and all(type(item) is str for item in value):
            out[f.name] = list(value)
        else:
            raise TypeError(f"cannot store {type(value).__name__} in the cache")
    return out


def _encode_edit(edit: TextEdit) -> list[Any]:
    start, end = edit.location, edit.end_location
    return [edit.content, start.row, start.column, end.row, end.column]


# Decoding checks every value's type (JSON has no schema; ``bool`` is an ``int`` in
# Python): a stored entry of another shape is a cache miss, never a finding.


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return value


def _optional_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(_text(item) for item in _list(value))


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError(f"expected true or false, got {type(value).__name__}")
    return value


def _list(value: Any, length: int | None = None) -> list[Any]:
    if type(value) is not list or (length is not None and len(value) != length):
        raise TypeError("expected a list" + (f" of {length}" if length is not None else ""))
    return value


def _location(value: Any) -> Location:
    row, column = _list(value, 2)
    return Location(_int(row), _int(column))


def _fix(value: Any) -> DiagnosticFix | None:
    if value is None:
        return None
    applicability, message, edits, caveat = _list(value, 4)
    return DiagnosticFix(
        Applicability(_text(applicability)),
        _text(message),
        tuple(_edit(edit) for edit in _list(edits)),
        _text(caveat),
    )


def _edit(value: Any) -> TextEdit:
    content, *bounds = _list(value, 5)
    return TextEdit(_text(content), _location(bounds[0:2]), _location(bounds[2:4]))


# Per annotation of a Diagnostic field, how a stored value is read; a field this does
# not know makes every entry a miss (and the cache tests fail), never a wrong finding.
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "str": _text,
    "Location": _location,
    "Severity": lambda value: Severity(_text(value)),
    "Confidence": lambda value: Confidence(_text(value)),
    "int | None": _optional_int,
    "str | None": _optional_text,
    "tuple[str, ...]": _texts,
    "bool": _flag,
    "DiagnosticFix | None": _fix,
}
_STORED_FIELDS = {
    f.name: str(f.type) for f in dataclasses.fields(Diagnostic) if f.name != "filename"
}


def decode_result(data: Any, filename: str) -> FileResult:
    """The :class:`FileResult` stored by :func:`encode_result`; TypeError or ValueError
    for anything of another shape or type."""
    if not (isinstance(data, dict) and {"skipped", "diagnostics"} <= set(data)):
        raise TypeError("not a stored result")  # (a Dask task adds its "error")
    diagnostics = []
    for item in _list(data["diagnostics"]):
        if not (isinstance(item, dict) and set(item) == set(_STORED_FIELDS)):
            raise TypeError("not a stored diagnostic")
        fields = {name: _DECODERS[kind](item[name]) for name, kind in _STORED_FIELDS.items()}
        diagnostics.append(Diagnostic(filename=filename, **fields))
    return FileResult(filename, diagnostics, skipped=_flag(data["skipped"]))
