"""dasklint's modules import only downward through its layers, and no group of modules
imports itself in a circle.

Every ``import`` and ``from ... import`` statement of every module counts: at module
level, inside functions (imports deferred so that a run served from the cache stays
cheap) and under ``if TYPE_CHECKING:`` (a type named from a higher layer is still a
dependency on it). The graph is read with :mod:`ast`; nothing is imported.

The layers, top to bottom (a module may import its own layer's other groups and any
layer below, never one above):

1. faces: ``cli`` (the command line), ``server`` (the editor server) and ``trace`` (the
   runtime tracer, started from ``cli``);
2. ``api``: the one lint and fix path the faces share;
3. ``engine``: running many files, linting one file, fixing;
4. ``config``: settings per file; above the rules and formats because it checks
   selectors against the rule registry and format names against the format records;
5. rules and output formats: ``rules``, ``output``, ``registry`` (the code table),
   ``ruledocs``, ``rule`` (the rule base class) and ``fix`` (what a rule's fix is);
6. ``semantic``: the model every rule asks;
7. foundation: ``notebook`` (cells and JSON of a notebook), ``noqa`` (the comment's
   grammar), ``diagnostics`` and the small modules every layer shares.

A group is a top-level module or package of ``dasklint``. No groups import one another
in a circle, and no modules do either, inside a group or across groups: a module that
needs what another module needs from it has that piece moved below both (the semantic
model's analyses, which the model builds, name what they ask of it through the protocol
in ``semantic/queries.py``, not the model). Faces reach the engine only through ``api``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dasklint"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli", "server", "trace", "__main__"),
    ("api",),
    ("engine",),
    ("config",),
    ("rules", "output", "registry", "ruledocs", "rule", "fix"),
    ("semantic",),
    (
        "notebook",
        "noqa",
        "diagnostics",
        "errors",
        "columns",
        "dask_version",
        "limits",
        "recursion",
        "sourcefiles",
        "prefilter",
        "__init__",
    ),
)
FACES = LAYERS[0]


def module_names(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    names: dict[str, Path] = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _imported(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The dotted names an import statement names (a module, or a module's attribute)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        parts = module.split(".")
        if not is_package:
            parts.pop()
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    for alias in node.names:
        yield f"{base}.{alias.name}"


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (by any import statement)."""
    names = module_names(package)
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in names.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _imported(module, is_package, node):
                while name and name not in names:
                    name = name.rpartition(".")[0]
                if name and name != module:
                    graph[module].add(name)
    return graph


def group_of(module: str) -> str:
    """``dasklint.engine.run.cache`` -> ``engine``; the package itself -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer_of(group: str) -> int:
    for level, groups in enumerate(LAYERS):
        if group in groups:
            return level
    raise AssertionError(f"group {group!r} is in no layer: add it to LAYERS")


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{source} -> {target}"
        for source, targets in graph.items()
        for target in targets
        if layer_of(group_of(target)) < layer_of(group_of(source))
    )


def strong_components(edges: dict[str, set[str]]) -> list[list[str]]:
    """The nodes that reach one another through ``edges`` (Tarjan's strongly connected
    components of more than one node), each sorted, in a stable order."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in order:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], order[other])
        if low[node] == order[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in order:
            visit(node)
    return sorted(found)


def group_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups that import one another in a circle."""
    edges: dict[str, set[str]] = defaultdict(set)
    for source, targets in graph.items():
        for target in targets:
            if group_of(source) != group_of(target):
                edges[group_of(source)].add(group_of(target))
    return strong_components(edges)


def module_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The modules that import one another in a circle, inside a group or across."""
    return strong_components(graph)


def face_engine_imports(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {
        source: found
        for source, targets in sorted(graph.items())
        if group_of(source) in FACES and (found := {t for t in targets if group_of(t) == "engine"})
    }


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(PACKAGE)


def test_every_group_has_a_layer(graph: dict[str, set[str]]) -> None:
    for module in module_names(PACKAGE):
        layer_of(group_of(module))


def test_no_module_imports_a_higher_layer(graph: dict[str, set[str]]) -> None:
    assert upward_imports(graph) == []


def test_no_groups_import_each_other_in_a_circle(graph: dict[str, set[str]]) -> None:
    assert group_cycles(graph) == []


def test_no_modules_import_each_other_in_a_circle(graph: dict[str, set[str]]) -> None:
    assert module_cycles(graph) == []


def test_faces_reach_the_engine_through_the_api(graph: dict[str, set[str]]) -> None:
    assert face_engine_imports(graph) == {}


def _write(root: Path, files: dict[str, str]) -> Path:
    package = root / "pkg"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package


def test_the_checks_see_upward_imports_in_functions_and_relative_imports(
    tmp_path: Path,
) -> None:
    package = _write(
        tmp_path,
        {
            "__init__.py": "",
            "api.py": "",
            "engine/__init__.py": "",
            "engine/linter.py": "",
            "notebook/__init__.py": "",
            "notebook/lint.py": "def lint():\n    from ..engine import linter\n",
            "semantic/__init__.py": "",
            "semantic/model.py": "from pkg import api\n",
        },
    )
    graph = import_graph(package)
    assert upward_imports(graph) == [
        "pkg.notebook.lint -> pkg.engine.linter",
        "pkg.semantic.model -> pkg.api",
    ]


def test_the_checks_see_a_cycle_through_type_checking_imports(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "__init__.py": "",
            "engine/__init__.py": "",
            "engine/runner.py": "from pkg.config import loader\n",
            "config/__init__.py": "",
            "config/loader.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg.engine.runner import Job\n"
            ),
        },
    )
    assert group_cycles(import_graph(package)) == [["config", "engine"]]


def test_the_checks_see_a_cycle_of_modules_inside_one_group(tmp_path: Path) -> None:
    """Through a function's import and a TYPE_CHECKING import alike; a group's cycle is
    not needed for a cycle of its modules."""
    package = _write(
        tmp_path,
        {
            "__init__.py": "",
            "engine/__init__.py": "",
            "engine/linter.py": "from . import notebook\n",
            "engine/notebook.py": "def lint():\n    from pkg.engine.linter import run\n",
            "engine/runner.py": "from pkg.engine import linter\n",
            "semantic/__init__.py": "",
            "semantic/model.py": "from pkg.semantic.receivers import Receivers\n",
            "semantic/receivers.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg.semantic.model import Model\n"
            ),
            "semantic/names.py": "from pkg.semantic import model\n",
        },
    )
    graph = import_graph(package)
    assert group_cycles(graph) == []
    assert module_cycles(graph) == [
        ["pkg.engine.linter", "pkg.engine.notebook"],
        ["pkg.semantic.model", "pkg.semantic.receivers"],
    ]
