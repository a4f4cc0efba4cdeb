"""Line spans of logical statements, for statement-wide ``# dasklint: ignore[...]``.

A simple statement spans all its lines; a compound statement (``with``, ``for``, ``def``,
...) spans only its header, so an ignore comment on ``with`` does not silence its body.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
from libcst.metadata import CodeRange


def statement_spans(
    module: cst.Module, positions: Mapping[cst.CSTNode, CodeRange]
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    stack: list[cst.CSTNode] = list(module.body)
    while stack:
        node = stack.pop()
        where = positions.get(node)
        if where is None:
            continue
        if isinstance(node, cst.SimpleStatementLine):
            spans.append((where.start.line, where.end.line))
            continue
        if isinstance(node, cst.BaseCompoundStatement):
            spans.append((where.start.line, _header_end(node, positions, where.start.line)))
            stack.extend(_bodies(node))
    return spans


def _header_end(
    node: cst.BaseCompoundStatement, positions: Mapping[cst.CSTNode, CodeRange], start: int
) -> int:
    body = node.body
    if isinstance(body, cst.IndentedBlock):
        block = positions.get(body)
        if block is not None:
            return max(start, block.start.line - 1)
    return start


def _bodies(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Statements nested in a compound statement, including else/except/finally blocks."""
    out: list[cst.CSTNode] = []
    for child in node.children:
        if isinstance(child, cst.IndentedBlock):
            out.extend(child.body)
        elif isinstance(child, (cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally)):
            out.extend(_bodies(child))
        elif isinstance(child, cst.If):  # elif
            out.append(child)
        elif isinstance(child, cst.MatchCase):
            out.extend(_bodies(child))
    return out


def enclosing_span(spans: list[tuple[int, int]], line: int) -> tuple[int, int]:
    """The innermost statement span containing ``line`` (the line itself if none)."""
    best = (line, line)
    best_size = None
    for start, end in spans:
        if start <= line <= end and (best_size is None or end - start < best_size):
            best, best_size = (start, end), end - start
    return best
