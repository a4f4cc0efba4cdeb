"""Finding and reading configuration files.

Discovery model (ruff's): each file is linted with the closest configuration file among
its ancestor directories: ``.dasklint.toml``, then ``dasklint.toml``, then a
``pyproject.toml`` that has a ``[tool.dasklint]`` table (a pyproject without one is
skipped). Files do not merge. ``--config PATH`` uses one file for everything and
``--isolated`` uses none. Command-line options apply on top of whichever file is used.

A configuration file belongs to the repository being linted, so it may not choose
where the repository's source is sent: ``dask-scheduler`` is read only from the command
line or the environment (``--dask-scheduler``, ``DASKLINT_DASK_SCHEDULER``); in a file
it is ignored with a warning (see :class:`ConfigResolver`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dasklint import registry
from dasklint.config.declare import Source
from dasklint.config.keys import FILE_KEYS, FLAGS
from dasklint.config.options import Selection
from dasklint.config.settings import Settings
from dasklint.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

CONFIG_NAMES = (".dasklint.toml", "dasklint.toml", "pyproject.toml")


# Where `--dask-scheduler` may point: an explicit address, or `local`.
DASK_SCHEDULER = re.compile(
    r"local|(?:tcp|tls)://"  # the schemes Dask's TCP and TLS comms register
    r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(?P<port>\d{1,5})"  # host or [IPv6]:port
)
DASK_SCHEDULER_ENV = "DASKLINT_DASK_SCHEDULER"


def check_dask_scheduler(value: str) -> str:
    """``value`` when it names a Dask scheduler dasklint can use; ValueError otherwise."""
    match = DASK_SCHEDULER.fullmatch(value)
    if match is None:
        raise ValueError(
            f"{value!r} is not a Dask scheduler address "
            "(expected `tcp://HOST:PORT`, `tls://HOST:PORT` or `local`)"
        )
    port = match["port"]
    if port is not None and not 1 <= int(port) <= 65535:
        raise ValueError(
            f"{value!r} is not a Dask scheduler address: port {int(port)} is not between "
            "1 and 65535"
        )
    return value


# Keys a configuration file may hold that it may not decide: ignored, with a warning.
IGNORED_KEYS = {
    "dask-scheduler": (
        "a repository's configuration may not choose where its source code is sent; "
        f"pass `--dask-scheduler ADDRESS` or set {DASK_SCHEDULER_ENV}"
    ),
}


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line or by an editor: each option's value by its
    name in :data:`dasklint.config.keys.FLAGS` (only the options given), and ``config``,
    the ``--config KEY=VALUE`` table laid over every configuration file (and the
    defaults). How each value meets the file's is its flag's ``merge``."""

    given: Mapping[str, Any] = field(default_factory=dict)
    config: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.given) - set(FLAGS)
        if unknown:
            raise TypeError(f"not options of a setting: {', '.join(sorted(unknown))}")

    def get(self, name: str) -> Any:
        """The value of the option ``name``; None when it was not given."""
        return self.given.get(name)

    def validate(self) -> None:
        where = "the command line"
        for name, (key, flag) in FLAGS.items():
            value = self.given.get(name)
            if value is None:
                continue
            if flag.selectors is not None:
                registry.validate_selectors(flag.selectors(value), where)
            elif key.selectors:
                registry.validate_selectors(value, where)
        if self.config:
            check_inline(self.config)


def read_table(path: Path) -> Mapping[str, Any] | None:
    """The dasklint table of a config file; None for a pyproject without one."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("dasklint") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.dasklint] must be a table")
        return dict(table)
    return dict(data)


def settings_from_table(
    table: Mapping[str, Any], path: Path, *, source: str | None = None
) -> Settings:
    """Validate a dasklint table and turn it into :class:`Settings`. Errors name the key
    and its line in ``path``, or ``source`` when the table is not a file's (``--config``)."""
    section = "[tool.dasklint]" if path.name == "pyproject.toml" else "the top level"
    label = source or str(path)

    def where(key: str) -> str:
        return source or _where(path, key)

    read: dict[str, Any] = {}
    for key, raw in table.items():
        if key in IGNORED_KEYS:
            continue
        declared = FILE_KEYS.get(key)
        if declared is None:
            known = ", ".join(sorted([*FILE_KEYS, *IGNORED_KEYS]))
            raise ConfigError(
                f"{where(key)}: unknown key `{key}` in {section} (known keys: {known})"
            )
        try:
            read[key] = declared.read(raw)
        except TypeError as exc:
            raise ConfigError(f"{where(key)}: key `{key}`: {exc}") from None
    for name, declared in FILE_KEYS.items():
        if declared.selectors:
            try:
                registry.validate_selectors(read.get(name) or (), label)
            except ConfigError:  # again, naming the key and its line (read only on failure)
                registry.validate_selectors(read[name], f"`{name}` of {where(name)}")
    origin = Source(label, path.parent.resolve())
    layer: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    for name, declared in FILE_KEYS.items():
        if name not in read:
            continue  # the field's default
        value = read[name]
        if declared.settle is not None:
            value = declared.settle(value, origin)
        (layer if declared.selection else fields)[declared.field] = value
    return Settings(
        root=path.parent.resolve(),
        config_file=path.resolve(),
        layers=(Selection(**layer),),
        **fields,
    )


INLINE_SOURCE = "`--config`"


