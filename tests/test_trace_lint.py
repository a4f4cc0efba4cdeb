"""`dasklint trace` finds the static findings of the files a program ran: from
`dasklint check`'s cache when those files are unchanged, which it reads and never writes
(trace writes only its report)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import PROCESSES, run, write

from dasklint import api
from dasklint.cli import trace as trace_cli
from dasklint.engine.run.cache import Cache


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_trace_serves_checked_files_from_the_cache_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"job.py": PROCESSES})
    checked = run("check")
    assert checked.exit_code == 1
    cache_dir = tmp_path / ".dasklint_cache"
    before = snapshot(cache_dir)
    assert before
    opened: list[Cache] = []
    open_cache = api.open_cache

    def spy(*args: object, **kwargs: object) -> Cache:
        cache = open_cache(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(cache)
        return cache

    monkeypatch.setattr(api, "open_cache", spy)
    found, errors = trace_cli._lint([tmp_path / "job.py"])
    assert not errors
    assert [d.code for _, d in found] == ["DSK101"]
    assert found[0][0] == str(tmp_path / "job.py")
    assert [c.stats.hits for c in opened] == [["job.py"]]
    assert snapshot(cache_dir) == before


def test_trace_lints_a_changed_file_without_writing_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"job.py": PROCESSES})
    run("check")
    cache_dir = tmp_path / ".dasklint_cache"
    before = snapshot(cache_dir)
    (tmp_path / "job.py").write_text(PROCESSES + "\nprint('changed')\n")
    found, errors = trace_cli._lint([tmp_path / "job.py"])
    assert not errors and [d.code for _, d in found] == ["DSK101"]
    assert snapshot(cache_dir) == before
