"""Line spans of logical statements, for statement-wide ``# dasklint: ignore[...]``.

A simple statement spans all its lines; a compound statement (``with``, ``for``, ``def``,
...) spans only its header, so an ignore comment on ``with`` does not silence its body.
"""

from __future__ import annotations

import libcst as cst

from dasklint.engine.lint.positions import node_spans
from dasklint.semantic.tree import iter_children


def statement_spans(module: cst.Module) -> list[tuple[int, int]]:
    statements: list[cst.CSTNode] = []
    bodies: dict[int, cst.IndentedBlock] = {}
    stack: list[cst.CSTNode] = list(module.body)
    while stack:
        node = stack.pop()
        statements.append(node)
        if isinstance(node, cst.BaseCompoundStatement):
            if isinstance(node.body, cst.IndentedBlock):
                bodies[id(node)] = node.body
            stack.extend(_bodies(node))
    spans = node_spans(module, [*statements, *bodies.values()])
    out: list[tuple[int, int]] = []
    for node in statements:
        span = spans.get(id(node))
        if span is None:
            continue
        if isinstance(node, cst.SimpleStatementLine):
            out.append((span.start_line, span.end_line))
            continue
        end = span.start_line
        block = bodies.get(id(node))
        if block is not None and id(block) in spans:
            end = max(end, spans[id(block)].start_line - 1)
        out.append((span.start_line, end))
    return out


def _bodies(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Statements nested in a compound statement, including else/except/finally blocks."""
    out: list[cst.CSTNode] = []
    for child in iter_children(node):
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
