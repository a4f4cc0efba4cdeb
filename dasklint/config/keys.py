"""Every setting, declared once (ruff's ``options.rs``).

A :class:`Key` says how a configuration file spells a setting and how its value is read,
checked, shown and documented, its default, the ``dasklint check`` options that set it
and how they meet the file's value, its name in the editor settings and whether it
travels to the processes (or Dask workers) that lint. From :data:`KEYS` come the
configuration loader (:mod:`dasklint.config.loader`), ``--show-settings``
(:mod:`dasklint.config.describe`), ``dasklint check``'s setting options
(:mod:`dasklint.cli.setting_options`), the editor settings the server maps onto them
(:mod:`dasklint.server.settings`), the Dask runner's wire format for them
(:mod:`dasklint.engine.run.dask_wire`) and the JSON schema of a configuration file
(:mod:`dasklint.config.schema`, ``dasklint/data/dasklint.schema.json``).

:class:`~dasklint.config.settings.Settings` has a typed field per key (the test suite
checks that fields, defaults and keys agree); adding a setting is one declaration here,
its field, and what uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dasklint.config import extensions, values
from dasklint.dask_version import DEFAULT_TARGET_DASK_VERSION, format_dask_version
from dasklint.diagnostics import Confidence, Severity
from dasklint.output.formats import OUTPUT_FORMATS

# ruff's default exclusions, plus our own cache directory.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints",
    ".mypy_cache", ".nox", ".pants.d", ".pyenv", ".pytest_cache", ".pytype", ".ruff_cache",
    ".svn", ".tox", ".venv", ".vscode", "__pypackages__", "_build", "buck-out", "dist",
    "build", "node_modules", "site-packages", "venv", ".dasklint_cache",
)  # fmt: skip
# The least sure findings reported by default; chosen on the real-code corpus (README).
DEFAULT_MIN_CONFIDENCE = Confidence.MEDIUM

# How a command-line value meets the configuration file's: it replaces it, is added to it,
# or (rule selection) is a layer applied on top of the file's.
Merge = Literal["replace", "extend", "layer"]


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
    # Not a command-line option: the faces set it (the output format asks for fix edits).
    hidden: bool = False

    @property
    def dest(self) -> str:
        """The option's name in :class:`~dasklint.config.loader.Overrides`."""
        return self.option.split("/")[0].removeprefix("--").replace("-", "_")

    @property
    def is_switch(self) -> bool:
        return "/" in self.option


def _same(value: Any) -> Any:
    return value


def _listed(value: tuple[str, ...]) -> list[str]:
    return list(value)


def _concatenated(base: tuple[Any, ...], extra: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*base, *extra)


@dataclass(frozen=True)
class Key:
    """One setting."""

    name: str  # as a configuration file spells it
    doc: str
    default: Any
    read: Callable[[object], Any]  # a file's value -> the setting's (TypeError: why not)
    schema: Mapping[str, Any]  # JSON schema of a file's value (without the description)
    attr: str | None = None  # the Settings field; None: name in snake case
    in_file: bool = True  # False: given on the command line or by the faces only
    # What the file's value becomes once its file is known (paths, rule selectors).
    settle: Callable[[Any, Source], Any] | None = None
    selectors: bool = False  # holds rule selectors, checked against the rules
    selection: bool = False  # a layer of rule selection (Settings.layers), not a field
    # As `--show-settings` prints it (a TOML value); None: not printed.
    show: Callable[[Any], Any] | None = _same
    flags: tuple[Flag, ...] = ()
    lsp: str | None = None  # the editor setting (camelCase) that sets it
    travels: bool = False  # copied into FileSettings, which goes to every linting process
    combine: Callable[[Any, Any], Any] = _concatenated  # an "extend" flag's value added

    @property
    def field(self) -> str:
        return self.attr or self.name.replace("-", "_")

    def shown(self, value: Any) -> Any:
        """The value as a TOML/JSON value (``--show-settings``, the Dask wire)."""
        return value if self.show is None else self.show(value)


