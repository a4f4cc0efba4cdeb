"""What each path imports: start-up time is mostly imports, so the cheap paths must not
load what they do not use (libcst and the rules for a run served from the cache; the fix
machinery, what other output formats need to write, the server and Dask for a plain
check). Every format's module is imported to list the formats, so each keeps its heavy
imports inside ``render``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PROBE = """
import json, sys
from click.testing import CliRunner
from dasklint.cli.main import cli
result = CliRunner().invoke(cli, sys.argv[1:])
print(json.dumps({"exit": result.exit_code, "modules": sorted(sys.modules)}))
"""


def _modules(cwd: Path, *args: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return data["exit"], data["modules"]


def _loaded(modules: list[str], *names: str) -> list[str]:
    """The modules that are one of ``names`` or inside one of them."""
    return [m for m in modules if m in names or m.startswith(tuple(f"{n}." for n in names))]


def test_a_run_served_from_the_cache_imports_neither_libcst_nor_the_rules(
    tmp_path: Path,
) -> None:
    (tmp_path / "job.py").write_text('import dask\ndask.compute(1, scheduler="processes")\n')
    (tmp_path / "other.py").write_text("x = 1\n")
    cache = str(tmp_path / "cache")
    cold_exit, cold = _modules(tmp_path, "--isolated", "--cache-dir", cache, ".")
    warm_exit, warm = _modules(tmp_path, "--isolated", "--cache-dir", cache, ".")
    assert cold_exit == warm_exit == 1  # a finding, reported from the cache the second time
    assert "libcst" in cold
    assert _loaded(warm, "libcst", "dasklint.rules", "dasklint.semantic.model") == []


def test_a_check_imports_only_what_it_uses() -> None:
    _, modules = _modules(ROOT, "--isolated", "--no-cache", "fixtures/DSK101")
    unused = _loaded(
        modules,
        "dask",
        "distributed",
        "pygls",
        "lsprotocol",
        "libcst.codemod",
        "libcst.matchers",
        "dasklint.server",
        "dasklint.trace",  # the one command that runs a program
        "dasklint.engine.fix.loop",
        "dasklint.ruledocs",  # SARIF's rule help
        "xml",  # JUnit's escaping (xml.sax pulls in urllib.request and http)
        "http",
    )
    assert unused == []
