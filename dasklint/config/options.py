"""Every setting, declared once: a field of :class:`Selection`, :class:`FileOptions` or
:class:`Options` made by :func:`~dasklint.config.declare.setting` (ruff's ``options.rs``).

From these declarations come the configuration loader (:mod:`dasklint.config.loader`),
``--show-settings`` (:mod:`dasklint.config.describe`), ``dasklint check``'s setting
options (:mod:`dasklint.cli.setting_options`), the editor settings the server maps onto
them (:mod:`dasklint.server.settings`), the Dask runner's wire format for them
(:mod:`dasklint.engine.run.dask_wire`) and the JSON schema of a configuration file
(:mod:`dasklint.config.schema`, ``dasklint/data/dasklint.schema.json``), all through
:data:`dasklint.config.keys.KEYS`. :class:`~dasklint.config.settings.Settings` holds every
setting; :class:`~dasklint.config.settings.FileSettings`, which goes to every linting
process, holds those of :class:`FileOptions`. Adding a setting is one field here (and
what uses it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dasklint.config import extensions, values
from dasklint.config.declare import Flag, Merge, setting
from dasklint.config.extensions import Extension
from dasklint.dask_version import (
    DEFAULT_TARGET_DASK_VERSION,
    DaskVersion,
    format_dask_version,
)
from dasklint.diagnostics import Confidence, Severity
from dasklint.output.formats import OUTPUT_FORMATS

if TYPE_CHECKING:  # not imported at run time: dasklint.rule imports libcst
    from dasklint.rule import OptionValue

# ruff's default exclusions, plus our own cache directory.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints",
    ".mypy_cache", ".nox", ".pants.d", ".pyenv", ".pytest_cache", ".pytype", ".ruff_cache",
    ".svn", ".tox", ".venv", ".vscode", "__pypackages__", "_build", "buck-out", "dist",
    "build", "node_modules", "site-packages", "venv", ".dasklint_cache",
)  # fmt: skip
# The least sure findings reported by default; chosen on the real-code corpus (README).
DEFAULT_MIN_CONFIDENCE = Confidence.MEDIUM


# -- command-line values -------------------------------------------------------------------


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


def _per_file_selectors(pairs: values.PerFileIgnores) -> list[str]:
    return [selector for _, selectors in pairs for selector in selectors]


def _extension_pairs(values_: tuple[str, ...]) -> Extension:
    return tuple(extensions.parse_pair(item) for item in values_)


def _checked(read: Callable[[object], Any]) -> Callable[[Any], Any]:
    """A file value reader as an option value reader (ValueError, as click wants)."""

    def run(value: Any) -> Any:
        try:
            return read(value)
        except TypeError as exc:
            raise ValueError(str(exc)) from None

    return run


def _listed(value: tuple[str, ...]) -> list[str]:
    return list(value)


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


def _selectors(default: Any, *, doc: str, lsp: str, option: str, help_: str) -> Any:
    """A layer of rule selection (a field of :class:`Selection`)."""
    return setting(
        default,
        doc=doc,
        read=values.str_list,
        schema=_SELECTORS,
        selectors=True,
        show=None,  # shown as `enabled`, what the layers add up to
        flags=(_codes_flag(option, help_, "layer"),),
        lsp=lsp,
    )


def _rules_shown(rules: Any) -> dict[str, dict[str, Any]]:
    return {
        code: {name: list(v) if isinstance(v, tuple) else v for name, v in options}
        for code, options in rules
    }


# -- the declarations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """One layer of rule selection (configuration file or command line)."""

    select: tuple[str, ...] | None = _selectors(
        None,
        doc="The rules to enable (codes, code prefixes or names; default: every rule that "
        "is on by default).",
        lsp="select",
        option="--select",
        help_="Rules to enable (codes, prefixes or names).",
    )
    extend_select: tuple[str, ...] = _selectors(
        (),
        doc="Rules to enable on top of `select`.",
        lsp="extendSelect",
        option="--extend-select",
        help_="Rules to enable on top of the selection.",
    )
    ignore: tuple[str, ...] = _selectors(
        (), doc="Rules to disable.", lsp="ignore", option="--ignore", help_="Rules to disable."
    )


@dataclass(frozen=True, kw_only=True)
class FileOptions:
    """The settings that go to every linting process (or Dask worker) with the files:
    the fields of :class:`~dasklint.config.settings.FileSettings` besides the rule set."""

    extension: Extension = setting(
        (),
        doc="Extra file suffixes to lint and how to read them (python, pyi or ipynb), "
        'such as { ipy = "ipynb" }.',
        read=values.extension,
        schema={"type": "object", "additionalProperties": {"enum": list(extensions.LANGUAGES)}},
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
        combine=extensions.merged,
    )
    min_confidence: Confidence = setting(
        DEFAULT_MIN_CONFIDENCE,
        doc="Report only findings at least this sure (high: the source proves it is Dask's).",
        read=values.confidence,
        schema={"enum": list(_CONFIDENCES)},
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
    )
    target_dask_version: DaskVersion = setting(  # gates the DSK10xx rules
        DEFAULT_TARGET_DASK_VERSION,
        doc='The Dask release the code runs on, such as "2025.1.0" (gates the DSK10xx rules).',
        read=values.dask_version,
        schema={"type": "string", "pattern": r"^\d+\.\d+(\.\d+)?$"},
        show=format_dask_version,
        flags=(
            Flag(
                "--target-dask-version",
                "The Dask release the code runs on, e.g. 2025.1 (gates the DSK10xx rules).",
                metavar="VERSION",
                read=_checked(values.dask_version),
            ),
        ),
    )
    unsafe_fixes: bool = setting(
        False,
        doc="Also apply (and mark with [*]) fixes that may change behaviour.",
        read=values.boolean,
        schema=_BOOL,
        flags=(
            Flag(
                "--unsafe-fixes/--no-unsafe-fixes",
                "Also apply (and mark with [*]) fixes that may change behaviour.",
            ),
        ),
        lsp="unsafeFixes",
    )
    ignore_noqa: bool = setting(
        False,
        doc="Ignore `# noqa` and `# dasklint:` suppression comments.",
        read=values.boolean,
        schema=_BOOL,
        in_file=False,
        show=None,
        flags=(
            Flag(
                "--ignore-noqa",
                "Ignore `# noqa` and `# dasklint:` suppression comments.",
                is_flag=True,
            ),
        ),
    )
    fix_edits: bool = setting(
        False,
        doc="Compute the text edits of every fix (JSON output, editors).",
        read=values.boolean,
        schema=_BOOL,
        in_file=False,
        show=None,
        flags=(Flag("--fix-edits", "", hidden=True),),
    )


@dataclass(frozen=True, kw_only=True)
class Options:
    """The settings that stay with the run (discovery, rule selection per file, output)."""

    per_file_ignores: values.PerFileIgnores = setting(
        (),
        doc="Rules to disable in the files a pattern matches (gitignore patterns).",
        read=values.table,
        schema={"type": "object", "additionalProperties": _SELECTORS},
        settle=lambda value, source: values.per_file_ignores(value, source.label),
        show=lambda pairs: {pattern: list(selectors) for pattern, selectors in pairs},
        flags=(
            Flag(
                "--per-file-ignores",
                "Rules to disable in files matching a pattern (replaces the configuration's).",
                multiple=True,
                metavar="PATTERN:CODES",
                read=per_file,
                selectors=_per_file_selectors,
            ),
            Flag(
                "--extend-per-file-ignores",
                "Like --per-file-ignores, added to the configuration's.",
                "extend",
                multiple=True,
                metavar="PATTERN:CODES",
                read=per_file,
                selectors=_per_file_selectors,
            ),
        ),
    )
    fixable: tuple[str, ...] | None = setting(  # None: every rule
        None,
        doc="Rules whose fixes may apply (default: ALL).",
        read=values.str_list,
        schema=_SELECTORS,
        selectors=True,
        show=lambda value: ["ALL"] if value is None else list(value),
        flags=(_codes_flag("--fixable", "Rules whose fixes may apply (default: ALL)."),),
    )
    unfixable: tuple[str, ...] = setting(
        (),
        doc="Rules whose fixes never apply.",
        read=values.str_list,
        schema=_SELECTORS,
        selectors=True,
        show=_listed,
        flags=(_codes_flag("--unfixable", "Rules whose fixes never apply."),),
    )
    exclude: tuple[str, ...] = setting(
        DEFAULT_EXCLUDE,
        doc="Files and directories not linted (gitignore patterns; replaces the default list).",
        read=values.str_list,
        schema=_STRINGS,
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
    )
    extend_exclude: tuple[str, ...] = setting(
        (),
        doc="Files and directories not linted, on top of `exclude`.",
        read=values.str_list,
        schema=_STRINGS,
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
    )
    respect_gitignore: bool = setting(
        True,
        doc="Skip files that .gitignore files ignore.",
        read=values.boolean,
        schema=_BOOL,
        flags=(
            Flag(
                "--respect-gitignore/--no-respect-gitignore",
                "Skip files that .gitignore files ignore (default: on).",
            ),
        ),
    )
    check_tests: bool = setting(  # see Rule.deliberate_in_tests
        False,
        doc="Also report performance patterns in test files and benchmark suites.",
        read=values.boolean,
        schema=_BOOL,
        flags=(
            Flag(
                "--check-tests/--no-check-tests",
                "Also report performance patterns in test files and benchmark suites.",
            ),
        ),
    )
    force_exclude: bool = setting(
        False,
        doc="Apply the exclusions to paths given explicitly too (for pre-commit).",
        read=values.boolean,
        schema=_BOOL,
        flags=(
            Flag(
                "--force-exclude/--no-force-exclude",
                "Apply exclusions to paths given explicitly too (for pre-commit).",
            ),
        ),
    )
    output_format: str = setting(
        "concise",
        doc="How findings are printed.",
        read=values.choice(OUTPUT_FORMATS),
        schema={"enum": list(OUTPUT_FORMATS)},
        flags=(
            Flag(
                "--output-format",
                "How findings are printed (default: concise).",
                choices=OUTPUT_FORMATS,
                envvar="DASKLINT_OUTPUT_FORMAT",
            ),
        ),
    )
    fail_on: Severity = setting(
        Severity.WARNING,
        doc="The least severe finding that makes a run fail (exit 1).",
        read=values.severity,
        schema={"enum": list(_SEVERITIES)},
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
    )
    severity: tuple[tuple[str, Severity], ...] = setting(
        (),
        doc="The severity of the rules a selector names (error, warning or info).",
        read=values.table,
        schema={"type": "object", "additionalProperties": {"enum": list(_SEVERITIES)}},
        settle=lambda value, source: values.severities(value, source.label),
        show=lambda pairs: {selector: level.value for selector, level in pairs},
        lsp="severity",
    )
    rule_options: tuple[tuple[str, tuple[tuple[str, OptionValue], ...]], ...] = setting(
        (),
        name="rules",
        doc="Each rule's options, in a table named by the rule's code or name.",
        read=values.table,
        schema={
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {
                    "type": ["boolean", "integer", "string", "array"],
                    "items": {"type": "string"},
                },
            },
        },
        settle=lambda value, source: values.rule_options(value, source.label),
        show=_rules_shown,
    )
    extend_safe_fixes: tuple[str, ...] = setting(
        (),
        doc="Rules whose unsafe fixes are applied as safe ones.",
        read=values.str_list,
        schema=_SELECTORS,
        selectors=True,
        show=_listed,
    )
    extend_unsafe_fixes: tuple[str, ...] = setting(
        (),
        doc="Rules whose safe fixes are applied only with `unsafe-fixes`.",
        read=values.str_list,
        schema=_SELECTORS,
        selectors=True,
        show=_listed,
    )
    baseline: Path | None = setting(
        None,
        doc="The baseline file: the findings accepted for now (a path relative to the "
        "configuration file).",
        read=values.path,
        schema={"type": "string", "minLength": 1},
        settle=lambda value, source: source.root / value,
        show=None,  # TOML has no null
        flags=(
            Flag(
                "--baseline",
                "Report only the findings this baseline file does not hold (config `baseline`).",
                is_path=True,
            ),
        ),
    )
    docs_url: str | None = setting(
        None,
        doc="The documentation site that findings link to.",
        read=values.url,
        schema={"type": "string", "minLength": 1},
        show=None,  # TOML has no null
    )
