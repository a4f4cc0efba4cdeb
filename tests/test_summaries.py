"""Function facts and summaries: loops, GIL-releasing calls, triviality, parameters read."""

from __future__ import annotations

import ast

from dasklint.semantic.facts import module_facts
from dasklint.semantic.project import ProjectIndex
from dasklint.semantic.summaries import Summarizer, Summary, default_table

SOURCE = """
import numpy as np
import numba
import time
from operator import add

def trivial(x):
    y = x * 2
    return add(y, 1)

def loops(words):
    return sum(len(w) for w in words)

def short(x):
    for k in (1, 2):
        x += k
    return x

def heavy(xs):
    return [np.sum(x) for x in xs]

def calls_loops(words):
    return loops(words) + 1

def recursive(n):
    return n if n < 2 else recursive(n - 1)

def sleeps(items):
    for _ in items:
        time.sleep(1)

def unknown(frames):
    return [f.groupby("a") for f in frames]

@numba.njit(nogil=True)
def jitted(n):
    return n

def unread(a, b, *rest, **options):
    return a

def subscripted(parts, i):
    return parts[i]

def dynamic(a, b):
    return locals()["b"]

def computes(x):
    return x.compute()
"""


def _summaries() -> tuple[dict[str, Summary], dict[str, object]]:
    facts = module_facts(ast.parse(SOURCE), "m", "m.py", 0)
    summarizer = Summarizer(ProjectIndex(), facts, default_table(("mylib",)))
    functions = {name: found[-1] for name, found in facts.functions}
    return {n: summarizer.summary(f) for n, f in functions.items()}, functions  # type: ignore[misc]


def test_trivial_and_gil_bound() -> None:
    s, _ = _summaries()
    assert s["trivial"].trivial and not s["trivial"].python_loops
    assert s["loops"].gil_bound and not s["loops"].trivial
    assert not s["short"].python_loops  # a loop over two literal items
    assert not s["heavy"].gil_bound and s["heavy"].releases_gil
    assert s["calls_loops"].gil_bound  # through the callee
    assert s["recursive"].python_loops
    assert s["sleeps"].releases_gil
    assert s["unknown"].unknown_calls and not s["unknown"].gil_bound
    jit = s["jitted"].numba
    assert jit is not None and jit.nogil
    assert s["computes"].computes


def test_parameters_read() -> None:
    _, f = _summaries()
    unread = f["unread"]
    assert unread.reads >= {"a"} and "b" not in unread.reads  # type: ignore[attr-defined]
    assert unread.vararg == "rest" and unread.kwarg == "options"  # type: ignore[attr-defined]
    assert f["subscripted"].subscripts("parts") == frozenset({"i"})  # type: ignore[attr-defined]
    assert f["dynamic"].dynamic_reads  # type: ignore[attr-defined]
