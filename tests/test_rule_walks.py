"""Rules ask the semantic model; only a fix may walk a subtree itself.

A rule module that walks the syntax tree (libcst's visitors and transformers, ``.visit``,
or the traversals of :mod:`dasklint.semantic.tree` and ``semantic.flow.preorder``)
recomputes what the model could hold for every rule. The modules below may still walk,
each for the reason given; a new walking rule module fails here until its walk becomes a
model question or is listed with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

RULES = Path(__file__).resolve().parent.parent / "dasklint" / "rules"

# Names that walk a subtree, by the module that defines them.
WALKERS = {
    "dasklint.semantic.tree": {
        "walk_subtree", "iter_children", "children", "significant_nodes", "parent_table",
    },
    "dasklint.semantic.flow": {"preorder"},
}  # fmt: skip
VISITOR_BASES = {"CSTVisitor", "CSTTransformer"}

FIX_ONLY = "its walks only build or check the fix's rewrite"
ALLOWED: dict[str, str] = {
    "_local_cluster.py": FIX_ONLY + " (a CSTTransformer re-indents the moved statements)",
    "_main_guard.py": FIX_ONLY + " (which statements move under the `__main__` guard)",
    "dependencies/_folds.py": FIX_ONLY + " (a loop variable read outside the rewritten loop)",
    "delayed/sequential_computes.py": FIX_ONLY + " (a receiver that calls nothing may move)",
    "delayed/large_input_in_every_task.py": FIX_ONLY + " (a CSTTransformer renames the uses)",
    "lifecycle/client_not_closed.py": FIX_ONLY + " (the `with` block keeps every use)",
    "futures/get_client_without_secede.py": FIX_ONLY + " (the name is bound once in the body)",
    "futures/submit_in_loop.py": FIX_ONLY + " (the list is not read after the loop; comments)",
}


def walks(source: str) -> list[str]:
    """How a module's source walks a subtree, one entry per way."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in WALKERS:
            found.update(a.name for a in node.names if a.name in WALKERS[node.module])
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if name in VISITOR_BASES:
                    found.add(name)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "visit"
        ):
            found.add(".visit()")
    return sorted(found)


def walking_modules(root: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        how = walks(path.read_text(encoding="utf-8"))
        if how:
            found[path.relative_to(root).as_posix()] = how
    return found


def test_only_listed_rule_modules_walk_the_tree() -> None:
    found = walking_modules(RULES)
    unlisted = {module: how for module, how in found.items() if module not in ALLOWED}
    assert not unlisted, (
        f"rule modules that walk the tree themselves: {unlisted}; ask the semantic model "
        "(dasklint/semantic) instead, or list the module in ALLOWED with its reason"
    )


def test_every_listed_module_still_walks() -> None:
    found = walking_modules(RULES)
    stale = sorted(module for module in ALLOWED if module not in found)
    assert not stale, f"no longer walk the tree, remove from ALLOWED: {stale}"


def test_the_detector_sees_each_way_of_walking() -> None:
    source = (
        "import libcst as cst\n"
        "from dasklint.semantic.tree import walk_subtree, read_names\n"
        "from dasklint.semantic.flow import preorder, reads\n"
        "class _Rename(cst.CSTTransformer): pass\n"
        "new = statement.visit(_Rename())\n"
    )
    assert walks(source) == [".visit()", "CSTTransformer", "preorder", "walk_subtree"]
    assert walks("from dasklint.semantic.flow import reads\nx = reads(node)\n") == []
