"""What dasklint's tasks on a Dask cluster take and return: JSON text, nothing else.

A task's arguments (the shared settings and project index, and each batch of files) and
its return value are ``str``: the client never unpickles a dasklint object that a worker
made, and it checks the shape of every result before believing it (a worker may run
other code, or be hostile). Dask's own protocol still pickles around these strings; see
the README's trust section.

The findings use the cache's JSON encoding (:func:`dasklint.engine.run.encoding.encode_result`)
and the project index the cache's encoding of facts.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from dasklint.config.keys import KEYS
from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Applicability, Confidence, FileResult, Severity
from dasklint.engine.run.encoding import decode_facts, decode_result, encode_facts, encode_result
from dasklint.semantic.project import ProjectIndex

Files = Sequence[tuple[str, bytes, int]]  # display name, content, position of its settings


class MalformedResult(ValueError):
    """A task's result that is not what :func:`encode_results` writes."""


@dataclass(frozen=True)
class Shared:
    """What every task needs besides its files; sent to each worker once."""

    fingerprint: str  # of the client's dasklint code: a worker must run the same
    settings: tuple[FileSettings, ...]  # the distinct settings; a file names one by position
    index: ProjectIndex | None


# --- to the workers -----------------------------------------------------------------

_SETTINGS_FIELDS = frozenset(f.name for f in fields(FileSettings))


def encode_shared(
    fingerprint: str, settings: Sequence[FileSettings], index: ProjectIndex | None
) -> str:
    modules = None if index is None else [encode_facts(m) for m in index.modules.values()]
    data = {"fingerprint": fingerprint, "settings": [_encode_settings(s) for s in settings]}
    return json.dumps({**data, "index": modules})


def decode_shared(text: str) -> Shared:
    data = json.loads(text)
    index = None
    if data["index"] is not None:
        index = ProjectIndex()
        for encoded in data["index"]:
            index.add(decode_facts(encoded))
    settings = tuple(_decode_settings(s) for s in data["settings"])
    return Shared(str(data["fingerprint"]), settings, index)


def _encode_settings(settings: FileSettings) -> dict[str, Any]:
    if {*_SETTINGS_CODECS} != _SETTINGS_FIELDS:
        raise TypeError("FileSettings has fields the Dask runner does not know")
    return {name: encode(getattr(settings, name)) for name, (encode, _) in _SETTINGS_CODECS.items()}


def _decode_settings(data: dict[str, Any]) -> FileSettings:
    return FileSettings(
        **{name: decode(data[name]) for name, (_, decode) in _SETTINGS_CODECS.items()}
    )


def _codes(values: frozenset[str]) -> list[str]:
    return sorted(values)


def _same(value: Any) -> Any:
    return value


_SETTINGS_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "enabled": (_codes, frozenset),
    "severities": (
        lambda pairs: [[code, severity.value] for code, severity in pairs],
        lambda pairs: tuple((str(code), Severity(value)) for code, value in pairs),
    ),
    "options": (
        lambda rules: [[code, [list(option) for option in options]] for code, options in rules],
        lambda rules: tuple(
            (str(code), tuple((str(name), value) for name, value in options))
            for code, options in rules
        ),
    ),
    "is_test_file": (_same, bool),
    "held_for_tests": (_codes, frozenset),
    "unfixable": (_codes, frozenset),
    "promoted_fixes": (_codes, frozenset),
    "demoted_fixes": (_codes, frozenset),
    # The settings that travel as they are: as a configuration file spells them.
    **{key.field: (key.shown, key.read) for key in KEYS if key.travels},
}


def encode_payload(files: Files) -> str:
    """A batch of files; contents in base64 (they are bytes, in any encoding)."""
    return json.dumps(
        [
            [name, base64.b64encode(content).decode("ascii"), settings]
            for name, content, settings in files
        ]
    )


def decode_payload(text: str) -> list[tuple[str, bytes, int]]:
    return [
        (str(name), base64.b64decode(content), int(settings))
        for name, content, settings in json.loads(text)
    ]


# --- from the workers ---------------------------------------------------------------


def encode_results(results: Sequence[FileResult]) -> str:
    return json.dumps([{**encode_result(result), "error": result.error} for result in results])


