"""Generated and mutated programs never make the linter raise or fail a file.

Bounded so the suite stays fast; ``DASKLINT_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py``
runs a longer search.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import hypothesmith
import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dasklint.config.settings import Settings
from dasklint.engine.linter import lint_source

EXAMPLES = int(os.environ.get("DASKLINT_FUZZ_EXAMPLES", "60"))
FILE_SETTINGS = Settings(root=Path("/nonexistent"), layers=()).for_file(Path("/nonexistent/f.py"))
PREAMBLE = "import dask\nfrom dask import delayed\nfrom distributed import Client\n"
DASK_SNIPPETS = [
    'dask.compute(x, scheduler="processes")',
    'x.compute(scheduler="multiprocessing", chunksize=-1)',
    'with dask.config.set(scheduler="sync"):\n    pass',
    "client = Client()",
    "delayed(f)(*[delayed(g)(i) for i in range(3)])",
    'dask.config.set({"scheduler": "threads"})',
]
_FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _check(source: str) -> None:
    result = lint_source(source.encode("utf-8", "surrogatepass"), "fuzz.py", FILE_SETTINGS)
    assert result.error is None, result.error
    for diagnostic in result.diagnostics:
        assert diagnostic.location.row >= 1 and diagnostic.location.column >= 1


@_FUZZ
@given(hypothesmith.from_grammar())
def test_grammar_generated_programs(source: str) -> None:
    _check(PREAMBLE + source)


@_FUZZ
@given(hypothesmith.from_node())
def test_node_generated_programs(source: str) -> None:
    _check(PREAMBLE + source)


FIXTURE_SOURCES = [p.read_text(errors="replace") for p in sorted(FIXTURES.rglob("*.py"))]


@_FUZZ
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_mutated_fixtures(seed: int) -> None:
    rng = random.Random(seed)
    lines = rng.choice(FIXTURE_SOURCES).splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        action = rng.randrange(3)
        at = rng.randrange(len(lines) + 1)
        if action == 0 and lines:
            del lines[min(at, len(lines) - 1)]
        elif action == 1 and lines:
            lines.insert(at, lines[rng.randrange(len(lines))])
        else:
            indent = " " * rng.choice([0, 4, 8])
            snippet = rng.choice(DASK_SNIPPETS).replace("\n", "\n" + indent)
            lines.insert(at, indent + snippet + "\n")
    _check("".join(lines))


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
    result = lint_source(raw, "hostile.py", FILE_SETTINGS)
    assert result.error is None, result.error
