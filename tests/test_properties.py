"""Property tests for position conversions (code points, UTF-16 and UTF-8 units, byte
offsets, line splitting, text edits), for suppression comment parsing and for parsing
modules with odd indents.

Lines end at ``\\r\\n``, ``\\r`` and ``\\n`` only, as in Python's tokenizer and LSP, never
at the other characters ``str.splitlines`` splits at.
"""

from __future__ import annotations

import re

import libcst
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dasklint.columns import ENCODINGS, column_units, split_lines
from dasklint.config.settings import FileSettings
from dasklint.engine.fix.text_edits import text_edits
from dasklint.engine.lint.linter import lint_source
from dasklint.engine.lint.nesting import offset_position
from dasklint.engine.lint.parsing import parse_module
from dasklint.engine.lint.suppressions import ALL, scan

# Text without lone surrogates (an editor's buffer cannot hold them), rich in characters
# that take two UTF-16 units or several UTF-8 bytes, and in line ends of every kind.
CHARACTERS = st.one_of(
    st.characters(codec="utf-8"),  # no lone surrogates
    st.sampled_from(["a", " ", "é", "日", "😀", "\U0001d54f", "\x0c", "\u2028", "\x85", "\t"]),
)
LINE = st.text(CHARACTERS.filter(lambda c: c not in "\r\n"), max_size=40)
NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])
TEXT = st.lists(st.tuples(LINE, NEWLINE), max_size=6).map(
    lambda parts: "".join(line + end for line, end in parts)
) | st.lists(st.one_of(CHARACTERS, NEWLINE), max_size=60).map("".join)
_BREAK = re.compile(r"\r\n|\r|\n")


def _breaks(text: str) -> int:
    return len(_BREAK.findall(text))


# -- columns -------------------------------------------------------------------------------


@given(LINE, st.data())
def test_columns_count_each_encodings_units(line: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(line)))
    head = line[:index]
    assert column_units("utf-32")(line, index) == index
    assert column_units("utf-16")(line, index) == len(head.encode("utf-16-le")) // 2
    assert column_units("utf-8")(line, index) == len(head.encode("utf-8"))


@given(LINE, st.integers(0, 100))
def test_columns_past_the_end_count_one_unit_each(line: str, extra: int) -> None:
    for encoding in ENCODINGS:
        units = column_units(encoding)
        assert units(line, len(line) + extra) == units(line, len(line)) + extra


@given(LINE)
def test_columns_grow_with_the_index(line: str) -> None:
    for encoding in ENCODINGS:
        units = column_units(encoding)
        values = [units(line, index) for index in range(len(line) + 1)]
        assert values == sorted(set(values))


@given(LINE, st.data(), st.sampled_from(ENCODINGS))
def test_server_units_are_the_command_lines(line: str, data: st.DataObject, encoding: str) -> None:
    """The server's conversion (pygls's codec) equals the one output formats use, and
    the client's units convert back to the same code point."""
    pytest.importorskip("pygls")
    from lsprotocol.types import Position, PositionEncodingKind
    from pygls.workspace import PositionCodec

    from dasklint.server.convert import units_for

    codec = PositionCodec(PositionEncodingKind(encoding))
    index = data.draw(st.integers(0, len(line)))
    units = units_for(codec)(line, index)
    assert units == column_units(encoding)(line, index)
    back = codec.position_from_client_units([line], Position(line=0, character=units))
    assert back.character == index


# -- lines ---------------------------------------------------------------------------------


@given(TEXT)
def test_split_lines_splits_at_line_ends_only(text: str) -> None:
    lines = split_lines(text)
    assert len(lines) == _breaks(text) + 1
    assert all("\r" not in line and "\n" not in line for line in lines)
    ends = _BREAK.findall(text)
    assert "".join(line + end for line, end in zip(lines, [*ends, ""], strict=True)) == text


