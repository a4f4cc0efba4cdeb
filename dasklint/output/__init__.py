"""Output formats, one module each. Adding a format is one module plus one line here."""

from __future__ import annotations

from collections.abc import Callable

from dasklint.output import (
    azure,
    concise,
    full,
    github,
    gitlab,
    grouped,
    json_array,
    json_lines,
    junit,
    lsp,
    pylint,
    rdjson,
    sarif,
)
from dasklint.output.context import OutputContext

Formatter = Callable[[OutputContext], str]

FORMATTERS: dict[str, Formatter] = {
    "concise": concise.render,
    "full": full.render,
    "json": json_array.render,
    "json-lines": json_lines.render,
    "grouped": grouped.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "pylint": pylint.render,
    "rdjson": rdjson.render,
    "azure": azure.render,
    "lsp": lsp.render,
}

# Formats whose stdout is data: the human summary goes elsewhere (or nowhere).
MACHINE_FORMATS = frozenset(
    {"json", "json-lines", "github", "gitlab", "sarif", "junit", "pylint", "rdjson", "azure", "lsp"}
)

__all__ = ["FORMATTERS", "MACHINE_FORMATS", "OutputContext"]
