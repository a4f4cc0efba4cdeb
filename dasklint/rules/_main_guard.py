"""The ``if __name__ == "__main__":`` fix: which module-level statements move under the
guard, and which definitions stay above it.

Scripts written like tutorials mix computations and definitions at module level
(``print(bag.map(inc).compute())``, then ``def double(x): ...``, then another computation).
Worker processes started with ``spawn`` import the script again, and must still find every
function and class there, so definitions after the first computation stay at module
level, above the new guard, and only the other statements move. A definition may only
run earlier than it did when nothing it evaluates on definition (decorators, defaults,
annotations, base classes, a class body) reads a name the moved statements bind, and when
no moved statement before it reads or binds the name it defines (it would see the
definition too early).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst
from libcst.helpers import parse_template_statement

from dasklint.fix import Fix, unsafe
from dasklint.rules._local_cluster import _split_blank_lines, _unindent_blank_lines
from dasklint.semantic.origin import is_main_guard
from dasklint.semantic.tree import iter_children, read_names

_Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement
_GUARD = 'if __name__ == "__main__":\n    pass\n'


def guarded_body(
    module: cst.Module, index: int, keep: Sequence[cst.CSTNode]
) -> tuple[list[_Statement], bool] | None:
    """The module's new body, with the statements from ``index`` on under a ``__main__``
    guard (merged into the one that ends the module, if any) and the definitions among them
    left above it, and whether any definition was left; None when no such split is right.
    ``keep``: nodes that must move (what starts the processes)."""
    body = list(module.body)
    region = body[index:]
    existing = region[-1] if len(region) > 1 and is_main_guard(region[-1]) else None
    if existing is not None:
        region = region[:-1]
    must_move = {id(n) for n in keep}
    stay: list[_Statement] = []
    move: list[_Statement] = []
    moved_reads: set[str] = set()
    moved_binds: set[str] = set()
    for statement in region:
        if is_main_guard(statement):
            return None
        if _is_definition(statement) and not _holds(statement, must_move):
            defined = _defined(statement)
            if defined & (moved_reads | moved_binds) or ("*" in defined and move):
                return None  # a moved statement before it uses an earlier value of the name
            stay.append(statement)
            continue
        if _defines_inside(statement):
            return None  # a def or import under an `if`/`try`/`with`: it cannot stay alone
        moved_reads.update(n.value for n in read_names(statement))
        moved_binds.update(module_bindings(statement))
        move.append(statement)
    if not move:
        return None
    if any(_definition_reads(s) & moved_binds for s in stay):
        return None
    first, *others = move  # the region starts with what starts the processes
    lead, rest = _split_blank_lines(first.leading_lines)
    moved = [
        _unindent_blank_lines(s)
        for s in [first.with_changes(leading_lines=rest), *map(_one_blank_line, others)]
    ]
    guard = existing or parse_template_statement(_GUARD, config=module.config_for_parsing)
    assert isinstance(guard, cst.If) and isinstance(guard.body, cst.IndentedBlock)
    if existing is not None:
        kept = list(guard.body.body)
        head = kept[0]
        if isinstance(head, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            kept[0] = head.with_changes(leading_lines=[*guard.leading_lines, *head.leading_lines])
        moved = [*moved, *kept]
    if stay:  # the guard now follows a definition: as many blank lines as above it
        lead, _ = _split_blank_lines(stay[0].leading_lines)
    statement = guard.with_changes(body=guard.body.with_changes(body=moved), leading_lines=lead)
    return [*body[:index], *stay, statement], bool(stay)


def _one_blank_line(statement: _Statement) -> _Statement:
    """At most one blank line in a row above a statement that moves into the block (two
    separated it from a definition that stays above)."""
    lines: list[cst.EmptyLine] = []
    for line in statement.leading_lines:
        if line.comment is None and lines and lines[-1].comment is None:
            continue
        lines.append(line)
    return statement.with_changes(leading_lines=lines)


def _is_definition(statement: cst.BaseStatement) -> bool:
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return True
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
    )


def _defines_inside(statement: cst.BaseStatement) -> bool:
    """A function, class or import anywhere in a statement that is not one itself."""
    return any(
        isinstance(n, (cst.FunctionDef, cst.ClassDef, cst.Import, cst.ImportFrom))
        for n in _walk(statement)
    )


def _holds(statement: cst.CSTNode, ids: set[int]) -> bool:
    return any(id(n) in ids for n in _walk(statement))


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(iter_children(current))


def _defined(statement: cst.BaseStatement) -> set[str]:
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return {statement.name.value}
    return module_bindings(statement)


def module_bindings(statement: cst.CSTNode) -> set[str]:
    """Names a module-level statement may bind at module level (an over-estimate: every
    name written as a target, not inside nested function or class bodies)."""
    found: set[str] = set()
    stack: list[cst.CSTNode] = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            found.add(node.name.value)
            continue
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            if isinstance(node.names, cst.ImportStar):
                found.add("*")
            else:
                found.update(_alias_name(alias) for alias in node.names)
            continue
        if isinstance(
            node,
            (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr, cst.CompFor),
        ):
            found.update(n.value for n in read_names(node.target))
        elif isinstance(node, cst.AsName):
            found.update(n.value for n in read_names(node.name))
        stack.extend(iter_children(node))
    return found


def _alias_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    name: cst.BaseExpression = alias.name
    while isinstance(name, cst.Attribute):
        name = name.value
    return name.value if isinstance(name, cst.Name) else ""


def _definition_reads(statement: cst.BaseStatement) -> set[str]:
    """Names a definition evaluates when it runs (not when its function is called)."""
    if isinstance(statement, cst.FunctionDef):
        parts: list[cst.CSTNode] = [d.decorator for d in statement.decorators]
        params = statement.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            parts.extend(p for p in (param.default, param.annotation) if p is not None)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param) and star.annotation is not None:
                parts.append(star.annotation)
        if statement.returns is not None:
            parts.append(statement.returns)
        return {n.value for part in parts for n in read_names(part)}
    if isinstance(statement, cst.ClassDef):
        heads: list[cst.CSTNode] = [
            *(d.decorator for d in statement.decorators),
            *statement.bases,
            *statement.keywords,
        ]
        names = {n.value for part in heads for n in read_names(part)}
        body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ()
        for inner in body:
            if isinstance(inner, (cst.FunctionDef, cst.ClassDef)):
                names |= _definition_reads(inner)
            else:
                names |= {n.value for n in read_names(inner)}
        if isinstance(statement.body, cst.SimpleStatementSuite):
            names |= {n.value for n in read_names(statement.body)}
        return names
    return set()


def guard_fix(module: cst.Module, index: int, found: Sequence[cst.CSTNode]) -> Fix | None:
    """The unsafe fix that moves the module's statements from ``index`` on under a
    ``__main__`` guard (definitions among them stay above it); None when no split is right.
    ``found``: what starts the worker processes, which must move."""
    split = guarded_body(module, index, found)
    if split is None:
        return None
    body, definitions_stay = split
    stay = (
        "; the definitions among them stay above it, where worker processes find them"
        if definitions_stay
        else ""
    )
    return unsafe(
        "Move the module-level statements from here on under a `__main__` guard",
        module,
        module.with_changes(body=body),
        f"modules importing this one no longer get the names bound there{stay}",
    )


def top_level_index(
    module: cst.Module, table: dict[int, cst.CSTNode], node: cst.CSTNode
) -> int | None:
    """Index in the module body of the top-level statement that holds ``node``
    (``table``: each node's parent, by id)."""
    current: cst.CSTNode | None = node
    while current is not None and table.get(id(current)) is not module:
        current = table.get(id(current))
    for index, statement in enumerate(module.body):
        if statement is current:
            return index
    return None