@given(TEXT)
@example("y = 1  # page\x0cbreak\nz = 2\u2028\r\n")  # pygls split at \x0c and U+2028
def test_server_documents_split_lines_as_lsp_does(text: str) -> None:
    pytest.importorskip("pygls")
    from dasklint.server.protocol import LspTextDocument

    lines = LspTextDocument("file:///t.py", text).lines
    assert "".join(lines) == text
    assert [_BREAK.sub("", line) for line in lines] == split_lines(text)[: len(lines)]
    assert len(lines) == _breaks(text) + (0 if text == "" or _BREAK.search(text[-1]) else 1)


@given(TEXT, st.integers(min_value=0))
@example("import dask\rx = 1\x00\r", 17)  # rows counted only "\n" (a NUL was misplaced)
def test_byte_offsets_become_rows_and_code_point_columns(text: str, index: int) -> None:
    index %= len(text) + 1
    if text[index - 1 : index + 1] == "\r\n":  # between the two characters of one line end
        index -= 1
    source = text.encode("utf-8")
    before = split_lines(text[:index])
    offset = len(text[:index].encode("utf-8"))
    assert offset_position(source, offset) == (len(before), len(before[-1]) + 1)
    bom = offset_position(b"\xef\xbb\xbf" + source, offset + 3)
    assert bom == (len(before), len(before[-1]) + 1)


@given(TEXT, TEXT)
def test_text_edits_turn_one_text_into_the_other(before: str, after: str) -> None:
    edits = text_edits(before, after)
    starts = [0] + [m.end() for m in _BREAK.finditer(before)]

    def offset(row: int, column: int) -> int:
        assert 1 <= row <= len(starts) and column >= 1
        assert starts[row - 1] + column - 1 <= (starts[row] if row < len(starts) else len(before))
        return starts[row - 1] + column - 1

    result: list[str] = []
    end = len(before)
    for edit in reversed(edits):  # in source order, not overlapping
        start = offset(edit.location.row, edit.location.column)
        stop = offset(edit.end_location.row, edit.end_location.column)
        assert start <= stop <= end
        result[:0] = [edit.content, before[stop:end]]
        end = start
    assert before[:end] + "".join(result) == after


# -- suppression comments ------------------------------------------------------------------

CODES = st.lists(
    st.sampled_from(["DSK101", "dsk101", "DSK102", "F401", "E501", "processes-scheduler"]),
    max_size=4,
)
SEPARATORS = st.sampled_from([",", ", ", " ", " , ", ",\t", "  "])
SPACE = st.sampled_from(["", " ", "  ", "\t"])
CASES = st.sampled_from(["noqa", "NOQA", "NoQa"])


def _noqa(space: str, word: str, codes: list[str], separator: str) -> str:
    return f"#{space}{word}" + (f":{space}{separator.join(codes)}" if codes else "")


@given(SPACE, CASES, CODES, SEPARATORS, st.booleans(), NEWLINE)
@example(" ", "noqa", ["DSK101"], ",", False, "\r")  # "\r" did not end a line
def test_noqa_comments_name_their_codes(
    space: str, word: str, codes: list[str], separator: str, own_line: bool, newline: str
) -> None:
    """On line 3, after a string that spans a line end of each kind."""
    comment = _noqa(space, word, codes, separator)
    found = scan(f's = """{newline}"""{newline}' + ("" if own_line else "x = 1  ") + comment)
    assert found.noqa == {3: frozenset(codes) if codes else ALL}
    assert found.ignore == {} and found.file_level == frozenset()
    assert found.own_line == ({3} if own_line else set())


@given(SPACE, CODES, SEPARATORS, st.booleans())
def test_ignore_comments_name_their_codes(
    space: str, codes: list[str], separator: str, own_line: bool
) -> None:
    listed = f"[{separator.join(codes)}]" if codes else ""
    found = scan(("" if own_line else "x = 1  ") + f"#{space}dasklint:{space}ignore{listed}\n")
    assert found.ignore == {1: frozenset(codes) if codes else ALL}
    assert found.noqa == {}


