"""The engine's traversal visits nodes in exactly libcst's order and dispatches like it."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from conftest import ROOT, parseable_fixtures

from dasklint.engine.lint.walk import TRIVIA, walk

SOURCES = [
    *sorted((ROOT / "dasklint").rglob("*.py")),
    *parseable_fixtures(),
]
TRICKY = [
    'f"{x!r:>{width}} {y=}"\n',
    "match p:\n    case [1, *rest] if rest:\n        pass\n"
    "    case {'a': 1, **kw}:\n        pass\n",
    "async def f():\n    async with a as b, c:\n        await g(*args, **kw)\n",
    "@d1\n@d2(x)\ndef f(a, /, b=1, *c, d: int = 2, **e) -> None:\n"
    "    global q\n    return lambda z=1: z\n",
    "try:\n    pass\nexcept* ValueError as e:\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
    "x: list[int] = [i for i in range(3) if i for j in k]\ndel x[0], y\n",
]


def _orders(module: cst.Module) -> tuple[list[int], list[int]]:
    expected: list[cst.CSTNode] = []
    cst.visit_batched(module, [], before_visit=expected.append)
    ours: list[cst.CSTNode] = []
    walk(module, [], ours.append, lambda node: None)
    return [id(n) for n in expected if type(n) not in TRIVIA], [id(n) for n in ours]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_same_order_as_libcst_on_real_files(path: Path) -> None:
    expected, ours = _orders(cst.parse_module(path.read_bytes()))
    assert expected and ours == expected


@pytest.mark.parametrize("source", TRICKY)
def test_same_order_as_libcst_on_tricky_syntax(source: str) -> None:
    expected, ours = _orders(cst.parse_module(source))
    assert ours == expected


class _Recorder(cst.BatchableCSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.events.append("visit_Call")

    def leave_Call(self, original_node: cst.Call) -> None:
        self.events.append("leave_Call")

    def visit_Comma(self, node: cst.Comma) -> None:
        self.events.append("visit_Comma")


def test_dispatch_matches_visit_batched_including_listened_trivia() -> None:
    module = cst.parse_module("f(g(1), 2)\n")
    theirs, ours = _Recorder(), _Recorder()
    cst.visit_batched(module, [theirs])
    walk(module, [ours], lambda n: None, lambda n: None)
    assert ours.events == theirs.events
    assert ours.events.count("visit_Comma") == 1


def test_visitor_method_names_match_libcst() -> None:
    from dasklint.engine.lint.walk import visitor_method_names

    recorder = _Recorder()
    assert set(visitor_method_names(_Recorder)) == set(recorder.get_visitors())
