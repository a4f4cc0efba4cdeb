"""Every identifier written in a module, for fixes that introduce a new name.

A fix that binds a name (``cluster``, ``data_d``) must pick one the module does not
already spell anywhere: as a variable, an attribute, a keyword or a parameter. The set is
read on the first question and kept for the module, so every rule asks the same one.
"""

from __future__ import annotations

import libcst as cst

from dasklint.semantic.tree import walk_subtree


class WrittenNames:
    """The values of all ``Name`` nodes of a module, read on first use."""

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self._names: frozenset[str] | None = None

    def __contains__(self, name: object) -> bool:
        if self._names is None:
            # Exact type test: libcst's node classes are ABCs, slow in ``isinstance``.
            self._names = frozenset(
                n.value for n in walk_subtree(self._module) if type(n) is cst.Name
            )
        return name in self._names


__all__ = ["WrittenNames"]