@given(SPACE, CODES, SEPARATORS, st.booleans())
def test_file_level_noqa_counts_on_its_own_line_only(
    space: str, codes: list[str], separator: str, own_line: bool
) -> None:
    listed = f":{space}{separator.join(codes)}" if codes else ""
    comment = f"#{space}dasklint:{space}noqa{listed}"
    found = scan(("" if own_line else "x = 1  ") + comment + "\n")
    expected = (frozenset(codes) if codes else ALL) if own_line else frozenset()
    assert found.file_level == expected
    assert found.noqa == {}


@given(SPACE, CASES, CODES, SEPARATORS)
def test_comments_inside_strings_suppress_nothing(
    space: str, word: str, codes: list[str], separator: str
) -> None:
    for comment in (_noqa(space, word, codes, separator), "# dasklint: ignore", "# dasklint: noqa"):
        found = scan(f"x = {comment!r}\ny = '''\n{comment}\n'''\n")
        assert (found.noqa, found.ignore, found.file_level) == ({}, {}, frozenset())


@given(
    st.lists(st.one_of(CHARACTERS, NEWLINE, st.sampled_from(["#", "'", '"', "noqa", "("]))).map(
        "".join
    )
)
@example("\x0c\x0c#\n[")  # the fallback line scan split at form feeds
def test_scanning_any_text_finds_rows_inside_it(text: str) -> None:
    found = scan(text)
    rows = _breaks(text) + 1
    assert all(1 <= row <= rows for row in (*found.noqa, *found.ignore, *found.own_line))


CALL = 'dask.compute(x, scheduler="processes")'
DSK101_ONLY = FileSettings(enabled=frozenset({"DSK101"}))


@settings(max_examples=60)
@given(
    SPACE,
    CASES,
    CODES,
    SEPARATORS,
    st.sampled_from(["noqa", "ignore", "ignore above"]),
    NEWLINE,
)
@example(" ", "noqa", ["DSK101"], ",", "noqa", "\r")  # the noqa was read on row 1
def test_a_suppression_silences_exactly_the_rules_it_names(
    space: str, word: str, codes: list[str], separator: str, kind: str, newline: str
) -> None:
    """Rows count every kind of line end: a comment silences its own line's finding only."""
    if kind == "noqa":
        lines = [CALL, f"{CALL}  {_noqa(space, word, codes, separator)}"]
    else:
        listed = f"[{separator.join(codes)}]" if codes else ""
        comment = f"#{space}dasklint:{space}ignore{listed}"
        lines = [CALL, comment, CALL] if kind == "ignore above" else [CALL, f"{CALL}  {comment}"]
    source = newline.join(["import dask", *lines, ""])
    result = lint_source(source.encode(), "s.py", DSK101_ONLY)
    names = {code.upper() for code in codes} | {code for code in codes if "-" in code}
    silenced = not codes or "DSK101" in names or "processes-scheduler" in names
    rows = [d.location.row for d in result.diagnostics]
    assert rows == ([2] if silenced else [2, len(lines) + 1])


# -- parsing -------------------------------------------------------------------------------

INDENT = st.text(st.sampled_from([" ", "\t", "\x0c"]), min_size=1, max_size=6)


@given(INDENT, INDENT, st.booleans())
@example("\x0c    ", "    ", False)  # libcst's parser config refused the indent: fixes failed
def test_modules_keep_their_code_and_give_a_parser_config(
    outer: str, inner: str, function: bool
) -> None:
    header = "def run():" if function else "with lock:"
    source = f"import dask\n{header}\n{outer}if x:\n{outer}{inner}y = 1\n{outer}z = 2\n"
    try:
        libcst.parse_module(source)
    except libcst.ParserSyntaxError:
        return
    module = parse_module(source)
    assert module.code == source
    template = libcst.parse_statement("if a:\n    b = 1\n", config=module.config_for_parsing)
    assert "\x0c" not in module.code_for_node(template)
