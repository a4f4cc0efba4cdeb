"""Keyword dicts that reach a compute call through a parameter.

Library code often builds the compute keywords in one method and unpacks them in another
it calls: ``kw = {"scheduler": scheduler}`` then ``self._one_frame(x, kw=kw)``, whose body
runs ``bag.compute(**kw)``. The parameter has no value where the compute call is, but the
module's own calls of that function pass one. This module records, during the traversal
and in the caller's scope, the keyword dicts that calls pass (only dicts holding a setting
the compute sites read), and answers, once the module is traversed, what a function's
parameter receives. Calls are matched by the function's name (``f(...)`` or
``<obj>.f(...)``), as :mod:`dasklint.semantic.callsites` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from dasklint.semantic.values import Constant

if TYPE_CHECKING:
    from dasklint.semantic.queries import ModelQueries

# The settings a compute call reads from its keywords, that a passed dict may hold.
PASSED_KEYS = ("scheduler", "chunksize")


@dataclass(frozen=True, slots=True)
class PassedEntry:
    """One setting of a dict a call passes: its value's constant (in the caller's scope),
    or the literal choices of a loop variable."""

    constant: Constant | None
    choices: tuple[object, ...]


@dataclass(frozen=True, slots=True)
class _Passed:
    via_attribute: bool  # ``obj.f(...)``: the first parameter is ``self``
    slot: str | int  # the keyword, or the position among the positional arguments
    entries: dict[str, PassedEntry]


class PassedKeywordDicts:
    """The setting dicts each function name receives from the module's calls."""

    def __init__(self) -> None:
        self._passed: dict[str, list[_Passed]] = {}

    def record(self, model: ModelQueries, call: cst.Call) -> None:
        """Note the setting dicts ``call`` passes (visited in the caller's scope)."""
        func = call.func
        if isinstance(func, cst.Name):
            name, via_attribute = func.value, False
        elif isinstance(func, cst.Attribute):
            name, via_attribute = func.attr.value, True
        else:
            return
        position = 0
        for arg in call.args:
            if arg.star:
                return  # the slots after ``*args`` are unknown
            slot: str | int
            if arg.keyword is not None:
                slot = arg.keyword.value
            else:
                slot, position = position, position + 1
            if not isinstance(arg.value, (cst.Name, cst.Dict, cst.Call)):
                continue
            found = model.keyword_dict(arg.value)
            if not found or not any(key in found for key in PASSED_KEYS):
                continue
            entries = {
                key: PassedEntry(constant, model.choices(value) if constant is None else ())
                for key, (value, constant) in found.items()
                if key in PASSED_KEYS
            }
            self._passed.setdefault(name, []).append(_Passed(via_attribute, slot, entries))

    def received(self, function: cst.FunctionDef, parameter: str) -> dict[str, PassedEntry]:
        """The settings the module's calls of ``function`` pass for ``parameter``: per key,
        the constant every call agrees on, or the literals they pass as choices. Empty when
        no call passes a setting dict there, or when a call passes one without a value the
        source shows."""
        params = [p.name.value for p in (*function.params.posonly_params, *function.params.params)]
        keyword_only = {p.name.value for p in function.params.kwonly_params}
        if parameter not in params and parameter not in keyword_only:
            return {}
        calls = [
            passed
            for passed in self._passed.get(function.name.value, [])
            if passed.slot == parameter or _position(params, passed) == parameter
        ]
        merged: dict[str, PassedEntry] = {}
        for key in PASSED_KEYS:
            values: list[object] = []
            for passed in calls:
                entry = passed.entries.get(key)
                if entry is None:
                    continue
                if entry.constant is not None:
                    values.append(entry.constant.value)
                elif entry.choices:
                    values.extend(entry.choices)
                else:
                    return {}  # a caller passes a value nobody knows
            distinct = list(dict.fromkeys(values))
            written = [
                entry.constant
                for entry in (p.entries.get(key) for p in calls)
                if entry is not None and entry.constant is not None
            ]
            if len(distinct) == 1 and written:
                merged[key] = PassedEntry(Constant(distinct[0], written[0].node, via_name=True), ())
            elif distinct:
                merged[key] = PassedEntry(None, tuple(distinct))
        return merged


def _position(params: list[str], passed: _Passed) -> str | None:
    """The parameter a positional argument binds (after ``self`` for ``obj.f(...)``)."""
    if not isinstance(passed.slot, int):
        return None
    index = passed.slot + (1 if passed.via_attribute and params[:1] == ["self"] else 0)
    return params[index] if index < len(params) else None


__all__ = ["PASSED_KEYS", "PassedEntry", "PassedKeywordDicts"]
