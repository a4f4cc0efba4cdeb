"""Our reported-nodes-only positions equal libcst's PositionProvider, node for node."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from conftest import ROOT, parseable_fixtures
from libcst.metadata import MetadataWrapper, PositionProvider

from dasklint.engine.lint.positions import node_spans

SOURCES = [
    *sorted((ROOT / "dasklint").rglob("*.py"))[:12],
    *parseable_fixtures(),
]
SAMPLES = [
    "x = 1\r\ny = '😀'; z = f(a,\r\n  b)\r\n",
    "@dec\nclass A:\n    def f(self):  # c\n        return [i for i in range(3)]\n",
    'if a:\n    pass\nelif b:\n    s = """x\n😀\n"""\nelse:\n    t = "日本語" + u\n',
]


def _compare(module: cst.Module) -> int:
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = list(expected)
    ours = node_spans(module, nodes)
    for node in nodes:
        want = expected[node]
        got = ours[id(node)]
        assert (got.start_line, got.start_column, got.end_line, got.end_column) == (
            want.start.line,
            want.start.column,
            want.end.line,
            want.end.column,
        ), type(node).__name__
    return len(nodes)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_all_node_positions_match_libcst(path: Path) -> None:
    assert _compare(cst.parse_module(path.read_bytes())) > 0


@pytest.mark.parametrize("source", SAMPLES)
def test_unicode_and_crlf_positions_match_libcst(source: str) -> None:
    assert _compare(cst.parse_module(source)) > 0


def test_only_requested_nodes_are_returned_and_generation_stops_early() -> None:
    module = cst.parse_module("a = 1\nb = 2\nc = 3\n")
    first = module.body[0]
    spans = node_spans(module, [first])
    assert set(spans) == {id(first)}
    assert spans[id(first)].start_line == 1