def codes(values_: tuple[str, ...]) -> tuple[str, ...]:
    """``--select A,B --select C`` as ``(A, B, C)``."""
    return tuple(code.strip() for value in values_ for code in value.split(",") if code.strip())


def per_file(values_: tuple[str, ...]) -> values.PerFileIgnores:
    """``PATTERN:CODES`` options as (pattern, codes) pairs."""
    out = []
    for value in values_:
        pattern, sep, selectors = value.rpartition(":")
        if not sep or not pattern:
            raise ValueError(f"expected PATTERN:CODES, got {value!r}")
        out.append((pattern, codes((selectors,))))
    return tuple(out)


def _extension_pairs(values_: tuple[str, ...]) -> extensions.Extension:
    return tuple(extensions.parse_pair(item) for item in values_)


def _checked(read: Callable[[object], Any]) -> Callable[[Any], Any]:
    """A file value reader as an option value reader (ValueError, as click wants)."""

    def run(value: Any) -> Any:
        try:
            return read(value)
        except TypeError as exc:
            raise ValueError(str(exc)) from None

    return run


_STRINGS: Mapping[str, Any] = {"type": "array", "items": {"type": "string"}}
_SELECTORS: Mapping[str, Any] = {
    "type": "array",
    "items": {"type": "string", "description": "A rule code, code prefix or name, or ALL."},
}
_BOOL: Mapping[str, Any] = {"type": "boolean"}
_SEVERITIES = tuple(s.value for s in Severity)
_CONFIDENCES = tuple(c.value for c in Confidence)


def _codes_flag(option: str, help_: str, merge: Merge = "replace") -> Flag:
    return Flag(option, help_, merge, multiple=True, metavar="CODES", read=codes)


def _selectors(name: str, doc: str, default: Any, lsp: str, help_: str) -> Key:
    return Key(
        name,
        doc,
        default,
        values.str_list,
        _SELECTORS,
        selectors=True,
        selection=True,
        show=None,  # shown as `enabled`, what the layers add up to
        flags=(_codes_flag(f"--{name}", help_, "layer"),),
        lsp=lsp,
    )


