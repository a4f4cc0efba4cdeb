"""Every rule, found in its family's folder; adding a rule means adding its module.

A family is a package of this one, named for what its codes share (``schedulers/`` for
``DSK1xx``, ``lifecycle/`` for ``DSK2xx``, ... ``deprecations/`` for ``DSK10xx``, as
the README's rules section groups them). Each public module of a family (no leading
underscore: those hold the family's helpers) defines one :class:`Rule` subclass; the
rules are listed in code order (codes are stable once published). The engine's own
rules (``DSK0xx``) are in :mod:`dasklint.rules.engine_rules`.
"""

from __future__ import annotations

import importlib
import pkgutil

from dasklint.rule import Rule


def discover(package: str) -> tuple[type[Rule], ...]:
    """The rules defined in the public modules of ``package``'s family packages, in code
    order (by number: DSK902 comes before DSK1001)."""
    found: list[type[Rule]] = []
    for family in pkgutil.iter_modules(importlib.import_module(package).__path__):
        if not family.ispkg:
            continue
        members = importlib.import_module(f"{package}.{family.name}")
        for info in pkgutil.iter_modules(members.__path__):
            if info.name.startswith("_") or info.ispkg:
                continue
            module = importlib.import_module(f"{members.__name__}.{info.name}")
            found.extend(
                value
                for value in vars(module).values()
                if isinstance(value, type)
                and issubclass(value, Rule)
                and value.__module__ == module.__name__
            )
    return tuple(sorted(found, key=lambda rule: int(rule.code.removeprefix("DSK"))))


ALL_RULES: tuple[type[Rule], ...] = discover(__name__)

__all__ = ["ALL_RULES", "discover"]
