"""Adding and removing a fix's imports with libcst's codemod visitors, doing only the work
that can change their result.

libcst's ``AddImportsVisitor`` and ``RemoveImportsVisitor`` each walk the whole module,
the second after a scope analysis of it (several more walks); each of their visitors
costs several milliseconds to build (libcst's matcher visitors, Instagram/LibCST#880).
Describing a fix that adds or removes imports (``--output-format json``, ``full``,
``sarif``) applies it alone, so this cost was paid once per such finding. Two facts keep
the result the visitors' own at a fraction of the cost:

- ``AddImportsVisitor`` reads and changes only the import block at the top of the module
  (after a docstring) and the first statement after it (an empty line before it): it
  runs on those statements alone, and the rest of the module is put back after them.
- ``RemoveImportsVisitor`` removes an import only when nothing uses it. When Python's own
  scoping (the standard library's ``symtable``) shows that the name an import binds at
  module level is still read somewhere that resolves to the module's names, the import
  stays, and the visitor is not run for it; libcst decides every other case. The two
  differ only where libcst's order of statements says unused and Python does not: a
  read before the import at module level (in a loop, the next turn reads it) keeps it.
"""

from __future__ import annotations

import ast
import symtable
import warnings
from collections.abc import Iterator, Sequence

import libcst as cst
import libcst.matchers as m

from dasklint.fix import ImportSpec
from dasklint.recursion import default_recursion_limit

_IMPORT_LINE = m.SimpleStatementLine(body=[m.ImportFrom() | m.Import()])
_FIRST_TO_KEEP = m.SimpleStatementLine(
    body=[m.Assign(targets=[m.AssignTarget(target=m.Name("__strict__"))])]
) | m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString())])


def add_and_remove(
    module: cst.Module, adds: Sequence[ImportSpec], removes: Sequence[ImportSpec]
) -> cst.Module:
    """``module`` with ``adds`` imported (no duplicates) and then ``removes`` removed where
    nothing uses them: libcst's ``AddImportsVisitor`` then ``RemoveImportsVisitor``."""
    if adds:
        module = _add(module, adds)
    removes = _not_seen_read(module, removes) if removes else []
    if removes:
        module = _remove(module, removes)
    return module


def _add(module: cst.Module, adds: Sequence[ImportSpec]) -> cst.Module:
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    context = CodemodContext()
    for spec in adds:
        AddImportsVisitor.add_needed_import(context, spec.module, spec.name, spec.alias)
    end = _top_import_block_end(module)
    # The block and the statement after it: all the visitor reads or changes.
    head = module.with_changes(body=module.body[: end + 1])
    head = AddImportsVisitor(context).transform_module(head)
    return module.with_changes(body=(*head.body, *module.body[end + 1 :]))


def _top_import_block_end(module: cst.Module) -> int:
    """The index of the first statement after the imports at the top of ``module`` (after
    a docstring or ``__strict__`` flag), as ``AddImportsVisitor`` finds it: it adds its
    imports there, and puts an empty line before that statement."""
    body = module.body
    start = 1 if body and m.matches(body[0], _FIRST_TO_KEEP) else 0
    end = start
    while end < len(body) and m.matches(body[end], _IMPORT_LINE):
        end += 1
    return end


def _remove(module: cst.Module, removes: Sequence[ImportSpec]) -> cst.Module:
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import RemoveImportsVisitor

    context = CodemodContext()
    for spec in removes:
        RemoveImportsVisitor.remove_unused_import(context, spec.module, spec.name, spec.alias)
    return RemoveImportsVisitor(context).transform_module(module)


def _not_seen_read(module: cst.Module, removes: Sequence[ImportSpec]) -> list[ImportSpec]:
    """The imports of ``removes`` that Python's scoping does not show read (the code is
    read once for all of them); all of them when Python cannot read the code."""
    code = module.code
    try:
        # Quietly (invalid escape sequences warn), with the recursion limit the standard
        # library's parser was made for (the linter raises it for libcst).
        with warnings.catch_warnings(), default_recursion_limit():
            warnings.simplefilter("ignore")
            tree = ast.parse(code)
            table = symtable.symtable(code, "<fix>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return list(removes)
    return [spec for spec in removes if not _still_used(tree, table, spec)]


def _still_used(tree: ast.Module, table: symtable.SymbolTable, spec: ImportSpec) -> bool:
    """Whether every import ``spec`` names is at module level and the name it binds is
    read where Python resolves it to the module's names. False when that cannot be told
    this way (libcst's visitor then decides)."""
    # `import a.b` binds `a`: libcst keeps it while any import binding `a` is read.
    bound = spec.alias or spec.name or spec.module.partition(".")[0]
    matching = list(_matching_imports(tree, spec))
    if not matching or not all(matching):
        return False
    return _read_as_global(table, bound, top=True)


def _matching_imports(tree: ast.Module, spec: ImportSpec) -> Iterator[bool]:
    """For each import in ``tree`` that ``spec`` names (as libcst's visitor matches them):
    whether it is at module level (not in a function, class or lambda)."""
    stack: list[tuple[ast.AST, bool]] = [(tree, True)]
    while stack:
        node, at_module_level = stack.pop()
        if _names(node, spec):
            yield at_module_level
        scoped = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            stack.append((child, at_module_level and not scoped))


def _names(node: ast.AST, spec: ImportSpec) -> bool:
    """Whether the import statement ``node`` imports what ``spec`` names."""
    if isinstance(node, ast.Import) and spec.name is None:
        return any(a.name == spec.module and a.asname == spec.alias for a in node.names)
    if isinstance(node, ast.ImportFrom) and spec.name is not None:
        # A relative import is never matched: libcst cannot tell its module here either.
        return (
            node.level == 0
            and node.module == spec.module
            and any(a.name == spec.name and a.asname == spec.alias for a in node.names)
        )
    return False


def _read_as_global(table: symtable.SymbolTable, name: str, *, top: bool) -> bool:
    try:
        symbol = table.lookup(name)
    except KeyError:
        symbol = None
    if symbol is not None and symbol.is_referenced() and (top or symbol.is_global()):
        return True
    return any(_read_as_global(child, name, top=False) for child in table.get_children())
