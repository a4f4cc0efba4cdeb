"""Reading one configuration value: TOML value in, setting value out.

A reader raises TypeError saying what it expected; the loader adds the key and the
file's line. The readers that need the file (:func:`severities`, :func:`rule_options`,
:func:`per_file_ignores`) take a ``label`` that names it in their messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from dasklint import registry
from dasklint.config import extensions
from dasklint.dask_version import parse_dask_version
from dasklint.diagnostics import Confidence, Severity
from dasklint.errors import ConfigError

PerFileIgnores = tuple[tuple[str, tuple[str, ...]], ...]
T = TypeVar("T")


def str_list(value: object) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise TypeError("expected a list of strings")


def boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError("expected true or false")


def path(value: object) -> str:
    if isinstance(value, str) and value:
        return value
    raise TypeError("expected a path (a string)")


def url(value: object) -> str:
    if isinstance(value, str) and value:
        return value
    raise TypeError("expected a URL (a string)")


def table(value: object) -> Mapping[str, Any]:
    if isinstance(value, dict):
        return value
    raise TypeError("expected a table")


def choice(choices: tuple[str, ...]) -> Any:
    """A reader of one of ``choices``."""

    def read(value: object) -> str:
        if isinstance(value, str) and value in choices:
            return value
        raise TypeError(f"expected one of {', '.join(choices)}")

    return read


def _parsed(parse: Callable[[str], T], expected: str) -> Callable[[object], T]:
    """A reader of strings that ``parse`` turns into values (its ValueError says why not)."""

    def read(value: object) -> T:
        if not isinstance(value, str):
            raise TypeError(expected)
        try:
            return parse(value)
        except ValueError as exc:
            raise TypeError(str(exc)) from None

    return read


confidence = _parsed(Confidence.parse, f"expected one of {', '.join(c.value for c in Confidence)}")
severity = _parsed(Severity.parse, "expected one of: error, warning, info")
# An unquoted 2025.10 is the float 2025.1: only a string says which was meant.
dask_version = _parsed(
    parse_dask_version, 'expected a version string such as "2025.1.0" (in quotes)'
)


def extension(value: object) -> extensions.Extension:
    if not isinstance(value, dict):
        raise TypeError('expected a table such as { ipy = "ipynb" }')
    try:
        return extensions.from_table(value)
    except ValueError as exc:
        raise TypeError(str(exc)) from None


def per_file_ignores(value: Mapping[str, Any], label: str) -> PerFileIgnores:
    out = []
    for pattern, selectors in value.items():
        try:
            codes = str_list(selectors)
        except TypeError as exc:
            raise ConfigError(f"{label}: per-file-ignores `{pattern}`: {exc}") from None
        registry.validate_selectors(codes, label)
        out.append((pattern, codes))
    return tuple(out)


def severities(value: Mapping[str, Any], label: str) -> tuple[tuple[str, Severity], ...]:
    out = []
    for selector, level in value.items():
        registry.validate_selectors([selector], f"{label} [severity]")
        if not isinstance(level, str):
            raise ConfigError(f"{label}: severity `{selector}`: expected a string")
        try:
            out.append((selector, Severity.parse(level)))
        except ValueError as exc:
            raise ConfigError(f"{label}: severity `{selector}`: {exc}") from None
    return tuple(out)


def rule_options(value: Mapping[str, Any], label: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    out = []
    for key, options in value.items():
        rule = registry.rule_for(key)
        if rule is None:
            raise ConfigError(f"{label}: [rules.{key}] names no rule (use a code or a name)")
        if not isinstance(options, dict):
            raise ConfigError(f"{label}: [rules.{key}] must be a table")
        known = {option.name: option for option in rule.options}
        parsed = []
        for name, option in options.items():
            if name not in known:
                allowed = ", ".join(sorted(known)) or "none"
                raise ConfigError(
                    f"{label}: unknown option `{name}` for {rule.code} (options: {allowed})"
                )
            try:
                parsed.append((name, known[name].validate(option)))
            except TypeError as exc:
                raise ConfigError(f"{label}: option `{name}` of {rule.code}: {exc}") from None
        out.append((rule.code, tuple(parsed)))
    return tuple(out)
