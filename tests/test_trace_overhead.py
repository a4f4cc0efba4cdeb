"""The tracing-overhead benchmark (benchmarks/trace_overhead.py) on tiny fake programs:
plain and traced runs interleaved, ratios reported with the load, and no ratio at all
when a pair started on a busy machine. Nothing here is timed against a limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT
from programs import load_script

OVERHEAD = load_script(ROOT / "benchmarks" / "trace_overhead.py", "trace_overhead")


def _item(tmp_path: Path) -> object:
    """A program without Dask that prints the impact programs' result line."""
    path = tmp_path / "fake.py"
    path.write_text(f"print({json.dumps({'result': [1, 2]})!r})\n")
    program = OVERHEAD.IMPACT.Program("fake", None, "a fake program", "", "")
    return OVERHEAD.Measured(program, path)


def _load_average(monkeypatch: pytest.MonkeyPatch, load: float) -> None:
    monkeypatch.setattr(OVERHEAD.IMPACT.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(OVERHEAD.IMPACT.time, "sleep", lambda seconds: None)


def test_plain_and_traced_runs_give_both_ratios_with_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_average(monkeypatch, 0.25)
    item = _item(tmp_path)
    OVERHEAD.run_pairs([item], 2, quick=False, max_load=1.0, patience=0)
    assert len(item.plain) == len(item.traced) == len(item.inside) == 2
    assert all(r["result"] == [1, 2] for r in item.plain + item.traced)
    assert item.traced[0]["evidence"]["computations"] == 0  # it ran under trace
    total, inside = OVERHEAD.ratios(item)
    assert total > 0 and inside > 0
    # The traced run's processes include trace's own, which imports and runs the linter.
    extra = OVERHEAD.extra_cpu(item)
    assert all(r["cpu"] > 0 for r in item.plain + item.traced) and extra > 0
    lines, status = OVERHEAD.report([item], gate=True)
    row = next(line for line in lines if line.startswith("| fake"))
    assert f"| {total:.3f}x | {inside:.3f}x | {extra:+.2f} s | 0.25-0.25 | identical |" in row
    pairs = OVERHEAD.pair_ratios(item)
    assert len(pairs) == 2 and min(pairs) <= total <= max(pairs)
    assert row.endswith(f"| {min(pairs):.2f}-{max(pairs):.2f} |")
    verdict = lines[-1]
    assert verdict.startswith(f"tracing overhead (total wall time): median {total:.3f}x")
    assert status == (0 if total <= OVERHEAD.GOAL else 1)


def test_no_ratio_is_reported_from_a_busy_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_average(monkeypatch, 7.5)
    item = _item(tmp_path)
    OVERHEAD.run_pairs([item], 1, quick=False, max_load=1.0, patience=0)
    assert item.busy and OVERHEAD.ratios(item) is None
    lines, status = OVERHEAD.report([item], gate=True)
    assert status == 2
    assert "busy: not reported" in lines[2] and "| 7.50-7.50 |" in lines[2]
    assert lines[-1] == "not reported: the machine was busy during fake"
    assert not any("tracing overhead" in line for line in lines)
