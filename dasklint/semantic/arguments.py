"""Which parameter of a task function each argument of a task call lands in."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import libcst as cst

from dasklint.semantic.facts import FunctionFacts


class Slot(enum.Enum):
    PARAMETER = "parameter"
    VARARGS = "*args"
    KWARGS = "**kwargs"


@dataclass(frozen=True, slots=True)
class BoundArgument:
    arg: cst.Arg
    param: str
    slot: Slot


def bind_arguments(args: tuple[cst.Arg, ...], facts: FunctionFacts) -> list[BoundArgument] | None:
    """Python's argument binding, or None when it cannot be known (``*xs``/``**kw`` at the
    call, or a call that would not bind)."""
    out: list[BoundArgument] = []
    position = 0
    for arg in args:
        if arg.star:
            return None
        if arg.keyword is None:
            if position < len(facts.params):
                out.append(BoundArgument(arg, facts.params[position], Slot.PARAMETER))
            elif facts.vararg is not None:
                out.append(BoundArgument(arg, facts.vararg, Slot.VARARGS))
            else:
                return None
            position += 1
            continue
        name = arg.keyword.value
        if name in facts.params or name in facts.kwonly:
            out.append(BoundArgument(arg, name, Slot.PARAMETER))
        elif facts.kwarg is not None:
            out.append(BoundArgument(arg, facts.kwarg, Slot.KWARGS))
        else:
            return None
    return out


__all__ = ["BoundArgument", "Slot", "bind_arguments"]
