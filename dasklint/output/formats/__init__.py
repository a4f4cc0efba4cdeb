"""Every output format, one module each, found in this folder: adding a format is adding
its module, which declares its :class:`~dasklint.output.format.Format` as ``FORMAT`` and
prints findings with ``render(ctx: OutputContext) -> str``.

Modules whose name starts with ``_`` are helpers, not formats.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from types import ModuleType

from dasklint.output.context import OutputContext
from dasklint.output.format import Format

Formatter = Callable[[OutputContext], str]


def discover(package: str, paths: Iterable[str]) -> list[ModuleType]:
    """The format modules of ``package`` (found in ``paths``), in the order
    ``--output-format`` lists them."""
    modules = [
        importlib.import_module(f"{package}.{info.name}")
        for info in pkgutil.iter_modules(list(paths))
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda module: (module.FORMAT.order, module.FORMAT.name))


_MODULES = discover(__name__, __path__)
# Format name -> its record, and -> its module's render.
FORMATS: dict[str, Format] = {module.FORMAT.name: module.FORMAT for module in _MODULES}
RENDERERS: dict[str, Formatter] = {module.FORMAT.name: module.render for module in _MODULES}
OUTPUT_FORMATS = tuple(FORMATS)  # every format's name