def check_inline(table: Mapping[str, Any]) -> None:
    """Validate ``--config KEY=VALUE`` overrides as a configuration file's keys are."""
    for key in table:
        if key in IGNORED_KEYS:
            raise ConfigError(
                f"{INLINE_SOURCE}: `{key}` is not a configuration key; "
                f"pass `--{key} ...` or set {DASK_SCHEDULER_ENV}"
            )
    settings_from_table(table, Path.cwd() / "--config", source=INLINE_SOURCE)


def _where(path: Path, key: str) -> str:
    """``path:line`` of ``key`` in the dasklint table (just ``path`` when not found)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return str(path)
    start = 0
    if path.name == "pyproject.toml":
        header = re.search(r"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*dasklint[ \t]*\]", text, re.M)
        start = header.end() if header else 0
    name = re.escape(key)
    found = re.compile(rf"^[ \t]*(?:{name}|\"{name}\"|'{name}')[ \t]*=", re.M).search(text, start)
    if found is None:
        return str(path)
    line = text.count("\n", 0, found.start()) + 1
    return f"{path}:{line}"


def find_config_file(directory: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The closest configuration file at or above ``directory``."""
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                table = read_table(candidate)
                if table is not None:
                    return candidate, table
            elif candidate.is_dir():
                raise ConfigError(f"{candidate} is a directory, not a configuration file")
    return None


def merged_tables(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` laid over it; tables are merged key by key, so that
    ``rules.processes-scheduler.check-tests = true`` keeps the file's other rule options."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merged_tables(old, value)
        else:
            out[key] = value
    return out


def project_root(directory: Path, config_file: Path | None = None) -> Path:
    """The project's root: the directory of ``config_file`` when one is given, else the
    closest directory at or above ``directory`` with a configuration file or ``.git``,
    else ``directory`` itself. The cache lives there."""
    if config_file is not None:
        return config_file.absolute().parent
    start = directory.absolute()
    for folder in (start, *start.parents):
        if (folder / ".git").exists() or any(_configures(folder / n) for n in CONFIG_NAMES):
            return folder
    return start


def _configures(candidate: Path) -> bool:
    """``candidate`` is a configuration file (a pyproject.toml only with a dasklint table;
    one that cannot be read counts: the run reports it)."""
    if not candidate.is_file():
        return False
    if candidate.name != "pyproject.toml":
        return True
    try:
        return read_table(candidate) is not None
    except ConfigError:
        return True


@dataclass
class ConfigResolver:
    """Settings for any directory, memoized; applies command-line overrides on top.
    ``warn`` is told, once per file, of each key in :data:`IGNORED_KEYS` a file holds."""

    overrides: Overrides = field(default_factory=Overrides)
    config_file: Path | None = None
    isolated: bool = False
    cwd: Path = field(default_factory=Path.cwd)
    warn: Callable[[str], None] | None = None
    _warned: set[Path] = field(default_factory=set, init=False, repr=False)
    _cache: dict[Path, Settings] = field(default_factory=dict, init=False, repr=False)
    _forced: Settings | None = field(default=None, init=False, repr=False)
    _fallback: Settings | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.overrides.validate()
        if self.config_file is not None:
            if self.config_file.is_dir():
                raise ConfigError(f"config file {self.config_file} is a directory")
            if not self.config_file.is_file():
                raise ConfigError(f"config file {self.config_file} does not exist")
            table = read_table(self.config_file)
            self._forced = self._apply(self._from_file(table or {}, self.config_file))
        elif self.isolated:
            self._forced = self._default()

    def for_directory(self, directory: Path) -> Settings:
        if self._forced is not None:
            return self._forced
        directory = directory.resolve()
        cached = self._cache.get(directory)
        if cached is None:
            found = find_config_file(directory)
            if found is None:
                cached = self._default()
            else:
                cached = self._apply(self._from_file(found[1], found[0]))
            self._cache[directory] = cached
        return cached

    def _from_file(self, table: Mapping[str, Any], path: Path) -> Settings:
        if self.warn is not None and path not in self._warned:
            self._warned.add(path)
            for key, why in IGNORED_KEYS.items():
                if key in table:
                    self.warn(f"`{key}` in {_where(path, key)} is ignored: {why}")
        return settings_from_table(merged_tables(table, self.overrides.config), path)

    def _default(self) -> Settings:
        """Settings when no configuration file applies: defaults rooted at the cwd."""
        if self._fallback is None:
            root = self.cwd.resolve()
            settings = Settings(root=root)
            if self.overrides.config:
                inline = settings_from_table(
                    self.overrides.config, root / "--config", source=INLINE_SOURCE
                )
                settings = replace(inline, root=root, config_file=None)
            self._fallback = self._apply(settings)
        return self._fallback

    def config_files(self) -> list[Path]:
        """The configuration files read so far, sorted (for ``--verbose``)."""
        found = {s.config_file for s in (*self._cache.values(), self._forced) if s is not None}
        return sorted(path for path in found if path is not None)

    def for_path(self, path: Path) -> Settings:
        return self.for_directory(path if path.is_dir() else path.parent)

    def _apply(self, settings: Settings) -> Settings:
        """``settings`` with the overrides laid over them, each as its flag merges."""
        layer: dict[str, Any] = {}
        changes: dict[str, Any] = {}
        for name, (key, flag) in FLAGS.items():
            value = self.overrides.get(name)
            if value is None:
                continue
            if flag.merge == "layer":
                layer[key.field] = value
                continue
            if flag.merge == "extend":
                value = key.combine(changes.get(key.field, getattr(settings, key.field)), value)
            changes[key.field] = value
        return replace(settings, layers=(*settings.layers, Selection(**layer)), **changes)
