"""Small, format-preserving rewrites that rules use to build their fixes.

Arguments and dict entries are added and removed the way a person would: the separators
of the neighbours are reused (so one-line calls stay on one line and one-argument-per-line
calls keep that layout and their trailing comma), and comments are never duplicated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

import libcst as cst
from libcst.helpers import get_full_name_for_node

from dasklint.fix import Fix, ImportSpec
from dasklint.semantic.model import SemanticModel
from dasklint.semantic.names import BindingKind, canonical_name
from dasklint.semantic.scheduler import SchedulerSpec

T = TypeVar("T", cst.Arg, cst.DictElement)


def _plain(comma: cst.Comma | cst.MaybeSentinel) -> cst.Comma:
    """A separator like ``comma`` but without the comment that may follow it."""
    if not isinstance(comma, cst.Comma):
        return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        after = after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    return comma.with_changes(whitespace_after=after)


def _append(items: Sequence[T], new: T) -> list[T]:
    """``items`` with ``new`` at the end, in the same layout."""
    if not items:
        return [new]
    last = items[-1]
    separator = _plain(items[-2].comma) if len(items) > 1 else _plain(cst.MaybeSentinel.DEFAULT)
    if isinstance(last, cst.Arg):
        gap = items[-2].whitespace_after_arg if len(items) > 1 else cst.SimpleWhitespace("")
        moved = last.with_changes(comma=separator, whitespace_after_arg=gap)
        added = new.with_changes(comma=last.comma, whitespace_after_arg=last.whitespace_after_arg)
    else:
        moved = last.with_changes(comma=separator)
        added = new.with_changes(comma=last.comma)
    return [*items[:-1], moved, added]  # type: ignore[list-item]


def _remove(items: Sequence[T], drop: Sequence[T]) -> list[T]:
    """``items`` without ``drop``; the new last item takes the old last one's ending."""
    gone = {id(item) for item in drop}
    kept = [item for item in items if id(item) not in gone]
    if kept and items and id(items[-1]) in gone:
        last, ending = kept[-1], items[-1]
        if isinstance(last, cst.Arg) and isinstance(ending, cst.Arg):
            kept[-1] = last.with_changes(
                comma=ending.comma, whitespace_after_arg=ending.whitespace_after_arg
            )
        else:
            kept[-1] = last.with_changes(comma=ending.comma)
    return kept


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def has_double_star(call: cst.Call) -> bool:
    return any(arg.star == "**" for arg in call.args)


def add_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``name=value`` as its last argument."""
    arg = cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    return call.with_changes(args=_append(call.args, arg))


def set_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``name=value``: the argument's value replaced where it is, else added
    as the last argument."""
    found = keyword(call, name)
    if found is None:
        return add_keyword(call, name, value)
    return call.with_changes(
        args=[a.with_changes(value=value) if a is found else a for a in call.args]
    )


def remove_keywords(call: cst.Call, names: set[str] | frozenset[str]) -> cst.Call:
    drop = [a for a in call.args if a.keyword is not None and a.keyword.value in names]
    return call.with_changes(args=_remove(call.args, drop)) if drop else call


def remove_args(call: cst.Call, drop: Sequence[cst.Arg]) -> cst.Call:
    return call.with_changes(args=_remove(call.args, drop))


def add_dict_entry(display: cst.Dict, key: str, value: cst.BaseExpression) -> cst.Dict:
    """``display`` with ``"key": value`` at the end, quoted like its first string key."""
    quote = '"'
    for element in display.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            quote = element.key.quote
            break
    entry = cst.DictElement(cst.SimpleString(f"{quote}{key}{quote}"), value)
    elements = [e for e in display.elements if isinstance(e, cst.DictElement)]
    if len(elements) != len(display.elements):
        return display  # `**other` entries: leave the display alone
    return display.with_changes(elements=_append(elements, entry))


def remove_dict_entries(display: cst.Dict, drop: Sequence[cst.DictElement]) -> cst.Dict:
    elements = [e for e in display.elements if isinstance(e, cst.DictElement)]
    return display.with_changes(elements=_remove(elements, drop))


