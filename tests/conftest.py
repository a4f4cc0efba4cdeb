"""Shared test configuration."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_addoption(parser: object) -> None:
    parser.addoption(  # type: ignore[attr-defined]
        "--update-fixed",
        action="store_true",
        default=False,
        help="Rewrite the fixtures' expected `.py.fixed` / `.py.unsafe-fixed` files for review.",
    )
