"""The language server's incremental parse gives the module a full parse gives.

Every parseable fixture is edited at random places, the way an editor does (a character
typed or deleted, a line removed, duplicated or indented, a comment or a function
inserted between statements, a bracket or quote opened), and each edited text is parsed
by a parser that saw the original first. Where the full parse succeeds the two modules
must be equal node for node (libcst's ``deep_equals``) and print the same code; where it
fails the incremental parse must fail too.
"""

from __future__ import annotations

import copy
import dataclasses
import random
from collections.abc import Callable
from pathlib import Path

import libcst as cst
import pytest
from conftest import FIXTURES

from dasklint import registry
from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Diagnostic
from dasklint.engine.lint.incremental import IncrementalParser
from dasklint.engine.lint.linter import lint_source
from dasklint.engine.lint.parsing import parse_module
from dasklint.engine.lint.positions import TopLevelTexts
from dasklint.semantic.project import ProjectIndex, digest, facts_for_source

SEED = 20261126
EDITS_PER_FILE = 12

Edit = Callable[[list[str], random.Random], list[str]]


def _type_char(lines: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines))
    column = rng.randrange(len(lines[i]) + 1)
    char = rng.choice(["x", " ", "(", ")", '"', "1", ":", ",", "#"])
    return [*lines[:i], lines[i][:column] + char + lines[i][column:], *lines[i + 1 :]]


def _delete_char(lines: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines))
    if len(lines[i]) <= 1:
        return lines
    column = rng.randrange(len(lines[i]) - 1)
    return [*lines[:i], lines[i][:column] + lines[i][column + 1 :], *lines[i + 1 :]]


def _delete_line(lines: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines))
    return [*lines[:i], *lines[i + 1 :]]


def _duplicate_line(lines: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines))
    return [*lines[: i + 1], lines[i], *lines[i + 1 :]]


def _indent_line(lines: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines))
    return [*lines[:i], "    " + lines[i], *lines[i + 1 :]]


def _insert_between(lines: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(lines) + 1)
    new = rng.choice(
        [
            ["# a comment\n"],
            ["    # an indented comment\n"],
            ["\n", "\n"],
            ["def added(x):\n", "    return dask.delayed(x)\n", "\n"],
            ["@dask.delayed\n", "def added(x):\n", "    return x\n"],
            ["x = (\n"],
            ['"""\n'],
            ["if True:\n"],
            ["    y = 1\n"],
        ]
    )
    return [*lines[:i], *new, *lines[i:]]


EDITS: tuple[Edit, ...] = (
    _type_char,
    _delete_char,
    _delete_line,
    _duplicate_line,
    _indent_line,
    _insert_between,
)


def _sources() -> list[str]:
    out = []
    for path in sorted(FIXTURES.rglob("*.py")):
        try:
            text = path.read_text("utf-8")
            parse_module(text)
        except (UnicodeDecodeError, cst.ParserSyntaxError, ValueError):
            continue
        if text.count("\ndef ") + text.count("\nclass ") >= 3:
            out.append(text)
    return out


SOURCES = _sources()


def _full(text: str) -> cst.Module | None:
    try:
        return parse_module(text.encode("utf-8"))
    except cst.ParserSyntaxError:
        return None


def _incremental(parser: IncrementalParser, text: str) -> cst.Module | None:
    try:
        return parser.parse(text.encode("utf-8"))
    except cst.ParserSyntaxError:
        return None


