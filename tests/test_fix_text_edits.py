"""A fix's text edits computed from the statements it changes equal those computed by
applying the fix to the whole module and comparing, for every fix every fixture gets."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from conftest import FIXTURES, ROOT
from test_fix_imports import libcst_whole_module

from dasklint import registry
from dasklint.config.settings import FileSettings
from dasklint.diagnostics import Applicability, apply_text_edits
from dasklint.engine.fix.apply import replace_in
from dasklint.engine.fix.describe import statement_edits, whole_module_edits
from dasklint.engine.fix.imports import add_and_remove
from dasklint.engine.lint.linter import lint_parsed
from dasklint.engine.lint.positions import locate
from dasklint.fix import Fix

SOURCES = [p for p in sorted(FIXTURES.rglob("*.py")) if "DSK001" not in p.parts]
SETTINGS = FileSettings(
    enabled=frozenset(rule.code for rule in registry.all_rules()), fix_edits=True
)


def _fixes(path: Path) -> tuple[cst.Module, list[Fix]]:
    source = path.read_bytes()
    try:
        module = cst.parse_module(source)
    except (cst.ParserSyntaxError, SyntaxError, LookupError, UnicodeDecodeError):
        pytest.skip("not parsed by libcst (a fixture of DSK001 or DSK002)")
    _, pairs = lint_parsed(module, source, str(path), SETTINGS)
    return module, [fix for _, fix in pairs]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_statement_edits_equal_whole_module_edits(path: Path) -> None:
    """And a fix's imports are added and removed as libcst's visitors do over the whole
    module (``test_fix_imports``): the fixes are linted here, once."""
    module, fixes = _fixes(path)
    layout = locate(module, [edit.node for fix in fixes for edit in fix.edits])
    for fix in fixes:
        if fix.add_imports or fix.remove_imports:
            edited = replace_in(module, {id(edit.node): edit.replacement for edit in fix.edits})
            assert isinstance(edited, cst.Module)
            ours = add_and_remove(edited, fix.add_imports, fix.remove_imports)
            expected = libcst_whole_module(edited, fix.add_imports, fix.remove_imports)
            assert ours.code == expected.code, fix.title
        ours = statement_edits(module, fix, layout)
        if ours is None:
            continue
        whole = whole_module_edits(module, fix)
        assert apply_text_edits(module.code, ours) == apply_text_edits(module.code, whole)
        assert ours == whole


SAMPLES = {
    "no final newline": "import dask\nx = dask.compute(a, scheduler='processes')",
    "only statement": "dask.compute(a, scheduler='processes')\n",
    "crlf": "import dask\r\n\r\nx = 1\r\ny = dask.compute(a, scheduler='processes')\r\n",
    "nested": "import dask\nclass A:\n    def f(self):\n"
    "        return dask.compute(a, scheduler='processes')\n# end\n",
}


@pytest.mark.parametrize("source", SAMPLES.values(), ids=list(SAMPLES))
def test_statement_edits_at_the_module_edges(source: str) -> None:
    module = cst.parse_module(source)
    call = module.body[-1]
    replacement = cst.parse_statement("y = 2\n")
    fix = Fix.replace("t", Applicability.SAFE, call, replacement)
    layout = locate(module, [call])
    ours = statement_edits(module, fix, layout)
    whole = whole_module_edits(module, fix)
    if ours is not None:
        assert ours == whole
    assert apply_text_edits(module.code, whole) != module.code
