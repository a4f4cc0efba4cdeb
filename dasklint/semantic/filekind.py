"""What kind of file a module is, from its code: a program run on its own (a ``__main__``
block, or a demo script under ``tests/``) or a module that a test runner imports.

The test-file policy (``Rule.deliberate_in_tests``) starts from the path; a file under
``tests/`` that is really a script (``tests/demo.py`` with a module-level ``Client()``)
is linted as the program it is.
"""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node


def is_main_guard(node: cst.CSTNode) -> bool:
    """``if __name__ == "__main__":``"""
    if not isinstance(node, cst.If) or not isinstance(node.test, cst.Comparison):
        return False
    test = node.test
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = {_text(test.left), _text(test.comparisons[0].comparator)}
    return sides in ({"__name__", '"__main__"'}, {"__name__", "'__main__'"})


def _text(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    return node.value if isinstance(node, cst.SimpleString) else ""


def runs_as_script(module: cst.Module, filename: str) -> bool:
    """A file among the tests that is run as a program, not collected by a test runner:
    it has a ``__main__`` block (one that does not only start a test runner:
    ``unittest.main()``), or it defines no tests (no ``test*`` function, no ``Test*``
    class, is not a ``conftest.py``) and does things at module level for their effect
    (``print(...)``, a loop, a ``with`` block), as demo scripts do. A helper module that
    only binds names stays a module that the runner imports."""
    if filename.replace("\\", "/").rsplit("/", 1)[-1] == "conftest.py":
        return False
    statements = list(module.body)
    guards = [statement for statement in statements if is_main_guard(statement)]
    if guards:
        return not all(_starts_test_runner(guard) for guard in guards)
    effects = False
    for statement in statements:
        if isinstance(statement, cst.FunctionDef) and statement.name.value.startswith("test"):
            return False
        if isinstance(statement, cst.ClassDef) and statement.name.value.startswith("Test"):
            return False
        if isinstance(statement, (cst.For, cst.While, cst.With)):
            effects = True  # a loop or a block that runs when the file does
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                    effects = True
                if isinstance(small, (cst.Import, cst.ImportFrom)) and _imports_runner(small):
                    return False
    return effects


def _starts_test_runner(guard: cst.CSTNode) -> bool:
    """The guard's body calls ``unittest.main()`` or ``pytest.main(...)``."""
    assert isinstance(guard, cst.If)
    for statement in guard.body.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            value = small.value if isinstance(small, cst.Expr) else None
            if isinstance(value, cst.Call):
                name = get_full_name_for_node(value.func) or ""
                if name.split(".")[0] in ("unittest", "pytest") and name.endswith("main"):
                    return True
    return False


def _imports_runner(node: cst.Import | cst.ImportFrom) -> bool:
    if isinstance(node, cst.Import):
        names = [get_full_name_for_node(alias.name) or "" for alias in node.names]
    else:
        names = [get_full_name_for_node(node.module) or ""] if node.module is not None else []
    return any(name.split(".", 1)[0] in ("pytest", "unittest") for name in names)
