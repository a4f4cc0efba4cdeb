"""A fix's imports are added and removed as libcst's ``AddImportsVisitor`` and
``RemoveImportsVisitor`` do over the whole module, for the cases that decide where an
import goes and whether it is still used; the visitors only do less work
(:mod:`dasklint.engine.fix.imports`). One difference, on purpose: an import read before it
at module level (a loop reads it on its next turn) is kept. Every fix every fixture gets
is compared too, in ``test_fix_text_edits`` (which lints them)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from dasklint.engine.fix import imports
from dasklint.fix import ImportSpec


def libcst_whole_module(
    module: cst.Module, adds: Sequence[ImportSpec], removes: Sequence[ImportSpec]
) -> cst.Module:
    """The visitors as libcst documents them: each over the whole module."""
    context = CodemodContext()
    for spec in adds:
        AddImportsVisitor.add_needed_import(context, spec.module, spec.name, spec.alias)
    for spec in removes:
        RemoveImportsVisitor.remove_unused_import(context, spec.module, spec.name, spec.alias)
    if adds:
        module = AddImportsVisitor(context).transform_module(module)
    if removes:
        module = RemoveImportsVisitor(context).transform_module(module)
    return module


def _same_as_libcst(
    source: str, adds: Sequence[ImportSpec] = (), removes: Sequence[ImportSpec] = ()
) -> str:
    module = cst.parse_module(source)
    ours = imports.add_and_remove(module, adds, removes).code
    assert ours == libcst_whole_module(module, adds, removes).code
    return ours


CLIENT = ImportSpec("dask.distributed", "Client")
EXECUTOR = ImportSpec("distributed", "Executor")
THREADED = ImportSpec("dask.threaded")

PLACES = {
    "after the top imports": "import os\nimport dask\n\nx = dask.delayed(1)\nimport sys\n",
    "after a docstring": '"""Doc."""\nimport dask\nx = 1\n',
    "docstring only": '"""Doc."""\n',
    "strict flag": "__strict__ = True\nimport dask\n# comment\nx = 1\n",
    "only imports": "import os\nfrom dask.distributed import wait\n",
    "merged into a from-import": "from dask.distributed import wait\n\nwait([])\n",
    "already imported": "from dask.distributed import Client\nClient()\n",
    "star import": "from dask.distributed import *\nx = 1\n",
    "no imports": "x = 1\ny = 2\n",
    "empty": "",
    "comment first": "# a comment\n\nimport dask\n\n\ndef f():\n    pass\n",
    "future import": "from __future__ import annotations\nimport dask\nx: int = 1\n",
    "crlf": "import dask\r\n\r\nx = 1\r\n",
    "no final newline": "import dask\nx = 1",
    "import in a function": "def f():\n    import dask\n    return dask\n",
}


@pytest.mark.parametrize("source", PLACES.values(), ids=list(PLACES))
@pytest.mark.parametrize(
    "adds",
    [[CLIENT], [THREADED], [ImportSpec("dask", "delayed", "lazy")], [CLIENT, THREADED]],
    ids=["from", "module", "alias", "two"],
)
def test_added_where_libcst_adds_them(source: str, adds: list[ImportSpec]) -> None:
    _same_as_libcst(source, adds=adds)


USES = {
    "unused": ("from distributed import Executor\nx = 1\n", True),
    "read at module level": ("from distributed import Executor\nExecutor()\n", False),
    "read in a function": ("from distributed import Executor\ndef f():\n    Executor()\n", False),
    "read in a comprehension": (
        "from distributed import Executor\nx = [Executor for _ in range(2)]\n",
        False,
    ),
    "read in a class body": (
        "from distributed import Executor\nclass A:\n    e = Executor\n",
        False,
    ),
    "a function's own name": (
        "from distributed import Executor\ndef f(Executor):\n    return Executor\n",
        True,
    ),
    "a local of the same name": (
        "from distributed import Executor\ndef f():\n    Executor = 1\n    return Executor\n",
        True,
    ),
    "an enclosing function's name": (
        "from distributed import Executor\ndef f():\n    Executor = 1\n"
        "    def g():\n        return Executor\n    return g\n",
        True,
    ),
    "declared global and read": (
        "from distributed import Executor\ndef f():\n    global Executor\n    return Executor\n",
        False,
    ),
    "exported": ('from distributed import Executor\n__all__ = ["Executor"]\n', False),
    "in a string annotation": ('from distributed import Executor\nx: "Executor"\n', False),
    "in an annotation": ("from distributed import Executor\nx: Executor\n", False),
    "deferred annotation": (
        "from __future__ import annotations\nfrom distributed import Executor\n"
        "def f(x: Executor) -> None:\n    pass\n",
        False,
    ),
    "in a try": (
        "try:\n    from distributed import Executor\nexcept ImportError:\n"
        "    Executor = None\nExecutor\n",
        False,
    ),
    "in a function, read there": (
        "def f():\n    from distributed import Executor\n    return Executor()\n",
        False,
    ),
    "in a function, unused": (
        "def f():\n    from distributed import Executor\n    return 1\n",
        True,
    ),
    "among others": (
        "from distributed import Client, Executor, wait\nClient(); wait([])\n",
        True,
    ),
    "another name of the same module": ("from distributed import Client\nClient()\n", False),
    "relative": ("from . import Executor\nExecutor\n", False),
    "star": ("from distributed import *\nExecutor\n", False),
    # libcst counts no read in `x += 1`: removed, as libcst does.
    "augmented at module level": ("from distributed import Executor\nExecutor += 1\n", True),
    "deleted": ("from distributed import Executor\ndel Executor\n", False),
}


# libcst's scope analysis counts a read at module level only after the import; Python
# runs a loop's body again, so the import is needed there. Such an import is kept.
READ_BEFORE = {
    "at module level": "Executor\nfrom distributed import Executor\n",
    "in a loop": "for i in range(2):\n    if i:\n        Executor()\n"
    "    from distributed import Executor\n",
}


@pytest.mark.parametrize("source", READ_BEFORE.values(), ids=list(READ_BEFORE))
def test_an_import_read_before_it_at_module_level_is_kept(source: str) -> None:
    module = cst.parse_module(source)
    assert imports.add_and_remove(module, [], [EXECUTOR]).code == source
    assert libcst_whole_module(module, [], [EXECUTOR]).code != source


DOTTED = {
    "package read": ("import dask\nimport dask.threaded\ndask.compute()\n", False),
    "submodule read": ("import dask.threaded\ndask.threaded.get({}, [])\n", False),
    "unread": ("import dask.threaded\nx = 1\n", True),
    "only the package imported": ("import dask\ndask.compute()\n", False),
    "aliased": ("import dask.threaded as th\nth.get\n", False),
    "alias unread": ("import dask.threaded as th\nx = 1\n", False),
}


REMOVALS = [
    *((EXECUTOR, source, removed, name) for name, (source, removed) in USES.items()),
    *((THREADED, source, removed, f"dotted, {name}") for name, (source, removed) in DOTTED.items()),
]


@pytest.mark.parametrize(
    "spec,source,removed", [r[:3] for r in REMOVALS], ids=[r[3] for r in REMOVALS]
)
def test_removed_where_libcst_removes_them(spec: ImportSpec, source: str, removed: bool) -> None:
    after = _same_as_libcst(source, removes=[spec])
    assert (after != source) is removed


def test_a_read_import_is_kept_without_libcsts_scope_analysis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def must_not_run(*_: Any) -> cst.Module:
        raise AssertionError("the removal visitor ran")

    monkeypatch.setattr(imports, "_remove", must_not_run)
    module = cst.parse_module("from distributed import Executor\ndef f():\n    Executor()\n")
    assert imports.add_and_remove(module, [], [EXECUTOR]) is module


def test_the_adding_visitor_sees_only_the_top_imports_and_the_next_statement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    transform = AddImportsVisitor.transform_module

    def spy(self: AddImportsVisitor, tree: cst.Module) -> cst.Module:
        seen.append(len(tree.body))
        return transform(self, tree)

    monkeypatch.setattr(AddImportsVisitor, "transform_module", spy)
    body = "".join(f"x{i} = {i}\n" for i in range(50))
    _same_as_libcst('"""Doc."""\nimport os\nimport dask\n' + body, adds=[CLIENT])
    assert seen == [4, 53]  # ours: the docstring, two imports, the next statement; libcst: all


def test_code_python_warns_about_or_refuses_leaves_the_decision_to_libcst(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An invalid escape sequence warns when Python reads it: no warning comes out.
    Code whose names Python refuses to resolve (a name assigned before its `global`
    declaration), libcst reads: it decides, and keeps the import it sees read."""
    warns = 'from distributed import Executor\nx = "\\d"\nExecutor()\n'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _same_as_libcst(warns, removes=[EXECUTOR]) == warns
    assert not [w for w in caught if "escape" in str(w.message)]
    ran: list[str] = []
    remove = imports._remove

    def counted(module: cst.Module, removes: Sequence[ImportSpec]) -> cst.Module:
        ran.append(module.code)
        return remove(module, removes)

    monkeypatch.setattr(imports, "_remove", counted)
    refused = "from distributed import Executor\nExecutor()\ndef f():\n    x = 1\n    global x\n"
    assert _same_as_libcst(refused, removes=[EXECUTOR]) == refused
    assert ran == [refused]
