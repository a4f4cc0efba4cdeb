"""Callables whose result is not a function of their arguments: random numbers and clocks.

A ``pure=True`` call gets a key hashed from the function and its arguments
(``dask.base.tokenize``), so two calls with equal arguments are one task and share one
value. The ``dask.delayed`` docstring keeps ``pure=False`` for "non-pure functions (such
as ``time`` or ``random``)"; ``Client.submit`` is pure by default (``client.rst``).

Two families, with different reach:

* **Random sources** (``random``, ``numpy.random``, ``secrets``, ``os.urandom``,
  ``uuid.uuid1``/``uuid4``): a task is impure when it is one of them, or when its body or
  the body of a project function it calls draws from one. A function that seeds the
  module's generator (``random.seed``, ``numpy.random.seed``) draws the same numbers on
  every call: that module does not make it impure. Nor does a draw that only decides how
  long to wait (``time.sleep(random.random())``, the tutorials' stand-in for real work):
  the result is the same.
* **Clocks** (``time.time``, ``datetime.datetime.now``, ...): a task is impure when it is
  the clock, or when the clock is read in what it returns (a lambda's body, a ``return``
  expression of a function in the module). Reading the clock to time or log a computation
  does not change the value it returns.

Not impure here: readers of files or of the network (``pure=True`` is how one load is
shared between the tasks that need it), generator objects (``rng.normal`` with
``rng = numpy.random.default_rng(0)``, seeded or not: their state is not visible), and the
constructors of generators.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import libcst as cst

from dasklint.semantic.facts import FunctionFacts

_RANDOM_MODULES = ("random", "numpy.random", "secrets")
_RANDOM_FUNCTIONS = frozenset(
    {"os.urandom", "os.getrandom", "uuid.uuid1", "uuid.uuid4", "uuid.uuid6", "uuid.uuid7"}
)
# Names in the random modules that seed, construct generators or read state.
_NOT_DRAWS = frozenset(
    {
        "random.seed", "random.Random", "random.SystemRandom", "random.getstate",
        "random.setstate", "numpy.random.seed", "numpy.random.default_rng",
        "numpy.random.RandomState", "numpy.random.Generator", "numpy.random.SeedSequence",
        "numpy.random.BitGenerator", "numpy.random.PCG64", "numpy.random.PCG64DXSM",
        "numpy.random.MT19937", "numpy.random.Philox", "numpy.random.SFC64",
        "numpy.random.get_state", "numpy.random.set_state",
    }
)  # fmt: skip
_SEEDS = {"random.seed": "random", "numpy.random.seed": "numpy.random"}
_CLOCKS = frozenset(
    {
        "time.time", "time.time_ns", "time.perf_counter", "time.perf_counter_ns",
        "time.monotonic", "time.monotonic_ns", "time.process_time", "time.process_time_ns",
        "time.thread_time", "time.thread_time_ns", "datetime.datetime.now",
        "datetime.datetime.today", "datetime.datetime.utcnow", "datetime.date.today",
        "pandas.Timestamp.now", "pandas.Timestamp.today", "pandas.Timestamp.utcnow",
    }
)  # fmt: skip
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)

Qualifier = Callable[[cst.BaseExpression], "str | None"]
Resolver = Callable[[str, str], "FunctionFacts | None"]


class Source(enum.Enum):
    RANDOM = "random numbers"
    CLOCK = "the clock"


@dataclass(frozen=True, slots=True)
class Impurity:
    """Why a task's result changes between calls with equal arguments."""

    callee: str  # the random source or clock: "numpy.random.normal"
    source: Source
    via: str | None = None  # the project function whose body calls it, if not the task


def source_of(name: str | None) -> Source | None:
    """The family of a qualified callable name, or None for anything else."""
    if name is None:
        return None
    if name in _CLOCKS:
        return Source.CLOCK
    if name in _RANDOM_FUNCTIONS:
        return Source.RANDOM
    if name in _NOT_DRAWS:
        return None
    module = _random_module(name)
    return Source.RANDOM if module is not None else None


def _random_module(name: str) -> str | None:
    """The random module ``name`` is a function of (the longest prefix wins)."""
    found = None
    for module in _RANDOM_MODULES:
        if name.startswith(module + ".") and (found is None or len(module) > len(found)):
            found = module
    return found


def random_draw(
    facts: FunctionFacts, resolve: Resolver, seeded: frozenset[str] = frozenset()
) -> Impurity | None:
    """The first random source ``facts``' function (or a project function it calls) draws
    from without seeding it first."""
    return _random_draw(facts, resolve, seeded, set(), global_state=False)


def global_state_draw(facts: FunctionFacts, resolve: Resolver) -> Impurity | None:
    """The first draw ``facts``' function (or a project function it calls) makes from the
    hidden generator of the process: a function of ``random`` or ``numpy.random`` (not
    ``os.urandom``, ``secrets`` or ``uuid``, which read the operating system's entropy),
    unless the function seeded that module's generator first. Each worker process has
    its own copy of that generator, so this is the draw that repeats when the work moves
    to processes."""
    return _random_draw(facts, resolve, frozenset(), set(), global_state=True)


def _random_draw(
    facts: FunctionFacts,
    resolve: Resolver,
    seeded: frozenset[str],
    seen: set[int],
    *,
    global_state: bool,
) -> Impurity | None:
    if id(facts) in seen:
        return None
    seen.add(id(facts))
    seeded = seeded | {_SEEDS[c] for c in facts.calls if c in _SEEDS}
    for callee in facts.calls:
        if callee.startswith(".") or callee in facts.waits:
            continue
        if source_of(callee) is Source.RANDOM:
            module = _random_module(callee)
            if module in seeded or (global_state and module not in _SEEDS.values()):
                continue
            return Impurity(callee, Source.RANDOM, facts.qualname)
        inner = resolve(callee, facts.module)
        if inner is not None:
            found = _random_draw(inner, resolve, seeded, seen, global_state=global_state)
            if found is not None:
                return found
    return None


def returned_clock(function: cst.FunctionDef, qualify: Qualifier) -> str | None:
    """A clock read inside a ``return`` expression of ``function``'s own body."""
    for node in _own_nodes(function.body):
        if isinstance(node, cst.Return) and node.value is not None:
            for call in _calls(node.value):
                name = qualify(call.func)
                if source_of(name) is Source.CLOCK:
                    return name
    return None


def expression_impurity(expr: cst.BaseExpression, qualify: Qualifier) -> Impurity | None:
    """A random source or clock called in an expression (a lambda's body)."""
    for call in _calls(expr):
        name = qualify(call.func)
        source = source_of(name)
        if source is not None and name is not None:
            return Impurity(name, source)
    return None


def _own_nodes(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    from dasklint.semantic.tree import walk_subtree

    return walk_subtree(root, prune=lambda n: isinstance(n, _SCOPES) and n is not root)


def _calls(expr: cst.CSTNode) -> Iterator[cst.Call]:
    for node in _own_nodes(expr):
        if isinstance(node, cst.Call):
            yield node


__all__ = [
    "Impurity",
    "Source",
    "expression_impurity",
    "global_state_draw",
    "random_draw",
    "returned_clock",
    "source_of",
]
