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
from dasklint.config import extensions
from dasklint.config.settings import (
    DEFAULT_EXCLUDE,
    DEFAULT_MIN_CONFIDENCE,
    Selection,
    Settings,
)
from dasklint.dask_version import DEFAULT_TARGET_DASK_VERSION, DaskVersion, parse_dask_version
from dasklint.diagnostics import Confidence, Severity
from dasklint.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

CONFIG_NAMES = (".dasklint.toml", "dasklint.toml", "pyproject.toml")
OUTPUT_FORMATS = (
    "concise", "full", "json", "json-lines", "grouped", "github", "gitlab", "sarif",
    "junit", "pylint", "rdjson", "azure", "lsp",
)  # fmt: skip


def _str_list(value: object) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise TypeError("expected a list of strings")


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError("expected true or false")


def _output_format(value: object) -> str:
    if isinstance(value, str) and value in OUTPUT_FORMATS:
        return value
    raise TypeError(f"expected one of {', '.join(OUTPUT_FORMATS)}")


def _confidence(value: object) -> Confidence:
    if not isinstance(value, str):
        raise TypeError(f"expected one of {', '.join(c.value for c in Confidence)}")
    try:
        return Confidence.parse(value)
    except ValueError as exc:
        raise TypeError(str(exc)) from None


def _str(value: object) -> str:
    if isinstance(value, str) and value:
        return value
    raise TypeError("expected a path (a string)")


def _url(value: object) -> str:
    if isinstance(value, str) and value:
        return value
    raise TypeError("expected a URL (a string)")


def _table(value: object) -> Mapping[str, Any]:
    if isinstance(value, dict):
        return value
    raise TypeError("expected a table")


def _severity(value: object) -> Severity:
    if not isinstance(value, str):
        raise TypeError("expected one of: error, warning, info")
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise TypeError(str(exc)) from None


def _dask_version(value: object) -> DaskVersion:
    if not isinstance(value, str):
        # An unquoted 2025.10 is the float 2025.1: only a string says which was meant.
        raise TypeError('expected a version string such as "2025.1.0" (in quotes)')
    try:
        return parse_dask_version(value)
    except ValueError as exc:
        raise TypeError(str(exc)) from None


def _extension(value: object) -> extensions.Extension:
    if not isinstance(value, dict):
        raise TypeError('expected a table such as { ipy = "ipynb" }')
    try:
        return extensions.from_table(value)
    except ValueError as exc:
        raise TypeError(str(exc)) from None


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


