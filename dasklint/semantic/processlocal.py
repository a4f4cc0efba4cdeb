"""State a task function keeps in the process that runs it, which moving it to other
processes would change.

On the threaded scheduler every task runs in this process: they share one interpreter,
one hidden random generator, one copy of each module global and its open files. In worker
processes (the processes scheduler, a ``distributed`` cluster) each process has its own:

* **The global random state**: ``random.random()``, ``numpy.random.normal()`` and the
  other module-level functions of ``random`` and ``numpy.random`` draw from a generator
  hidden in the process. A task function defined in the script is pickled by value with
  what it refers to, so every task may start from a copy of the same state and return
  the same numbers (``from random import random`` is a method of that generator: with
  ``scheduler="processes", chunksize=1``, 100 Monte Carlo tasks returned one distinct
  count instead of about 80, ``tests/runtime/test_process_moves.py``); a module-level
  ``random.seed(0)`` runs again in every worker process, which then all draw the same
  sequence. A function that seeds the module's generator itself (``random.seed(seed)``)
  draws what its seed says, wherever it runs.
* **A generator bound at module level** (``rng = numpy.random.default_rng(0)``,
  ``random.Random()``): pickled with the task function, the same state in every task.
* **Module globals the task changes** (``global`` names, ``CACHE[key] = ...``,
  ``RESULTS.append(...)``): the change happens in a worker's copy and is lost.
* **A file opened at module level** and used by the task: a file object cannot be
  pickled, and each worker that imports the module opens its own.

Functions are followed through the project functions they call. Only what the facts show
is reported; a callable whose body is unknown keeps nothing here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from dasklint.semantic.effects import Mutation
from dasklint.semantic.facts import FunctionFacts, ModuleFacts
from dasklint.semantic.impurity import global_state_draw

Resolver = Callable[[str, str], "FunctionFacts | None"]
ModuleOf = Callable[[str], "ModuleFacts | None"]

# Constructors of random generators whose state lives in the object.
GENERATORS = frozenset(
    {
        "random.Random",
        "numpy.random.default_rng",
        "numpy.random.RandomState",
        "numpy.random.Generator",
    }
)
FILE_OPENERS = frozenset({"open", "io.open", "builtins.open", "gzip.open", "bz2.open", "lzma.open"})


class StateKind(enum.Enum):
    RANDOM = "random"
    GENERATOR = "generator"
    GLOBAL = "global"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class ProcessState:
    """One use of process-local state by a task function (or a function it calls)."""

    kind: StateKind
    function: str  # the function whose body uses it: "hits", "helpers.draw"
    spelled: str  # "random.random", "rng", "RESULTS.append(...)", "LOG"

    def describe(self) -> str:
        """What the function does, for a message: "`hits` draws from ... (`random.random`)"."""
        name = f"`{self.function}`"
        if self.kind is StateKind.RANDOM:
            return (
                f"{name} draws from the process's global random state (`{self.spelled}`), "
                "which every worker process copies or seeds alike, so tasks can return the "
                "same numbers"
            )
        if self.kind is StateKind.GENERATOR:
            return (
                f"{name} draws from `{self.spelled}`, a random generator created at module "
                "level, which is copied into every task, so tasks can return the same numbers"
            )
        if self.kind is StateKind.GLOBAL:
            return (
                f"{name} changes state outside the task (`{self.spelled}`): a worker "
                "process changes its own copy, and this process never sees the change"
            )
        return (
            f"{name} uses `{self.spelled}`, a file opened at module level, which cannot be "
            "sent to a worker process"
        )

    @property
    def random(self) -> bool:
        return self.kind in (StateKind.RANDOM, StateKind.GENERATOR)


SEED_ADVICE = (
    "seed each task first: pass it its own seed and draw from "
    "`numpy.random.default_rng(seed)` (or `random.Random(seed)`) created inside the task"
)


def process_state(
    facts: FunctionFacts, resolve: Resolver, module_of: ModuleOf
) -> ProcessState | None:
    """The first process-local state ``facts``' function (or a project function it
    calls) uses."""
    draw = global_state_draw(facts, resolve)
    if draw is not None:
        return ProcessState(StateKind.RANDOM, draw.via or facts.qualname, draw.callee)
    return _module_state(facts, resolve, module_of, set())


def _module_state(
    facts: FunctionFacts, resolve: Resolver, module_of: ModuleOf, seen: set[int]
) -> ProcessState | None:
    if id(facts) in seen:
        return None
    seen.add(id(facts))
    module = module_of(facts.module)
    if module is not None:
        found = _own_module_state(facts, module)
        if found is not None:
            return found
    for callee in facts.calls:
        if callee.startswith("."):
            continue
        inner = resolve(callee, facts.module)
        if inner is not None:
            found = _module_state(inner, resolve, module_of, seen)
            if found is not None:
                return found
    return None


def _own_module_state(facts: FunctionFacts, module: ModuleFacts) -> ProcessState | None:
    bound = dict(module.bound_calls)
    for name in sorted(facts.free_reads):
        callee = bound.get(name)
        if callee in GENERATORS:
            return ProcessState(StateKind.GENERATOR, facts.qualname, name)
        if callee in FILE_OPENERS:
            return ProcessState(StateKind.FILE, facts.qualname, name)
    change = global_change(facts, module.variables, locked=True)
    if change is not None:
        return ProcessState(StateKind.GLOBAL, facts.qualname, change[0].spelled)
    return None


def global_change(
    facts: FunctionFacts, variables: frozenset[str], *, locked: bool = False
) -> tuple[Mutation, str] | None:
    """The first change ``facts``' own body makes to state outside it: a ``global`` or
    ``nonlocal`` name assigned ("global"/"nonlocal"), or a module-level variable changed
    in place (""). ``locked``: count changes made under a lock too."""
    effects = facts.effects
    for mutation in effects.rebound_outer:
        if locked or not mutation.locked:
            return mutation, "nonlocal" if mutation.name in effects.nonlocal_names else "global"
    for mutation in effects.outer:
        if mutation.name in variables and (locked or not mutation.locked):
            return mutation, ""
    return None


def returns_built(facts: FunctionFacts, resolve: Resolver) -> str | None:
    """The function (``facts``' own, or the project function whose result it returns)
    that returns a list, set or dict it builds in its loops; None otherwise."""
    seen: set[int] = set()
    current: FunctionFacts | None = facts
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if current.returns_built:
            return current.qualname
        inner = [resolve(c, current.module) for c in current.returned_calls if c]
        current = next((f for f in inner if f is not None), None)
    return None


__all__ = [
    "FILE_OPENERS",
    "GENERATORS",
    "SEED_ADVICE",
    "ProcessState",
    "StateKind",
    "global_change",
    "process_state",
    "returns_built",
]
