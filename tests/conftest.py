"""Shared test configuration."""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import dask
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def _let_python_write_bytecode() -> None:
    """With ``PYTHONDONTWRITEBYTECODE`` set, every interpreter the tests start (dasklint
    commands, servers, traced programs, the xdist workers themselves) compiles dasklint
    and the tests again, hundreds of times a run (the installed libraries came with their
    bytecode). The tests let Python write it, into the ``__pycache__`` folders it always
    uses (git-ignored). Done here, in the process that starts the xdist workers, before
    it starts them."""
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None):
        sys.dont_write_bytecode = False


_let_python_write_bytecode()

# Fixtures that no parser accepts by design: syntax errors (DSK001), an unknown coding
# cookie (DSK002) and the removed
# `dask.async` module, whose name is a keyword since Python 3.7 (DSK1003).
UNPARSEABLE_FIXTURES = ("DSK001", "DSK002", "DSK1003")


def parseable_fixtures() -> list[Path]:
    """Every fixture module libcst is expected to parse, in a stable order: not the
    unparseable folders, nor `.py` files written with IPython lines (`%time`), which are
    linted with those lines masked."""
    return [
        path
        for path in sorted(FIXTURES.rglob("*.py"))
        if not any(part in UNPARSEABLE_FIXTURES for part in path.parts) and _python(path)
    ]


def _python(path: Path) -> bool:
    try:
        ast.parse(path.read_bytes())
    except SyntaxError:
        return False
    return True


sys.path.insert(0, str(Path(__file__).resolve().parent))

from programs import CountingScheduler  # noqa: E402  (tests/ is on the path from here on)


@pytest.fixture
def counting_scheduler() -> Iterator[CountingScheduler]:
    """Every computation in the test runs on a scheduler that counts them."""
    counting = CountingScheduler()
    with dask.config.set(scheduler=counting):
        yield counting


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` (tens of seconds each on a busy machine) run first: under
    pytest-xdist they then overlap the many short tests instead of one of them finishing
    last while the other workers have nothing left. The sort is stable: a module keeps
    its order, and its slow tests stay together."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_addoption(parser: object) -> None:
    parser.addoption(  # type: ignore[attr-defined]
        "--update-fixed",
        action="store_true",
        default=False,
        help="Rewrite the fixtures' expected `.py.fixed` / `.py.unsafe-fixed` files for review.",
    )
    parser.addoption(  # type: ignore[attr-defined]
        "--update-readme",
        action="store_true",
        default=False,
        help="Rewrite the output of the README's console examples with what the tool prints.",
    )
    parser.addoption(  # type: ignore[attr-defined]
        "--fuzz-examples",
        type=int,
        default=0,
        help="Examples per fuzz search in tests/test_fuzz.py (default: a few seconds' worth).",
    )
