"""``--show-settings``: resolved settings as ``key = value`` lines that are valid TOML.

Keys are spelled as in a configuration file and always listed in the same order: where
the settings come from first, then the rules they enable, then every key alphabetically.
Lists have one item per line, tables are inline; nothing is a Python repr.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from dasklint import registry
from dasklint.config.keys import KEYS
from dasklint.config.settings import Settings

INDENT = "    "

Value = str | bool | int | float | list[str] | dict[str, object]


def describe(settings: Settings, shown_for: str) -> str:
    """The text printed for ``--show-settings`` on ``shown_for``."""
    lines = [f"Resolved settings for: {shown_for}"]
    lines.append(f"config-file = {_string(str(settings.config_file or ''))}")
    lines.append(f"root = {_string(str(settings.root))}")
    enabled: list[str] = sorted(settings.enabled, key=registry.code_order)
    lines.append(f"enabled = {_list(enabled)}")
    for key, value in sorted(_keys(settings).items()):
        lines.append(f"{key} = {_value(value)}")
    return "\n".join(lines) + "\n"


def _keys(settings: Settings) -> dict[str, Value]:
    """Every setting that a configuration file can set and TOML can show, but the rule
    selection (shown as ``enabled``, what the selection layers add up to)."""
    return {
        key.name: key.shown(getattr(settings, key.field))
        for key in KEYS
        if key.in_file and key.show is not None
    }


def _value(value: object) -> str:
    if isinstance(value, list):
        return _list(value)
    return _inline(value)


def _list(items: Iterable[object]) -> str:
    shown = [f"{INDENT}{_inline(item)}," for item in items]
    return "\n".join(["[", *shown, "]"]) if shown else "[]"


def _inline(value: object) -> str:
    """One TOML value on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = ", ".join(f"{_key(str(k))} = {_inline(v)}" for k, v in value.items())
        return "{ " + pairs + " }"
    return _string(str(value))


def _key(key: str) -> str:
    bare = key.replace("-", "").replace("_", "").isalnum() and key.isascii()
    return key if bare else _string(key)


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
