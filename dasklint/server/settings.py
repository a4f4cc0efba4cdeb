"""Editor settings (``initializationOptions``, ``workspace/configuration`` and
``workspace/didChangeConfiguration``).

The keys, all optional (camelCase like other language servers; the section is
``dasklint``). Those that set a configuration key are declared with it (``lsp=`` of its
declaration in :mod:`dasklint.config.options`); the others are the server's own::

    select, extendSelect, ignore       rule selectors, as on the command line
    severity                           {"DSK101": "error", ...}
    configuration                      path of a configuration file to use for everything
    configurationPreference            "editorFirst" (default) | "filesystemFirst" | "editorOnly"
    debounce                           milliseconds to wait after an edit (default 200)
    unsafeFixes                        offer unsafe fixes as quick fixes and in fix-all
                                       (default: the configuration file's `unsafe-fixes`)
    minConfidence                      "high" | "medium" | "low": report only findings at
                                       least this sure (default: the configuration file's
                                       `min-confidence`)
    codeAction.disableRuleComment.enable   offer "Disable ... for this line" (default true)

``editorFirst``: editor settings apply on top of the configuration file found for each
document. ``filesystemFirst``: a configuration file, when one is found, wins entirely and
the editor settings only apply where there is none. ``editorOnly``: configuration files are
ignored (``--isolated``).

A client that cannot answer ``workspace/configuration`` (Neovim 0.7 announces no such
capability) can only push its settings in ``workspace/didChangeConfiguration``; the server
keeps the last settings the editor gave, pushed or answered (:func:`section`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dasklint.config import keys as config_keys
from dasklint.config.declare import Key
from dasklint.config.keys import FLAGS
from dasklint.config.loader import ConfigResolver, Overrides
from dasklint.config.settings import Settings
from dasklint.config.values import severities
from dasklint.diagnostics import Severity
from dasklint.errors import ConfigError
from dasklint.registry import validate_selectors

SECTION = "dasklint"
PREFERENCES = ("editorFirst", "filesystemFirst", "editorOnly")
# The configuration keys an editor setting sets as their command-line option would
# (`severity`, which has none, is laid over differently: the editor's severities come
# first, see EditorResolver).
SETTING_KEYS = tuple(key for key in config_keys.KEYS if key.lsp is not None and key.flags)
# Every top-level setting :func:`parse` reads (editors/vscode/package.json mirrors them).
KEYS = (
    *(key.lsp for key in config_keys.KEYS if key.lsp is not None),
    "configuration",
    "configurationPreference",
    "debounce",
    "codeAction",
)


@dataclass(frozen=True)
class ServerSettings:
    # The settings that editor settings give, by their option's name (Overrides).
    overrides: Mapping[str, Any] = field(default_factory=dict)
    severity: tuple[tuple[str, Severity], ...] = ()
    configuration: str | None = None
    preference: str = "editorFirst"
    debounce_ms: int = 200
    disable_rule_comment: bool = True


def _read(key: Key, value: object) -> Any:
    """An editor setting's value as its key's (a selector list may be one string)."""
    if key.selectors and isinstance(value, str):
        value = [value]
    try:
        return key.read(value)
    except TypeError as exc:
        raise ConfigError(f"setting `{key.lsp}`: {exc}") from None


def section(value: object) -> dict[str, Any] | None:
    """The dasklint settings in what a client sent, or None when it sent none.

    Clients wrap them differently: ``{"dasklint": {...}}`` (VS Code, a Neovim ``settings``
    table written as the README shows), ``{"settings": {...}}`` (some initializationOptions)
    or the settings themselves (recognised by a key of :data:`KEYS`). A table of other
    servers' sections holds none.
    """
    if not isinstance(value, Mapping):
        return None
    for wrapper in (SECTION, "settings"):
        inner = value.get(wrapper)
        if isinstance(inner, Mapping):
            return dict(inner)
    if any(key in value for key in KEYS):
        return dict(value)
    return None


def merge(*layers: object) -> dict[str, Any]:
    """Later layers win, key by key (nested tables merged)."""
    out: dict[str, Any] = {}
    for layer in layers:
        if isinstance(layer, Mapping):
            for key, value in layer.items():
                if isinstance(value, Mapping) and isinstance(out.get(key), dict):
                    out[key] = merge(out[key], value)
                else:
                    out[key] = dict(value) if isinstance(value, Mapping) else value
    return out


def parse(raw: Mapping[str, Any]) -> ServerSettings:
    """Validate editor settings; unknown keys are ignored (clients send extra ones)."""
    given: dict[str, Any] = {}
    for key in SETTING_KEYS:
        value = raw.get(str(key.lsp))
        if value is not None:
            given[key.flags[0].dest] = _read(key, value)
    validate_selectors(
        [v for key in SETTING_KEYS if key.selectors for v in given.get(key.flags[0].dest, ())],
        "the editor settings",
    )
    # An empty `extendSelect` or `ignore` is no selection (an empty `select` selects nothing).
    given = {
        name: value
        for name, value in given.items()
        if not (FLAGS[name][0].selection and value == FLAGS[name][0].default)
    }
    settings = ServerSettings(overrides=given)
    severity = raw.get("severity") or {}
    if not isinstance(severity, Mapping):
        raise ConfigError("setting `severity`: expected an object")
    settings = replace(settings, severity=severities(severity, "the editor settings"))
    configuration = raw.get("configuration")
    if configuration is not None:
        if not isinstance(configuration, str):
            raise ConfigError("setting `configuration`: expected a path")
        settings = replace(settings, configuration=configuration)
    preference = raw.get("configurationPreference", "editorFirst")
    if preference not in PREFERENCES:
        raise ConfigError(
            f"setting `configurationPreference`: expected one of {', '.join(PREFERENCES)}"
        )
    settings = replace(settings, preference=preference)
    debounce = raw.get("debounce", settings.debounce_ms)
    if not isinstance(debounce, int) or isinstance(debounce, bool) or debounce < 0:
        raise ConfigError("setting `debounce`: expected a number of milliseconds")
    action = raw.get("codeAction", {})
    disable = True
    if isinstance(action, Mapping):
        comment = action.get("disableRuleComment", {})
        if isinstance(comment, Mapping):
            disable = bool(comment.get("enable", True))
    return replace(settings, debounce_ms=debounce, disable_rule_comment=disable)


@dataclass
class EditorResolver(ConfigResolver):
    """A :class:`ConfigResolver` that applies the editor's settings by preference."""

    preference: str = "editorFirst"
    editor_severity: tuple[tuple[str, Severity], ...] = ()
    _files: ConfigResolver | None = field(default=None, init=False, repr=False)
    _resolved: dict[Path, Settings] = field(default_factory=dict, init=False, repr=False)

    def for_directory(self, directory: Path) -> Settings:
        directory = directory.resolve()
        cached = self._resolved.get(directory)
        if cached is not None:
            return cached
        settings = super().for_directory(directory)
        if self.preference == "filesystemFirst" and settings.config_file is not None:
            if self._files is None:
                self._files = ConfigResolver(
                    Overrides({"fix_edits": True}), config_file=self.config_file, cwd=self.cwd
                )
            settings = self._files.for_directory(directory)
        elif self.editor_severity:
            # The editor's severities first: on equally specific selectors the first wins.
            settings = replace(settings, severity=(*self.editor_severity, *settings.severity))
        self._resolved[directory] = settings
        return settings


def make_resolver(settings: ServerSettings, root: Path) -> EditorResolver:
    # Quick fixes travel in each diagnostic's `data`: every fix carries its edits.
    overrides = Overrides({**settings.overrides, "fix_edits": True})
    config_file = Path(settings.configuration).expanduser() if settings.configuration else None
    if config_file is not None and not config_file.is_absolute():
        config_file = root / config_file
    return EditorResolver(
        overrides,
        config_file=config_file,
        isolated=settings.preference == "editorOnly" and config_file is None,
        cwd=root,
        preference=settings.preference,
        editor_severity=settings.severity,
    )