KEYS: tuple[Key, ...] = (
    _selectors(
        "select",
        "The rules to enable (codes, code prefixes or names; default: every rule that is "
        "on by default).",
        None,
        "select",
        "Rules to enable (codes, prefixes or names).",
    ),
    _selectors(
        "extend-select",
        "Rules to enable on top of `select`.",
        (),
        "extendSelect",
        "Rules to enable on top of the selection.",
    ),
    _selectors("ignore", "Rules to disable.", (), "ignore", "Rules to disable."),
    Key(
        "per-file-ignores",
        "Rules to disable in the files a pattern matches (gitignore patterns).",
        (),
        values.table,
        {"type": "object", "additionalProperties": _SELECTORS},
        settle=lambda value, source: values.per_file_ignores(value, source.label),
        show=lambda pairs: {pattern: list(selectors) for pattern, selectors in pairs},
        flags=(
            Flag(
                "--per-file-ignores",
                "Rules to disable in files matching a pattern (replaces the configuration's).",
                multiple=True,
                metavar="PATTERN:CODES",
                read=per_file,
            ),
            Flag(
                "--extend-per-file-ignores",
                "Like --per-file-ignores, added to the configuration's.",
                "extend",
                multiple=True,
                metavar="PATTERN:CODES",
                read=per_file,
            ),
        ),
    ),
    Key(
        "fixable",
        "Rules whose fixes may apply (default: ALL).",
        None,
        values.str_list,
        _SELECTORS,
        selectors=True,
        show=lambda value: ["ALL"] if value is None else list(value),
        flags=(_codes_flag("--fixable", "Rules whose fixes may apply (default: ALL)."),),
    ),
    Key(
        "unfixable",
        "Rules whose fixes never apply.",
        (),
        values.str_list,
        _SELECTORS,
        selectors=True,
        show=_listed,
        flags=(_codes_flag("--unfixable", "Rules whose fixes never apply."),),
    ),
    Key(
        "exclude",
        "Files and directories not linted (gitignore patterns; replaces the default list).",
        DEFAULT_EXCLUDE,
        values.str_list,
        _STRINGS,
        show=_listed,
        flags=(
            Flag(
                "--exclude",
                "Replace the exclusions.",
                multiple=True,
                metavar="PATTERN",
                read=tuple,
            ),
        ),
    ),
    Key(
        "extend-exclude",
        "Files and directories not linted, on top of `exclude`.",
        (),
        values.str_list,
        _STRINGS,
        show=_listed,
        flags=(
            Flag(
                "--extend-exclude",
                "Add to the exclusions.",
                "extend",
                multiple=True,
                metavar="PATTERN",
                read=tuple,
            ),
        ),
    ),
    Key(
        "respect-gitignore",
        "Skip files that .gitignore files ignore.",
        True,
        values.boolean,
        _BOOL,
        flags=(
            Flag(
                "--respect-gitignore/--no-respect-gitignore",
                "Skip files that .gitignore files ignore (default: on).",
            ),
        ),
    ),
    Key(
        "extension",
        "Extra file suffixes to lint and how to read them (python, pyi or ipynb), "
        'such as { ipy = "ipynb" }.',
        (),
        values.extension,
        {"type": "object", "additionalProperties": {"enum": list(extensions.LANGUAGES)}},
        show=dict,
        flags=(
            Flag(
                "--extension",
                "Also lint files with this suffix, read as python, pyi or ipynb (e.g. ipy:ipynb).",
                "extend",
                multiple=True,
                metavar="EXT:LANGUAGE",
                read=_extension_pairs,
            ),
        ),
        travels=True,
        combine=extensions.merged,
    ),
    Key(
        "check-tests",
        "Also report performance patterns in test files and benchmark suites.",
        False,
        values.boolean,
        _BOOL,
        flags=(
            Flag(
                "--check-tests/--no-check-tests",
                "Also report performance patterns in test files and benchmark suites.",
            ),
        ),
    ),
    Key(
        "min-confidence",
        "Report only findings at least this sure (high: the source proves it is Dask's).",
        DEFAULT_MIN_CONFIDENCE,
        values.confidence,
        {"enum": list(_CONFIDENCES)},
        show=lambda confidence: confidence.value,
        flags=(
            Flag(
                "--min-confidence",
                "Report only findings at least this sure (high: the source proves it is Dask's).",
                choices=_CONFIDENCES,
                read=Confidence,
            ),
        ),
        lsp="minConfidence",
        travels=True,
    ),
    Key(
        "force-exclude",
        "Apply the exclusions to paths given explicitly too (for pre-commit).",
        False,
        values.boolean,
        _BOOL,
        flags=(
            Flag(
                "--force-exclude/--no-force-exclude",
                "Apply exclusions to paths given explicitly too (for pre-commit).",
            ),
        ),
    ),
    Key(
        "target-dask-version",
        'The Dask release the code runs on, such as "2025.1.0" (gates the DSK10xx rules).',
        DEFAULT_TARGET_DASK_VERSION,
        values.dask_version,
        {"type": "string", "pattern": r"^\d+\.\d+(\.\d+)?$"},
        show=format_dask_version,
        flags=(
            Flag(
                "--target-dask-version",
                "The Dask release the code runs on, e.g. 2025.1 (gates the DSK10xx rules).",
                metavar="VERSION",
                read=_checked(values.dask_version),
            ),
        ),
        travels=True,
    ),
    Key(
        "output-format",
        "How findings are printed.",
        "concise",
        values.choice(OUTPUT_FORMATS),
        {"enum": list(OUTPUT_FORMATS)},
        flags=(
            Flag(
                "--output-format",
                "How findings are printed (default: concise).",
                choices=OUTPUT_FORMATS,
                envvar="DASKLINT_OUTPUT_FORMAT",
            ),
        ),
    ),
    Key(
        "fail-on",
        "The least severe finding that makes a run fail (exit 1).",
        Severity.WARNING,
        values.severity,
        {"enum": list(_SEVERITIES)},
        show=lambda severity: severity.value,
        flags=(
            Flag(
                "--fail-on",
                "The least severe finding that makes the run exit 1 (default: warning).",
                choices=_SEVERITIES,
                case_sensitive=False,
                read=Severity.parse,
            ),
        ),
    ),
    Key(
        "severity",
        "The severity of the rules a selector names (error, warning or info).",
        (),
        values.table,
        {"type": "object", "additionalProperties": {"enum": list(_SEVERITIES)}},
        settle=lambda value, source: values.severities(value, source.label),
        show=lambda pairs: {selector: level.value for selector, level in pairs},
        lsp="severity",
    ),
    Key(
        "rules",
        "Each rule's options, in a table named by the rule's code or name.",
        (),
        values.table,
        {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {
                    "type": ["boolean", "integer", "string", "array"],
                    "items": {"type": "string"},
                },
            },
        },
        attr="rule_options",
        settle=lambda value, source: values.rule_options(value, source.label),
        show=lambda rules: {
            code: {name: list(v) if isinstance(v, tuple) else v for name, v in options}
            for code, options in rules
        },
    ),
    Key(
        "unsafe-fixes",
        "Also apply (and mark with [*]) fixes that may change behaviour.",
        False,
        values.boolean,
        _BOOL,
        flags=(
            Flag(
                "--unsafe-fixes/--no-unsafe-fixes",
                "Also apply (and mark with [*]) fixes that may change behaviour.",
            ),
        ),
        lsp="unsafeFixes",
        travels=True,
    ),
    Key(
        "extend-safe-fixes",
        "Rules whose unsafe fixes are applied as safe ones.",
        (),
        values.str_list,
        _SELECTORS,
        selectors=True,
        show=_listed,
    ),
    Key(
        "extend-unsafe-fixes",
        "Rules whose safe fixes are applied only with `unsafe-fixes`.",
        (),
        values.str_list,
        _SELECTORS,
        selectors=True,
        show=_listed,
    ),
    Key(
        "ignore-noqa",
        "Ignore `# noqa` and `# dasklint:` suppression comments.",
        False,
        values.boolean,
        _BOOL,
        in_file=False,
        show=None,
        flags=(
            Flag(
                "--ignore-noqa",
                "Ignore `# noqa` and `# dasklint:` suppression comments.",
                is_flag=True,
            ),
        ),
        travels=True,
    ),
    Key(
        "fix-edits",
        "Compute the text edits of every fix (JSON output, editors).",
        False,
        values.boolean,
        _BOOL,
        in_file=False,
        show=None,
        flags=(Flag("--fix-edits", "", hidden=True),),
        travels=True,
    ),
    Key(
        "baseline",
        "The baseline file: the findings accepted for now (a path relative to the "
        "configuration file).",
        None,
        values.path,
        {"type": "string", "minLength": 1},
        settle=lambda value, source: source.root / value,
        show=None,  # TOML has no null
        flags=(
            Flag(
                "--baseline",
                "Report only the findings this baseline file does not hold (config `baseline`).",
                is_path=True,
            ),
        ),
    ),
    Key(
        "docs-url",
        "The documentation site that findings link to.",
        None,
        values.url,
        {"type": "string", "minLength": 1},
        show=None,  # TOML has no null
    ),
)

BY_NAME: Mapping[str, Key] = {key.name: key for key in KEYS}
FILE_KEYS: Mapping[str, Key] = {key.name: key for key in KEYS if key.in_file}
# Every flag, by its name in Overrides, with its key.
FLAGS: Mapping[str, tuple[Key, Flag]] = {
    flag.dest: (key, flag) for key in KEYS for flag in key.flags
}
