"""Output formats, one module each. Adding a format is one module plus one line here.

A format's module is imported when the format is used: some need heavy modules (JUnit
needs ``xml.sax``, which pulls in ``urllib`` and ``http``; SARIF needs the rules).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace

from dasklint.diagnostics import Diagnostic, Location
from dasklint.output.context import OutputContext

Formatter = Callable[[OutputContext], str]


def _in_file(d: Diagnostic) -> Diagnostic:
    """A notebook finding for formats that only know lines of the file: the place in the
    cell goes into the message and the location is the file's start (as ruff does), and
    edits against the cell (fix, noqa) are left out."""
    if d.cell is None:
        return d
    start = Location(1, 1)
    return replace(
        d,
        message=f"{d.place}: {d.message}",
        location=start,
        end_location=start,
        noqa_row=None,
        fix=None,
        cell=None,
    )


def file_positions(render: Formatter) -> Formatter:
    def run(ctx: OutputContext) -> str:
        if all(d.cell is None for d in ctx.diagnostics):
            return render(ctx)
        return render(replace(ctx, diagnostics=[_in_file(d) for d in ctx.diagnostics]))

    return run


class _Formats(Mapping[str, Formatter]):
    """Format name -> formatter, importing the format's module on first use."""

    def __init__(self, modules: dict[str, tuple[str, bool]]) -> None:
        self._modules = modules  # name -> (module, whether its locations are file lines)
        self._loaded: dict[str, Formatter] = {}

    def __getitem__(self, name: str) -> Formatter:
        found = self._loaded.get(name)
        if found is None:
            module, file_lines = self._modules[name]
            render: Formatter = importlib.import_module(f"dasklint.output.{module}").render
            found = self._loaded[name] = file_positions(render) if file_lines else render
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


FORMATTERS: Mapping[str, Formatter] = _Formats(
    {
        # Formats that show `cell N:row:col` for notebooks.
        "concise": ("concise", False),
        "full": ("full", False),
        "json": ("json_array", False),
        "json-lines": ("json_lines", False),
        "grouped": ("grouped", False),
        # Formats whose locations are lines of the file.
        "github": ("github", True),
        "gitlab": ("gitlab", True),
        "sarif": ("sarif", True),
        "junit": ("junit", True),
        "pylint": ("pylint", True),
        "rdjson": ("rdjson", True),
        "azure": ("azure", True),
        "lsp": ("lsp", True),
    }
)

# Formats whose stdout is data: the human summary goes elsewhere (or nowhere).
MACHINE_FORMATS = frozenset(
    {"json", "json-lines", "github", "gitlab", "sarif", "junit", "pylint", "rdjson", "azure", "lsp"}
)

__all__ = ["FORMATTERS", "MACHINE_FORMATS", "OutputContext"]