def dict_argument(
    call: cst.Call, value: cst.BaseExpression
) -> tuple[cst.Dict, cst.DictElement] | None:
    """The dict display written in ``call`` that holds ``value``, and the entry."""
    for arg in call.args:
        if isinstance(arg.value, cst.Dict):
            for element in arg.value.elements:
                if isinstance(element, cst.DictElement) and element.value is value:
                    return arg.value, element
    return None


def string_like(original: cst.BaseExpression, text: str) -> cst.SimpleString:
    """A string literal holding ``text``, quoted like ``original`` when it is a string."""
    quote = original.quote if isinstance(original, cst.SimpleString) else '"'
    if quote not in ('"', "'"):
        quote = '"'
    return cst.SimpleString(f"{quote}{text}{quote}")


def unwrap_with(with_node: cst.With) -> cst.FlattenSentinel[cst.BaseStatement] | None:
    """The body of a one-item ``with`` block, to stand in its place (None otherwise)."""
    body = with_node.body
    if not isinstance(body, cst.IndentedBlock) or len(with_node.items) != 1:
        return None
    statements = list(body.body)
    if not statements:
        return None
    first = statements[0]
    assert isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    lines = list(with_node.leading_lines)
    comment = body.header.comment
    if comment is not None:
        lines.append(cst.EmptyLine(comment=comment))
    statements[0] = first.with_changes(leading_lines=[*lines, *first.leading_lines])
    return cst.FlattenSentinel(statements)


def dask_name(model: SemanticModel) -> tuple[str | None, tuple[ImportSpec, ...]]:
    """How a fix can spell ``dask``: an existing module-level alias, or ``dask`` plus an
    import to add; None when the name ``dask`` is taken by something else."""
    for name, binding in model.scopes.module.bindings.items():
        if binding.kind is BindingKind.IMPORT and binding.qualified_name == "dask":
            return name, ()
    if model.scopes.lookup("dask") is not None:
        return None, ()
    return "dask", (ImportSpec("dask"),)


def dask_function_name(
    model: SemanticModel, function: str
) -> tuple[str | None, tuple[ImportSpec, ...]]:
    """How a fix can spell ``dask.<function>`` (``delayed``, ``compute``) the way the module
    already does: through its ``import dask`` (or alias), else under the name it imports
    the function as (``from dask import delayed``), else ``dask.<function>`` plus an import."""
    wanted = f"dask.{function}"
    imported = None
    for name, binding in model.scopes.module.bindings.items():
        if binding.kind is not BindingKind.IMPORT:
            continue
        if binding.qualified_name == "dask":
            return f"{name}.{function}", ()
        if imported is None and canonical_name(binding.qualified_name or "") == wanted:
            imported = name
    if imported is not None:
        return imported, ()
    dask, imports = dask_name(model)
    return (f"{dask}.{function}" if dask is not None else None), imports


def import_of(written: str, qualified: str) -> ImportSpec:
    """The import that made ``written`` mean ``qualified``, to remove if it is now unused:
    ``from m import get [as alias]`` for a bare name, ``import m [as alias]`` otherwise."""
    module, _, name = qualified.rpartition(".")
    if "." not in written:
        return ImportSpec(module, name, None if written == name else written)
    prefix = written.rpartition(".")[0]
    if prefix == module or "." in prefix:
        return ImportSpec(prefix)
    return ImportSpec(module, None, prefix)


def without_get_import(fix: Fix | None, spec: SchedulerSpec | None) -> Fix | None:
    """``fix`` (which removes a ``scheduler=`` value) also removing the import of the
    ``get`` function it named, when nothing else uses it (libcst's RemoveImportsVisitor
    keeps an import that is still referenced)."""
    if fix is None or spec is None or spec.get_function is None:
        return fix
    written = get_full_name_for_node(spec.setting.node)
    if written is None:
        return fix
    return replace(fix, remove_imports=(*fix.remove_imports, import_of(written, spec.get_function)))
