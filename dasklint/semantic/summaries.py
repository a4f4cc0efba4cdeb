"""Function summaries: what a task function costs, judged bottom-up through its callees.

A summary combines a function's raw facts (:mod:`dasklint.semantic.facts`) with the
summaries of the functions it calls in the same module or elsewhere in the project
index. Recursion and callees that cannot be resolved are handled conservatively: an
unknown callee may do anything, so it makes a function neither trivial nor GIL-bound.
"""

from __future__ import annotations

from dataclasses import dataclass

from dasklint.semantic.facts import FunctionFacts, ModuleFacts
from dasklint.semantic.gil import (
    GIL_RELEASING,
    NUMPY_ONE_PASS,
    PYTHON_LEVEL,
    PYTHON_METHODS,
    TRIVIAL_CALLS,
    global_numpy_draw,
    matches,
)
from dasklint.semantic.project import ProjectIndex

NUMBA_JITS = frozenset(
    {"numba.jit", "numba.njit", "numba.core.decorators.jit", "numba.core.decorators.njit"}
)
_MAX_TRIVIAL_STATEMENTS = 3


@dataclass(frozen=True, slots=True)
class NumbaJit:
    """A ``@numba.jit``/``@numba.njit`` decorator and whether it releases the GIL."""

    nogil: bool
    object_mode: bool  # ``forceobj=True`` / ``nopython=False``: nogil is not possible


@dataclass(frozen=True, slots=True)
class Summary:
    """What running a function does, through everything it calls."""

    python_loops: bool  # interpreted loops, comprehensions or recursion
    releases_gil: bool  # calls into the GIL-releasing table (or a nogil jit)
    unknown_calls: bool  # calls whose cost cannot be known
    trivial: bool  # a few statements of arithmetic/attribute access, nothing else
    computes: bool  # runs a Dask computation inside the task
    numba: NumbaJit | None = None
    global_random: bool = False  # draws from NumPy's global generator (one lock for all)
    # A GIL-releasing call other than such a draw and the one-pass NumPy functions: work
    # that threads can overlap.
    other_release: bool = False

    @property
    def gil_bound(self) -> bool:
        """Python-level loops and nothing that could release the GIL."""
        return (
            self.python_loops
            and not self.releases_gil
            and not self.unknown_calls
            and self.numba is None
        )

    @property
    def locked_random(self) -> bool:
        """Its native work is drawing from NumPy's global generator (plus one-pass NumPy
        functions over the draws): the generator's lock lets one thread draw at a time."""
        return (
            self.global_random
            and not self.other_release
            and not self.unknown_calls
            and self.numba is None
        )


_IN_PROGRESS = Summary(False, False, False, False, False)


class Summarizer:
    """Summaries of the functions of one module and the project, memoised."""

    def __init__(
        self, index: ProjectIndex, current: ModuleFacts | None, gil_releasing: tuple[str, ...]
    ) -> None:
        self.index = index
        self.current = current
        self.gil_releasing = gil_releasing
        self._memo: dict[tuple[str, str, int], Summary] = {}

    def summary(self, facts: FunctionFacts) -> Summary:
        key = (facts.module, facts.qualname, id(facts))
        found = self._memo.get(key)
        if found is not None:
            return found
        self._memo[key] = _IN_PROGRESS  # recursion through other functions stops here
        result = self._summarise(facts)
        self._memo[key] = result
        return result

    def module(self, name: str) -> ModuleFacts | None:
        """The facts of module ``name``: the one being linted, or one of the project."""
        return self._module(name)

    def _module(self, name: str) -> ModuleFacts | None:
        if self.current is not None and self.current.name == name:
            return self.current
        return self.index.modules.get(name)

    def resolve(self, callee: str, module: str) -> FunctionFacts | None:
        """A callee name as recorded in the facts, resolved to a project function."""
        if "." not in callee:
            found = self._module(module)
            return found.function(callee) if found is not None else None
        return self.index.lookup(callee)

    def _summarise(self, facts: FunctionFacts) -> Summary:
        jit = numba_jit(facts)
        if jit is not None:
            return Summary(False, jit.nogil, False, False, False, jit)
        loops = facts.loops > 0 or facts.recursive
        releases = unknown = other = False
        drawn = facts.sized_global_draws
        trivial = (
            not loops
            and facts.simple_statements
            and facts.statements <= _MAX_TRIVIAL_STATEMENTS
            and not facts.is_async
        )
        computes = facts.computes
        for callee in facts.calls:
            if callee.startswith("."):
                trivial = False
                if callee[1:] not in PYTHON_METHODS:
                    unknown = True
                continue
            local = self.resolve(callee, facts.module)
            if local is not None and local is not facts:
                inner = self.summary(local)
                loops = loops or inner.python_loops
                releases = releases or inner.releases_gil
                unknown = unknown or inner.unknown_calls
                computes = computes or inner.computes
                drawn = drawn or inner.global_random
                other = other or inner.other_release or inner.numba is not None
                trivial = trivial and inner.trivial
                if inner.numba is not None and not inner.numba.nogil:
                    unknown = True  # jitted callee: compiled, but holds the GIL
                continue
            if local is facts:
                loops = True
                trivial = False
            elif matches(callee, self.gil_releasing):
                releases = True
                trivial = False
                if not global_numpy_draw(callee) and not matches(callee, NUMPY_ONE_PASS):
                    other = True
            elif matches(callee, PYTHON_LEVEL):
                trivial = trivial and matches(callee, TRIVIAL_CALLS)
            else:
                unknown = True
                trivial = False
        return Summary(
            loops, releases, unknown, trivial, computes, global_random=drawn, other_release=other
        )


def numba_jit(facts: FunctionFacts) -> NumbaJit | None:
    for decorator in facts.decorators:
        if decorator.name in NUMBA_JITS:
            object_mode = (
                decorator.keyword("forceobj") is True or decorator.keyword("nopython") is False
            )
            return NumbaJit(decorator.keyword("nogil") is True, object_mode)
    return None


def default_table(extra: list[str] | tuple[str, ...] = ()) -> tuple[str, ...]:
    return (*GIL_RELEASING, *extra)


__all__ = ["NumbaJit", "Summarizer", "Summary", "default_table", "numba_jit"]