# Each node type's fields that ``deep_equals`` compares, listed once.
_COMPARED: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def same_tree(a: object, b: object) -> bool:
    """``a.deep_equals(b)``: libcst's comparison (the same node types, every compared
    field, sequences item by item, other values by ``==``), with each node type's fields
    listed once. libcst's lists them for every node and asks ``typing.Sequence`` about
    every value: comparing the edited modules with it took 40% of this module's time.
    Held to the same answers as libcst's in the test after this."""
    if isinstance(a, cst.CSTNode):
        if type(a) is not type(b):
            return False
        if a is b:
            return True
        names = _COMPARED.get(type(a))
        if names is None:
            names = tuple(f.name for f in dataclasses.fields(a) if f.compare)
            _COMPARED[type(a)] = names
        return all(same_tree(getattr(a, name), getattr(b, name)) for name in names)
    if isinstance(a, (list, tuple)):
        if not isinstance(b, (list, tuple)) or len(a) != len(b):
            return False
        return all(same_tree(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_same_tree_answers_as_deep_equals() -> None:
    """On every kind of edit of a few fixtures (and on the originals): equal where
    libcst's ``deep_equals`` says equal, different where it says different."""
    rng = random.Random(SEED)
    answers = []
    for original in SOURCES[:6]:
        module = parse_module(original)
        for edit in EDITS:
            edited = _full("".join(edit(original.splitlines(keepends=True), rng)))
            for other in (edited, parse_module(original)):
                if other is not None:
                    answers.append(module.deep_equals(other))
                    assert same_tree(module, other) == answers[-1]
    whitespace = parse_module("x = [1, 2]\n"), parse_module("x = [1,  2]\n")
    assert not whitespace[0].deep_equals(whitespace[1])
    assert not same_tree(*whitespace)
    assert True in answers and False in answers


def test_there_are_sources_to_edit() -> None:
    assert len(SOURCES) >= 50


@pytest.mark.parametrize("number", range(len(SOURCES)))
def test_incremental_parse_equals_full_parse(number: int) -> None:
    rng = random.Random(SEED + number)
    original = SOURCES[number]
    spliced = 0
    # A parser that saw the original, copied for each edit (the same state as a new
    # parser parsing the original each time: its snapshot of the last text is immutable).
    seen = IncrementalParser()
    seen.parse(original.encode("utf-8"))
    for _ in range(EDITS_PER_FILE):
        parser = copy.copy(seen)
        edit = rng.choice(EDITS)
        edited = "".join(edit(original.splitlines(keepends=True), rng))
        before = parser.spliced
        full = _full(edited)
        incremental = _incremental(parser, edited)
        if full is None:
            assert incremental is None, "the incremental parse accepted a broken text"
            continue
        assert incremental is not None, "the incremental parse rejected a good text"
        assert incremental.code == edited
        assert same_tree(incremental, full), edited
        spliced += parser.spliced - before
        # A second edit on top of a spliced module.
        again = "".join(_type_char(edited.splitlines(keepends=True), rng))
        full_again = _full(again)
        incremental_again = _incremental(parser, again)
        if full_again is None:
            assert incremental_again is None
        else:
            assert incremental_again is not None and same_tree(incremental_again, full_again)


def test_edits_inside_a_long_module_are_spliced() -> None:
    """The server's case: most edits of a long module reuse its statements."""
    functions = [f"def f{i}(x):\n    return dask.delayed(x)\n\n\n" for i in range(60)]
    original = "import dask\n\n\n" + "".join(functions)
    parser = IncrementalParser()
    parser.parse(original.encode())
    assert parser.spliced == 0
    edited = original.replace("def f30(x):\n    return", "def f30(x):\n    y = 1\n    return")
    module = parser.parse(edited.encode())
    assert parser.spliced == 1
    assert module.deep_equals(parse_module(edited))
    assert module.body[5] is parser.parse(edited.encode()).body[5]


def test_most_edits_that_parse_are_spliced() -> None:
    """Splicing is the common case, not a path the random edits above never reach."""
    rng = random.Random(SEED)
    good = spliced = 0
    for original in SOURCES:
        parser = IncrementalParser()
        parser.parse(original.encode("utf-8"))
        for _ in range(3):
            edited = "".join(rng.choice(EDITS)(original.splitlines(keepends=True), rng))
            if _full(edited) is None:
                continue
            good += 1
            before = parser.spliced
            _incremental(parser, edited)
            spliced += parser.spliced - before
            parser.parse(original.encode("utf-8"))  # back to the original
    assert good >= 100
    assert spliced >= 0.4 * good, (spliced, good)


ALL_RULES = FileSettings(
    enabled=frozenset(rule.code for rule in registry.all_rules()), fix_edits=True
)


def _lint(text: str, parser: IncrementalParser | None) -> list[Diagnostic]:
    source = text.encode("utf-8")
    result = lint_source(source, "edited.py", ALL_RULES, ProjectIndex(), parser=parser)
    assert result.error is None
    return result.diagnostics


@pytest.mark.parametrize("number", range(0, len(SOURCES), 3))
def test_server_lint_of_an_edited_text_equals_a_fresh_lint(number: int) -> None:
    """The language server's path (statements reused, only the statements holding
    findings generated to place them) reports exactly what a fresh lint reports:
    the same findings, positions, fixes and text edits."""
    rng = random.Random(SEED - number)
    original = SOURCES[number]
    parser = IncrementalParser()
    assert _lint(original, parser) == _lint(original, None)
    for _ in range(4):
        edited = "".join(rng.choice(EDITS)(original.splitlines(keepends=True), rng))
        assert _lint(edited, parser) == _lint(edited, None)


@pytest.mark.parametrize("number", range(1, len(SOURCES), 3))
def test_facts_kept_per_statement_equal_facts_of_the_whole_text(number: int) -> None:
    """The server's module facts (each top-level statement read once, its functions'
    facts kept while its text and the module's imports do not change) equal the facts
    of the whole text, version after version."""
    rng = random.Random(SEED * 7 + number)
    parser = IncrementalParser()
    text = SOURCES[number]
    for _ in range(5):
        module = _incremental(parser, text)
        if module is not None:
            known = parser.statements_of(module)
            assert known is not None
            parts = TopLevelTexts(known[0], known[1], {}).parts()
            assert "".join(parts) in text
            path = Path("/somewhere/pkg_mod.py")
            expected = facts_for_source(text.encode("utf-8"), path)
            got = parser.facts.facts(parts, "pkg_mod", str(path), digest(text.encode("utf-8")))
            assert got == expected
        text = "".join(rng.choice(EDITS)(text.splitlines(keepends=True), rng))


def test_the_statement_that_sets_the_default_indent_is_never_spliced() -> None:
    """libcst takes the module's default indent from its first indented line; a one-line
    `if` before it has none. Removing that line's block moves the default to a later
    statement: a full parse must decide it."""
    head = '"""Doc."""\nimport dask\nif True: x = 1\ny = 2\n'
    tail = "z = 3\nw = 4\n\n\ndef b():\n  return 2\n\n\nv = 5\n"
    old = head + "def a():\n    return 1\n" + tail
    new = head + "def a(): return 1\n" + tail
    parser = IncrementalParser()
    parser.parse(old.encode())
    module = parser.parse(new.encode())
    full = parse_module(new.encode())
    assert full.default_indent == "  "
    assert module.default_indent == full.default_indent
    assert module.deep_equals(full)


def test_facts_kept_per_statement_count_lines_from_the_header() -> None:
    """A comment before the first statement is the module's header, outside every
    statement: the facts' line numbers (a method's changes to ``self``) still count it."""
    text = (
        "# a header comment\n\nimport dask.dataframe as dd\n\n\nclass Report:\n"
        "    def __init__(self, path):\n        self.frame = dd.read_parquet(path)\n"
    )
    parser = IncrementalParser()
    module = _incremental(parser, text)
    assert module is not None
    known = parser.statements_of(module)
    assert known is not None
    path = Path("/somewhere/pkg_mod.py")
    got = parser.facts.facts(
        TopLevelTexts(known[0], known[1], {}).parts(), "pkg_mod", str(path), digest(text.encode())
    )
    assert got == facts_for_source(text.encode("utf-8"), path)
    assert got is not None
    (init,) = dict(got.functions)["Report.__init__"]
    assert [m.line for m in init.effects.parameters] == [8]
