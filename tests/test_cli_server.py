"""``dasklint server`` without the optional LSP dependencies: a clear hint and exit 2."""

from __future__ import annotations

import importlib.util

import pytest
from cli_support import run


def test_server_without_pygls_explains_and_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name in ("pygls", "lsprotocol") else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    result = run("server")
    assert result.exit_code == 2
    assert "pip install 'dasklint[lsp]'" in result.stderr
    assert result.stdout == ""
