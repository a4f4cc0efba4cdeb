"""The integer literals a module passes to its own functions' parameters.

A loop ``for _ in range(n)`` over a parameter without a default has no size the function
shows, but a script often calls that function itself: ``estimate(10_000)``. The largest
literal the module passes is then a bound on the loop's size, as a parameter's default
is (another caller may pass another value). Only calls by the function's plain name are
read, and only when every such call passes an integer literal for the parameter.
"""

from __future__ import annotations

import libcst as cst

from dasklint.semantic.size import Size
from dasklint.semantic.tree import significant_nodes
from dasklint.semantic.values import literal_value


class CallSites:
    """Calls of the module's functions by plain name, found on the first question."""

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self._calls: dict[str, list[cst.Call]] | None = None

    def _by_name(self) -> dict[str, list[cst.Call]]:
        if self._calls is None:
            self._calls = {}
            for node in significant_nodes(self._module):
                # Exact type tests: libcst's node classes are ABCs, slow in ``isinstance``.
                if type(node) is cst.Call and type(node.func) is cst.Name:
                    self._calls.setdefault(node.func.value, []).append(node)
        return self._calls

    def bound(self, function: cst.CSTNode | None, parameter: str) -> Size | None:
        """The largest integer literal the module's calls of ``function`` pass for
        ``parameter`` (a bound, not exact), when every call passes one."""
        if not isinstance(function, cst.FunctionDef):
            return None
        params = function.params
        positional = [p.name.value for p in (*params.posonly_params, *params.params)]
        keyword_only = {p.name.value for p in params.kwonly_params}
        if parameter not in positional and parameter not in keyword_only:
            return None
        calls = self._by_name().get(function.name.value, [])
        values: list[int] = []
        for call in calls:
            value = _passed(call, parameter, positional)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                return None
            values.append(value)
        return Size(max(values), exact=False) if values else None


def _passed(call: cst.Call, parameter: str, positional: list[str]) -> object:
    """The literal value ``call`` passes for ``parameter``, or None."""
    index = 0
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is not None:
            if arg.keyword.value == parameter:
                return literal_value(arg.value)
            continue
        if index < len(positional) and positional[index] == parameter:
            return literal_value(arg.value)
        index += 1
    return None


__all__ = ["CallSites"]