def decode_results(returned: object, names: Sequence[str]) -> list[FileResult]:
    """A task's return value as the results of the files ``names``, in order, named by
    the client; :class:`MalformedResult` unless it has exactly the expected shape."""
    if not isinstance(returned, str):
        raise MalformedResult(f"expected JSON text, got {type(returned).__name__}")
    try:
        items = json.loads(returned)
    except ValueError as exc:  # json.JSONDecodeError, or a string too deeply nested
        raise MalformedResult(f"not JSON ({exc})") from None
    except RecursionError:
        raise MalformedResult("not JSON (nested too deeply)") from None
    if not isinstance(items, list) or len(items) != len(names):
        count = len(items) if isinstance(items, list) else 0
        raise MalformedResult(f"{count} results for {len(names)} file{'s' * (len(names) != 1)}")
    out = []
    for item, name in zip(items, names, strict=True):
        _check_item(item, name)
        result = decode_result(item, name)
        result.error = item["error"]
        out.append(result)
    return out


def _check_item(item: object, name: str) -> None:
    for number, diagnostic in enumerate(_check_keys(item, _ITEM, name)["diagnostics"], 1):
        _check_keys(diagnostic, _DIAGNOSTIC, f"{name}, diagnostic {number}")


def _check_keys(value: object, shape: Shape, where: str) -> dict[str, Any]:
    """``value`` when it is an object with exactly the keys of ``shape``, each valid."""
    if not isinstance(value, dict):
        raise MalformedResult(f"{where}: expected an object, got {type(value).__name__}")
    for key in value:
        if key not in shape:
            raise MalformedResult(f"{where}: unexpected key {key!r}")
    for key, (valid, kind) in shape.items():
        if key not in value:
            raise MalformedResult(f"{where}: `{key}` is missing")
        if not valid(value[key]):
            raise MalformedResult(f"{where}: `{key}` is {value[key]!r:.80}, expected {kind}")
    return value


def _is_int(value: object) -> bool:
    return type(value) is int  # not a bool


def _is_position(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value)


def _is_edit(value: object) -> bool:
    if not isinstance(value, list) or len(value) != 5:
        return False
    return isinstance(value[0], str) and all(_is_int(v) for v in value[1:])


def _is_fix(value: object) -> bool:
    if value is None:
        return True
    if not isinstance(value, list) or len(value) != 4:
        return False
    applicability, message, edits, caveat = value
    return (
        applicability in _APPLICABILITIES
        and isinstance(message, str)
        and isinstance(caveat, str)
        and isinstance(edits, list)
        and all(_is_edit(edit) for edit in edits)
    )


Shape = dict[str, tuple[Callable[[Any], bool], str]]  # key -> (check, what is expected)
_APPLICABILITIES = tuple(a.value for a in Applicability)
_SEVERITIES = tuple(s.value for s in Severity)
_CONFIDENCES = tuple(c.value for c in Confidence)
_STRING = (lambda v: isinstance(v, str), "a string")
_ITEM: Shape = {
    "skipped": (lambda v: isinstance(v, bool), "true or false"),
    "diagnostics": (lambda v: isinstance(v, list), "a list"),
    "error": (lambda v: v is None or isinstance(v, str), "a string or null"),
}
_DIAGNOSTIC: Shape = {
    "code": _STRING,
    "name": _STRING,
    "message": _STRING,
    "location": (_is_position, "[row, column]"),
    "end_location": (_is_position, "[row, column]"),
    "severity": (lambda v: v in _SEVERITIES, "a severity"),
    "confidence": (lambda v: v in _CONFIDENCES, "a confidence"),
    "noqa_row": (lambda v: v is None or _is_int(v), "a row or null"),
    "fixable": (lambda v: isinstance(v, bool), "true or false"),
    "fix": (_is_fix, "[applicability, message, edits, caveat] or null"),
    "cell": (lambda v: v is None or _is_int(v), "a cell number or null"),
    "help": (lambda v: v is None or isinstance(v, str), "a string or null"),
    "notes": (
        lambda v: isinstance(v, list) and all(isinstance(n, str) for n in v),
        "a list of strings",
    ),
}
