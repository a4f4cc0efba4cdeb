"""Editor settings (``initializationOptions``, ``workspace/configuration`` and
``workspace/didChangeConfiguration``).

The keys, all optional (camelCase like other language servers; the section is
``dasklint``)::

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

from dasklint.config.loader import ConfigResolver, Overrides
from dasklint.config.settings import Settings
from dasklint.diagnostics import Confidence, Severity
from dasklint.errors import ConfigError
from dasklint.registry import validate_selectors

SECTION = "dasklint"
PREFERENCES = ("editorFirst", "filesystemFirst", "editorOnly")
# Every top-level setting :func:`parse` reads (editors/vscode/package.json mirrors them).
KEYS = (
    "select",
    "extendSelect",
    "ignore",
    "severity",
    "configuration",
    "configurationPreference",
    "debounce",
    "unsafeFixes",
    "minConfidence",
    "codeAction",
)


@dataclass(frozen=True)
class ServerSettings:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    configuration: str | None = None
    preference: str = "editorFirst"
    debounce_ms: int = 200
    disable_rule_comment: bool = True
    unsafe_fixes: bool | None = None  # None: the configuration file decides
    min_confidence: Confidence | None = None  # None: the configuration file decides


def _strings(value: object, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"setting `{key}`: expected a list of strings")


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
    settings = ServerSettings()
    if raw.get("select") is not None:
        settings = replace(settings, select=_strings(raw["select"], "select"))
    if raw.get("extendSelect") is not None:
        settings = replace(settings, extend_select=_strings(raw["extendSelect"], "extendSelect"))
    if raw.get("ignore") is not None:
        settings = replace(settings, ignore=_strings(raw["ignore"], "ignore"))
    validate_selectors(
        [*(settings.select or ()), *settings.extend_select, *settings.ignore], "the editor settings"
    )
    severity = raw.get("severity") or {}
    if not isinstance(severity, Mapping):
        raise ConfigError("setting `severity`: expected an object")
    levels = []
    for selector, level in severity.items():
        validate_selectors([selector], "the editor setting `severity`")
        try:
            levels.append((selector, Severity.parse(str(level))))
        except ValueError as exc:
            raise ConfigError(f"setting `severity.{selector}`: {exc}") from None
    settings = replace(settings, severity=tuple(levels))
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
    unsafe = raw.get("unsafeFixes")
    if unsafe is not None and not isinstance(unsafe, bool):
        raise ConfigError("setting `unsafeFixes`: expected true or false")
    settings = replace(settings, unsafe_fixes=unsafe)
    confidence = raw.get("minConfidence")
    if confidence is not None:
        try:
            settings = replace(settings, min_confidence=Confidence.parse(str(confidence)))
        except ValueError as exc:
            raise ConfigError(f"setting `minConfidence`: {exc}") from None
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
                    Overrides(fix_edits=True), config_file=self.config_file, cwd=self.cwd
                )
            settings = self._files.for_directory(directory)
        elif self.editor_severity:
            # The editor's severities first: on equally specific selectors the first wins.
            settings = replace(settings, severity=(*self.editor_severity, *settings.severity))
        self._resolved[directory] = settings
        return settings


def make_resolver(settings: ServerSettings, root: Path) -> EditorResolver:
    overrides = Overrides(
        select=settings.select,
        extend_select=settings.extend_select,
        ignore=settings.ignore,
        unsafe_fixes=settings.unsafe_fixes,
        min_confidence=settings.min_confidence,
        fix_edits=True,  # quick fixes travel in each diagnostic's `data`
    )
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
