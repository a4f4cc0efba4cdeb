"""Generated and mutated programs never make the linter raise, and fixing them with every
rule and unsafe fixes gives code that parses, compiles and is stable when fixed again, and
the safe fixes alone keep behaviour in the ways a rewrite can be checked statically (the
property is :func:`fuzzing.check`).

Bounded so the suite stays fast (and derandomized); ``pytest tests/test_fuzz.py
--fuzz-examples 2000`` (or ``DASKLINT_FUZZ_EXAMPLES=2000``) runs each search that many
times on new examples. Every input that ever failed is kept, reduced, in
``tests/fuzz_regressions/`` (``*.py.txt``: not Python this repository runs or formats) and
checked on every run.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import hypothesmith
import pytest
from conftest import FIXTURES
from fuzzing import (
    PREAMBLE,
    check,
    check_notebook,
    insert_lines,
    insert_snippets,
    new_locals,
    notebook,
    odd_place,
    reserved_defaults,
    try_statement_counts,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REGRESSIONS = Path(__file__).resolve().parent / "fuzz_regressions"
FIXTURE_SOURCES = [p.read_text(errors="replace") for p in sorted(FIXTURES.rglob("*.py"))]
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@pytest.fixture
def search(pytestconfig: pytest.Config) -> Callable[[int], settings]:
    """Settings for a search of ``default`` examples, or of the number asked for. The
    default searches are derandomized, so that a run fails only for a change in the code;
    a longer search asked for explores new examples each time."""
    asked = pytestconfig.getoption("--fuzz-examples") or int(
        os.environ.get("DASKLINT_FUZZ_EXAMPLES", "0")
    )

    def make(default: int) -> settings:
        return settings(
            max_examples=int(asked or default),
            derandomize=not asked,
            deadline=None,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.filter_too_much,
                HealthCheck.data_too_large,
            ],
        )

    return make


def test_grammar_generated_programs(search: Callable[[int], settings]) -> None:
    @search(20)
    @given(hypothesmith.from_grammar(), SEEDS)
    def run(source: str, seed: int) -> None:
        check(PREAMBLE + source)
        rng = random.Random(seed)
        check(insert_snippets(PREAMBLE + source, rng, rng.randint(1, 3)))

    run()


def test_node_generated_programs(search: Callable[[int], settings]) -> None:
    """hypothesmith's node strategy is the slowest to generate: fewer examples."""

    @search(6)
    @given(hypothesmith.from_node(), SEEDS)
    def run(source: str, seed: int) -> None:
        check(PREAMBLE + source)
        rng = random.Random(seed)
        check(insert_snippets(PREAMBLE + source, rng, rng.randint(1, 3)))

    run()


def test_dask_calls_inserted_into_fixtures(search: Callable[[int], settings]) -> None:
    """Fixture programs with fixable findings inserted into random blocks (still valid)."""

    @search(20)
    @given(SEEDS)
    def run(seed: int) -> None:
        rng = random.Random(seed)
        check(insert_snippets(rng.choice(FIXTURE_SOURCES), rng, rng.randint(1, 4)))

    run()


def test_mutated_fixtures(search: Callable[[int], settings]) -> None:
    """Deleted, duplicated and inserted lines: often not valid Python any more."""

    @search(30)
    @given(SEEDS)
    def run(seed: int) -> None:
        rng = random.Random(seed)
        check(insert_lines(rng.choice(FIXTURE_SOURCES), rng, rng.randint(1, 4)))

    run()


def test_dask_calls_in_odd_places(search: Callable[[int], settings]) -> None:
    """Only findings, nested in classes, functions, try, with, match, decorators..."""

    @search(30)
    @given(SEEDS)
    def run(seed: int) -> None:
        rng = random.Random(seed)
        parts = [odd_place(rng) for _ in range(rng.randint(1, 4))]
        imports = "".join(dict.fromkeys("".join(i for _, i in parts).splitlines(True)))
        check(imports + "\n".join(code for code, _ in parts) + "\n")

    run()


def test_notebooks(search: Callable[[int], settings]) -> None:
    """The same programs cut into notebook cells (a statement may be cut in two)."""

    @search(15)
    @given(SEEDS)
    def run(seed: int) -> None:
        rng = random.Random(seed)
        source = insert_snippets(rng.choice(FIXTURE_SOURCES), rng, rng.randint(1, 3))
        check_notebook(notebook(source, rng))

    run()


@pytest.mark.parametrize(
    "path", sorted(REGRESSIONS.glob("*.py.txt")), ids=lambda p: p.name.removesuffix(".py.txt")
)
def test_regression(path: Path) -> None:
    check(path.read_bytes())


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\n\n",
        "import dask\n" + "(" * 200 + ")" * 200 + "\n",
        "import dask\nx = " + " + ".join(["1"] * 3000) + "\n",
        "import dask\r\nx.compute(scheduler='processes')\r\n",
        "\ufeffimport dask\nx.compute(scheduler='processes')\n",
        "import dask\n\x00\n",
        "# -*- coding: latin-1 -*-\nimport dask\ns = '\xe9'\n",
    ],
)
def test_hostile_inputs(source: str) -> None:
    raw = source.encode("latin-1") if "latin-1" in source else source.encode("utf-8")
    check(raw)


def test_new_locals_finds_a_name_made_local() -> None:
    """The properties themselves can fail: a global read turned into a local, a closure
    name turned into a local and a class attribute added are all found."""
    before = b"x = 1\ndef f():\n    x.persist()\ndef g(y):\n    def h():\n        y.persist()\n"
    after = (
        b"x = 1\ndef f():\n    x = x.persist()\ndef g(y):\n    def h():\n        y = y.persist()\n"
    )
    assert sorted(new_locals(before, after)) == ["function:f#0: x", "function:g#0/function:h#0: y"]
    assert new_locals(b"class C:\n    x.persist()\n", b"class C:\n    x = x.persist()\n") == [
        "class:C#0: x"
    ]
    declared = b"x = 1\ndef f():\n    global x\n    x = x.persist()\n"
    assert new_locals(b"x = 1\ndef f():\n    global x\n    x.persist()\n", declared) == []


def test_try_statement_counts_see_a_merge() -> None:
    before = b"try:\n    a = x.compute()\n    if a:\n        b = y.compute()\nexcept E:\n    pass\n"
    after = before.replace(b"y.compute()\n", b"y.compute()\n        c = 1\n")
    assert try_statement_counts(before) == [3]
    assert try_statement_counts(after) == [4]
    merged = b"try:\n    a, b = dask.compute(x, y)\nexcept E:\n    pass\n"
    assert try_statement_counts(merged) == [1]


def test_reserved_defaults_counts_keywords_dask_fills_in() -> None:
    source = (
        b"f = lambda b, block_id=block_id: b\ndef g(df, *, partition_info=None, scale=2): pass\n"
    )
    assert reserved_defaults(source) == 2
    assert reserved_defaults(b"f = lambda b, block_id: b\n") == 0


def test_internal_error_fails_the_property(monkeypatch: pytest.MonkeyPatch) -> None:
    """A DSK003 internal-error diagnostic is a failure of the property, in a module and
    in a notebook, although linting returns normally."""
    from dasklint.rules.schedulers.legacy_scheduler_spelling import LegacySchedulerSpelling

    def boom(self: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(LegacySchedulerSpelling, "finish", boom)
    source = "import dask\ndask.compute(1, scheduler='multiprocessing')\n"
    with pytest.raises(AssertionError, match="DSK003"):
        check(source)
    with pytest.raises(AssertionError, match="DSK003"):
        check_notebook(notebook(source, random.Random(0)))
