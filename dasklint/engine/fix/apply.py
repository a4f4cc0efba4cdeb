"""Applying fixes to a module: node edits in one transformer, then libcst's import passes.

Edits are matched by node identity in the tree the rules saw. A fix is applied whole or
not at all: when one of its nodes overlaps (or nests in, or contains) a node already
edited in this pass, the fix waits for the next pass of the fix loop, which re-parses
and re-lints the result. Imports go through libcst's ``AddImportsVisitor`` (no
duplicates) and ``RemoveImportsVisitor`` (removed only if unused afterwards), by way of
:mod:`dasklint.engine.fix.imports`, imported on the fix path only: ``libcst.codemod`` is
slow to import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from dasklint.engine.lint.positions import Span, node_spans
from dasklint.fix import Fix, Replacement


@dataclass
class Applied:
    """The outcome of one pass: the new module and which fixes went in."""

    module: cst.Module
    applied: list[Fix] = field(default_factory=list)
    deferred: list[Fix] = field(default_factory=list)  # overlapped an earlier fix


class _Replace(cst.CSTTransformer):
    def __init__(self, edits: dict[int, Replacement]) -> None:
        super().__init__()
        self.edits = edits

    def on_visit(self, node: cst.CSTNode) -> bool:
        # An edited node's replacement already holds its new children.
        return id(node) not in self.edits

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        return self.edits.get(id(original_node), updated_node)


def _overlaps(a: Span, b: Span) -> bool:
    return (a.start_line, a.start_column) < (b.end_line, b.end_column) and (
        b.start_line,
        b.start_column,
    ) < (a.end_line, a.end_column)


def apply_fixes(module: cst.Module, fixes: Sequence[Fix]) -> Applied:
    """Apply as many of ``fixes`` as do not overlap, in order, to ``module``."""
    nodes = [edit.node for fix in fixes for edit in fix.edits]
    spans = node_spans(module, nodes)
    taken: list[Span] = []
    edits: dict[int, Replacement] = {}
    result = Applied(module)
    for fix in fixes:
        mine = [spans.get(id(edit.node)) for edit in fix.edits]
        if any(span is None for span in mine) or any(
            _overlaps(span, other) for span in mine if span is not None for other in taken
        ):
            result.deferred.append(fix)
            continue
        taken.extend(span for span in mine if span is not None)
        for edit in fix.edits:
            edits[id(edit.node)] = edit.replacement
        result.applied.append(fix)
    if not result.applied:
        return result
    updated = module.visit(_Replace(edits))
    assert isinstance(updated, cst.Module)
    result.module = _apply_imports(updated, result.applied)
    return result


def _apply_imports(module: cst.Module, fixes: Sequence[Fix]) -> cst.Module:
    adds = [spec for fix in fixes for spec in fix.add_imports]
    removes = [spec for fix in fixes for spec in fix.remove_imports]
    if not adds and not removes:
        return module
    from dasklint.engine.fix.imports import add_and_remove

    return add_and_remove(module, adds, removes)


def replace_in(
    node: cst.CSTNode, edits: dict[int, Replacement]
) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
    """``node`` with ``edits`` (replacements by ``id`` of the replaced node) made inside
    it, or its own replacement when it is edited itself."""
    return node.visit(_Replace(edits))
