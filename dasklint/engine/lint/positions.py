"""Positions of reported nodes only, at a fraction of libcst's PositionProvider cost.

libcst computes positions by generating the module's code while tracking lines and
columns for every token and node (about twice the parse time). Here code generation
tracks a plain character offset, records node offsets cheaply, stops as soon as every
reported node has been seen, and converts only the reported offsets to line/column.
The spans are the same as ``PositionProvider``'s (a test compares them).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState

_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Span:
    """1-based lines, 0-based columns in code points; the end is exclusive."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int


class _Done(Exception):
    """Every wanted node has been positioned; stop generating code."""


@dataclass
class _OffsetState(CodegenState):
    offset: int = 0
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    wanted: set[int] = field(default_factory=set)
    starts: list[int] = field(default_factory=list)
    # The module's top-level statements (by id, to their index in the body), where each
    # one starts, and which of them each wanted node is in.
    top: dict[int, int] = field(default_factory=dict)
    top_starts: dict[int, int] = field(default_factory=dict)
    owner: dict[int, int] = field(default_factory=dict)
    current_top: int = -1
    # The same for simple statement lines (which never nest): where each one starts, with
    # the indentation it is generated with, and which one each wanted node is in.
    line_starts: dict[int, tuple[int, tuple[str, ...], cst.SimpleStatementLine]] = field(
        default_factory=dict
    )
    line_owner: dict[int, int] = field(default_factory=dict)
    current_line: int = 0

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.offset += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.starts.append(self.offset)
        if type(node) is cst.SimpleStatementLine:
            self.current_line = id(node)
            self.line_starts[id(node)] = (self.offset, tuple(self.indent_tokens), node)
            index = self.top.get(id(node))
        elif type(node) is cst.Module:
            return
        else:
            index = self.top.get(id(node))
        if index is not None:
            self.current_top = index
            self.top_starts[index] = self.offset

    def after_codegen(self, node: cst.CSTNode) -> None:
        # Nodes without a syntactic position keep their whitespace-inclusive one.
        start = self.starts.pop()
        key = id(node)
        if key not in self.spans:
            self.spans[key] = (start, self.offset)
            self._seen(key)
        if key in self.top:
            self.current_top = -1  # between statements (the module's footer)
        if key == self.current_line:
            self.current_line = 0

    def _seen(self, key: int) -> None:
        wanted = self.wanted
        if key in wanted:
            wanted.discard(key)
            self.owner[key] = self.current_top
            if self.current_line:
                self.line_owner[key] = self.current_line
            if not wanted:
                raise _Done

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        start = self.offset
        yield
        end = self.offset
        if start_node is not None:
            start = self.spans[id(start_node)][0]
        if end_node is not None:
            end = self.spans[id(end_node)][1]
        self.spans[id(node)] = (start, end)
        self._seen(id(node))


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the requested nodes are, and where the top-level statements holding them
    start: what text edits of a fix need to be computed one statement at a time."""

    spans: dict[int, Span]  # id(node) -> span
    owner: dict[int, int]  # id(node) -> index in ``module.body`` of its top-level statement
    statement_lines: dict[int, int]  # index in ``module.body`` -> 1-based first line
    # (of its leading blank and comment lines), for the statements code generation reached
    line_owner: dict[int, int] = field(default_factory=dict)  # id(node) -> id of the
    # simple statement line it is in (when it is in one)
    simple_lines: dict[int, tuple[int, tuple[str, ...], cst.SimpleStatementLine]] = field(
        default_factory=dict
    )  # id of a simple statement line -> its 1-based first line, its indentation, itself

    def merged(self, other: Layout) -> Layout:
        """The nodes of both layouts (of one module)."""
        return Layout(
            {**self.spans, **other.spans},
            {**self.owner, **other.owner},
            {**self.statement_lines, **other.statement_lines},
            {**self.line_owner, **other.line_owner},
            {**self.simple_lines, **other.simple_lines},
        )


@dataclass(frozen=True, slots=True)
class TopLevelTexts:
    """What lets :func:`locate` generate only the top-level statements holding the nodes:
    the module's text, where each of its top-level statements starts (the footer's start
    last), and the statement each node is in (by ``id``, from the traversal)."""

    text: str
    bounds: tuple[int, ...]
    owners: dict[int, int]  # filled by the traversal

    def parts(self) -> list[str]:
        """The text of each top-level statement (with its leading comment lines; the first
        one also with the module's header, so that line numbers count from the top)."""
        parts = [self.text[start:end] for start, end in itertools.pairwise(self.bounds)]
        if parts:
            parts[0] = self.text[: self.bounds[1]]
        return parts


def locate(
    module: cst.Module, nodes: Iterable[cst.CSTNode], statements: TopLevelTexts | None = None
) -> Layout:
    """The spans of ``nodes`` found in ``module`` and the top-level statements they are
    in. With ``statements``, only the statements holding the nodes are generated."""
    wanted = {id(node) for node in nodes}
    state = _OffsetState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        wanted=set(wanted),
        top={id(statement): index for index, statement in enumerate(module.body)},
    )
    holding = (
        sorted({statements.owners.get(key, -1) for key in wanted})
        if statements is not None and wanted
        else None
    )
    if statements is not None and holding is not None and holding[0] >= 0:
        with suppress(_Done):
            for index in holding:
                state.offset = statements.bounds[index]
                module.body[index]._codegen(state)
        text = statements.text
    else:
        if wanted:
            with suppress(_Done):
                module._codegen(state)
        text = "".join(state.tokens)
    line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def position(offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(line_starts, offset) - 1
        return index + 1, offset - line_starts[index]

    spans: dict[int, Span] = {}
    for key in wanted:
        if key in state.spans:
            start, end = state.spans[key]
            spans[key] = Span(*position(start), *position(end))
    lines = {index: position(offset)[0] for index, offset in state.top_starts.items()}
    owner = {key: index for key, index in state.owner.items() if index >= 0}
    simple_lines = {
        line: (position(offset)[0], indent, node)
        for line in set(state.line_owner.values())
        for offset, indent, node in [state.line_starts[line]]
    }
    return Layout(spans, owner, lines, state.line_owner, simple_lines)


def node_spans(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[int, Span]:
    """Spans keyed by ``id(node)`` for each of ``nodes`` found in ``module``."""
    return locate(module, nodes).spans
