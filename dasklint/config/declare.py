"""How a setting is declared: once, as a field of the settings dataclasses (ruff's
``options.rs``).

``name: type = setting(default, doc=..., read=..., ...)`` is a dataclass field whose
metadata says how a configuration file spells the setting, how its value is read,
checked, shown and documented, the ``dasklint check`` options that set it and how they
meet the file's value, and its name in the editor settings. The type and the default are
the field's, so mypy checks every use. :func:`keys_of` reads the declarations back as
:class:`Key` records (:data:`dasklint.config.keys.KEYS`), from which the rest is made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeVar

T = TypeVar("T")

# How a command-line value meets the configuration file's: it replaces it, is added to it,
# or (rule selection) is a layer applied on top of the file's.
Merge = Literal["replace", "extend", "layer"]

_DECLARED = "dasklint.setting"  # the key of a field's metadata that holds its declaration


@dataclass(frozen=True)
class Source:
    """Where a table being read comes from: ``label`` names it in messages, and paths
    in it are relative to ``root``."""

    label: str
    root: Path


@dataclass(frozen=True)
class Flag:
    """A ``dasklint check`` option that sets a key."""

    option: str  # "--select"; a switch is spelled "--check-tests/--no-check-tests"
    help: str
    merge: Merge = "replace"
    metavar: str | None = None
    multiple: bool = False  # may be given more than once
    is_flag: bool = False  # takes no value: given means true
    is_path: bool = False  # the value is a file's path
    choices: tuple[str, ...] = ()
    case_sensitive: bool = True
    envvar: str | None = None
    # The option's value (a string, or a tuple of them when `multiple`) as the key's
    # value; ValueError says what is wrong. None: the value as it is.
    read: Callable[[Any], Any] | None = None
    # The rule selectors the (read) value holds, checked against the rules. None: the
    # value itself when the key holds selectors, else none.
    selectors: Callable[[Any], Iterable[str]] | None = None
    # Not a command-line option: the faces set it (the output format asks for fix edits).
    hidden: bool = False

    @property
    def dest(self) -> str:
        """The option's name in :class:`~dasklint.config.loader.Overrides`."""
        return self.option.split("/")[0].removeprefix("--").replace("-", "_")

    @property
    def is_switch(self) -> bool:
        return "/" in self.option


def same(value: Any) -> Any:
    return value


def _concatenated(base: tuple[Any, ...], extra: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*base, *extra)


@dataclass(frozen=True)
class Key:
    """One setting, as :func:`setting` declared it on the field ``field``."""

    name: str  # as a configuration file spells it
    field: str  # the field of the settings dataclass that holds it
    doc: str
    default: Any
    read: Callable[[object], Any]  # a file's value -> the setting's (TypeError: why not)
    schema: Mapping[str, Any]  # JSON schema of a file's value (without the description)
    in_file: bool = True  # False: given on the command line or by the faces only
    # What the file's value becomes once its file is known (paths, rule selectors).
    settle: Callable[[Any, Source], Any] | None = None
    selectors: bool = False  # holds rule selectors, checked against the rules
    selection: bool = False  # a layer of rule selection (Settings.layers), not a field
    # As `--show-settings` prints it (a TOML value); None: not printed.
    show: Callable[[Any], Any] | None = same
    flags: tuple[Flag, ...] = ()
    lsp: str | None = None  # the editor setting (camelCase) that sets it
    travels: bool = False  # a field of FileSettings, which goes to every linting process
    combine: Callable[[Any, Any], Any] = _concatenated  # an "extend" flag's value added

    def shown(self, value: Any) -> Any:
        """The value as a TOML/JSON value (``--show-settings``, the Dask wire)."""
        return value if self.show is None else self.show(value)


def setting(
    default: T,
    *,
    doc: str,
    read: Callable[[object], Any],
    schema: Mapping[str, Any],
    name: str | None = None,
    in_file: bool = True,
    settle: Callable[[Any, Source], Any] | None = None,
    selectors: bool = False,
    show: Callable[[Any], Any] | None = same,
    flags: tuple[Flag, ...] = (),
    lsp: str | None = None,
    combine: Callable[[Any, Any], Any] = _concatenated,
) -> T:
    """A dataclass field that is a setting (the fields of :class:`Key` say what each
    argument means); ``name`` defaults to the field's name in kebab case."""
    declared = {
        "name": name,
        "doc": doc,
        "read": read,
        "schema": schema,
        "in_file": in_file,
        "settle": settle,
        "selectors": selectors,
        "show": show,
        "flags": flags,
        "lsp": lsp,
        "combine": combine,
    }
    field: T = dataclasses.field(default=default, metadata={_DECLARED: MappingProxyType(declared)})
    return field


def keys_of(cls: type, *, selection: bool = False, travels: bool = False) -> tuple[Key, ...]:
    """The settings declared as fields of the dataclass ``cls`` (each of its fields must
    be one), in the order of the fields."""
    keys = []
    for field in dataclasses.fields(cls):
        declared = field.metadata.get(_DECLARED)
        if declared is None:
            raise TypeError(f"{cls.__name__}.{field.name} is not declared with setting()")
        name = declared["name"] or field.name.replace("_", "-")
        keys.append(
            Key(
                **{**declared, "name": name},
                field=field.name,
                default=field.default,
                selection=selection,
                travels=travels,
            )
        )
    return tuple(keys)
