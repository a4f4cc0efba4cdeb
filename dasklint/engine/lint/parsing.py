"""Parsing with libcst into a module that libcst can parse templates for.

libcst takes a module's default indent from its first indented line, whitespace and all.
A form feed there is legal Python (the tokenizer starts counting the column again after
one), but ``Module.config_for_parsing`` then raises ``ValueError``, and so did every fix
that parses a template with that config (``dasklint check --fix`` failed the file). Such
a module gets each block's indent spelled out and a default indent without form feeds:
it renders the same code, and new blocks a fix adds are indented without form feeds.
"""

from __future__ import annotations

import libcst as cst

_FORM_FEED = "\x0c"


def parse_module(source: bytes | str) -> cst.Module:
    """``libcst.parse_module``, with a default indent its parser config accepts."""
    module = cst.parse_module(source)
    indent = module.default_indent
    if _FORM_FEED not in indent:
        return module
    spelled = module.visit(_SpellIndents(indent))
    return spelled.with_changes(default_indent=indent.replace(_FORM_FEED, "") or "    ")


class _SpellIndents(cst.CSTTransformer):
    """Gives blocks that use the default indent (``indent=None``) that indent explicitly."""

    def __init__(self, indent: str) -> None:
        self.indent = indent

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if updated_node.indent is not None:
            return updated_node
        return updated_node.with_changes(indent=self.indent)