_KEYS: dict[str, Callable[[object], object]] = {
    "select": _str_list,
    "extend-select": _str_list,
    "ignore": _str_list,
    "per-file-ignores": _table,
    "exclude": _str_list,
    "extend-exclude": _str_list,
    "respect-gitignore": _bool,
    "force-exclude": _bool,
    "output-format": _output_format,
    "severity": _table,
    "rules": _table,
    "unsafe-fixes": _bool,
    "fixable": _str_list,
    "unfixable": _str_list,
    "extend-safe-fixes": _str_list,
    "extend-unsafe-fixes": _str_list,
    "target-dask-version": _dask_version,
    "check-tests": _bool,
    "fail-on": _severity,
    "min-confidence": _confidence,
    "baseline": _str,
    "extension": _extension,
    "docs-url": _url,
}


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line; None means "not given"."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # As in ruff: `--per-file-ignores` replaces the file's, `--extend-...` adds to them.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    extend_per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fixable: tuple[str, ...] | None = None  # replaces the file's
    unfixable: tuple[str, ...] | None = None  # replaces the file's
    extension: extensions.Extension = ()  # added to the file's
    # `--config KEY=VALUE`: a table laid over every configuration file (and the defaults).
    config: Mapping[str, Any] = field(default_factory=dict)
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool | None = None
    force_exclude: bool | None = None
    output_format: str | None = None
    unsafe_fixes: bool | None = None
    fix_edits: bool = False
    target_dask_version: DaskVersion | None = None
    check_tests: bool | None = None
    fail_on: Severity | None = None
    min_confidence: Confidence | None = None
    ignore_noqa: bool = False

    def validate(self) -> None:
        where = "the command line"
        registry.validate_selectors(
            [
                *(self.select or ()),
                *self.extend_select,
                *self.ignore,
                *(self.fixable or ()),
                *(self.unfixable or ()),
            ],
            where,
        )
        for _, selectors in (*(self.per_file_ignores or ()), *self.extend_per_file_ignores):
            registry.validate_selectors(selectors, where)
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

    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key in IGNORED_KEYS:
            continue
        check = _KEYS.get(key)
        if check is None:
            known = ", ".join(sorted([*_KEYS, *IGNORED_KEYS]))
            raise ConfigError(
                f"{where(key)}: unknown key `{key}` in {section} (known keys: {known})"
            )
        try:
            values[key] = check(raw)
        except TypeError as exc:
            raise ConfigError(f"{where(key)}: key `{key}`: {exc}") from None
    selection = Selection(
        select=values.get("select"),
        extend_select=values.get("extend-select", ()),
        ignore=values.get("ignore", ()),
    )
    selector_keys = ("select", "extend-select", "ignore", "fixable", "unfixable")
    for key in (*selector_keys, "extend-safe-fixes", "extend-unsafe-fixes"):
        try:
            registry.validate_selectors(values.get(key) or (), label)
        except ConfigError:  # again, naming the key and its line (read only on failure)
            registry.validate_selectors(values[key], f"`{key}` of {where(key)}")
    per_file = []
    for pattern, selectors in values.get("per-file-ignores", {}).items():
        try:
            codes = _str_list(selectors)
        except TypeError as exc:
            raise ConfigError(f"{label}: per-file-ignores `{pattern}`: {exc}") from None
        registry.validate_selectors(codes, label)
        per_file.append((pattern, codes))
    return Settings(
        root=path.parent.resolve(),
        config_file=path.resolve(),
        layers=(selection,),
        per_file_ignores=tuple(per_file),
        exclude=values.get("exclude", DEFAULT_EXCLUDE),
        extend_exclude=values.get("extend-exclude", ()),
        respect_gitignore=values.get("respect-gitignore", True),
        force_exclude=values.get("force-exclude", False),
        output_format=values.get("output-format", "concise"),
        severity=_severities(values.get("severity", {}), label),
        rule_options=_rule_options(values.get("rules", {}), label),
        unsafe_fixes=values.get("unsafe-fixes", False),
        fixable=values.get("fixable"),
        unfixable=values.get("unfixable", ()),
        extend_safe_fixes=values.get("extend-safe-fixes", ()),
        extend_unsafe_fixes=values.get("extend-unsafe-fixes", ()),
        target_dask_version=values.get("target-dask-version", DEFAULT_TARGET_DASK_VERSION),
        check_tests=values.get("check-tests", False),
        fail_on=values.get("fail-on", Severity.WARNING),
        min_confidence=values.get("min-confidence", DEFAULT_MIN_CONFIDENCE),
        baseline=path.parent.resolve() / values["baseline"] if "baseline" in values else None,
        extension=values.get("extension", ()),
        docs_url=values.get("docs-url"),
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


def _severities(table: Mapping[str, Any], path: str) -> tuple[tuple[str, Severity], ...]:
    out = []
    for selector, level in table.items():
        registry.validate_selectors([selector], f"{path} [severity]")
        if not isinstance(level, str):
            raise ConfigError(f"{path}: severity `{selector}`: expected a string")
        try:
            out.append((selector, Severity.parse(level)))
        except ValueError as exc:
            raise ConfigError(f"{path}: severity `{selector}`: {exc}") from None
    return tuple(out)


def _rule_options(table: Mapping[str, Any], path: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    out = []
    for key, options in table.items():
        rule = registry.rule_for(key)
        if rule is None:
            raise ConfigError(f"{path}: [rules.{key}] names no rule (use a code or a name)")
        if not isinstance(options, dict):
            raise ConfigError(f"{path}: [rules.{key}] must be a table")
        known = {option.name: option for option in rule.options}
        parsed = []
        for name, value in options.items():
            if name not in known:
                allowed = ", ".join(sorted(known)) or "none"
                raise ConfigError(
                    f"{path}: unknown option `{name}` for {rule.code} (options: {allowed})"
                )
            try:
                parsed.append((name, known[name].validate(value)))
            except TypeError as exc:
                raise ConfigError(f"{path}: option `{name}` of {rule.code}: {exc}") from None
        out.append((rule.code, tuple(parsed)))
    return tuple(out)


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
        o = self.overrides
        cli_layer = Selection(o.select, o.extend_select, o.ignore)
        return replace(
            settings,
            layers=(*settings.layers, cli_layer),
            per_file_ignores=(
                *(settings.per_file_ignores if o.per_file_ignores is None else o.per_file_ignores),
                *o.extend_per_file_ignores,
            ),
            fixable=o.fixable if o.fixable is not None else settings.fixable,
            unfixable=o.unfixable if o.unfixable is not None else settings.unfixable,
            extension=extensions.merged(settings.extension, o.extension),
            exclude=o.exclude if o.exclude is not None else settings.exclude,
            extend_exclude=(*settings.extend_exclude, *o.extend_exclude),
            respect_gitignore=(
                o.respect_gitignore
                if o.respect_gitignore is not None
                else settings.respect_gitignore
            ),
            force_exclude=o.force_exclude
            if o.force_exclude is not None
            else settings.force_exclude,
            output_format=o.output_format or settings.output_format,
            unsafe_fixes=o.unsafe_fixes if o.unsafe_fixes is not None else settings.unsafe_fixes,
            fix_edits=o.fix_edits or settings.fix_edits,
            target_dask_version=o.target_dask_version or settings.target_dask_version,
            check_tests=o.check_tests if o.check_tests is not None else settings.check_tests,
            fail_on=o.fail_on or settings.fail_on,
            min_confidence=o.min_confidence or settings.min_confidence,
            ignore_noqa=o.ignore_noqa or settings.ignore_noqa,
        )
