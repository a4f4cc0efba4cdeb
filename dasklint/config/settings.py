"""Resolved settings: what one configuration file (plus overrides) means for linting."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import pathspec

from dasklint import registry
from dasklint.diagnostics import Severity
from dasklint.rule import OptionValue

# ruff's default exclusions, plus our own cache directory.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints",
    ".mypy_cache", ".nox", ".pants.d", ".pyenv", ".pytest_cache", ".pytype", ".ruff_cache",
    ".svn", ".tox", ".venv", ".vscode", "__pypackages__", "_build", "buck-out", "dist",
    "build", "node_modules", "site-packages", "venv", ".dasklint_cache",
)  # fmt: skip

TEST_FILE_PATTERNS: tuple[str, ...] = (
    "test_*.py", "*_test.py", "conftest.py", "tests/", "test/", "testing/",
)  # fmt: skip


@dataclass(frozen=True)
class Selection:
    """One layer of rule selection (configuration file or command line)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Everything a run needs from one configuration file and the command line."""

    root: Path  # the directory paths in the configuration are relative to
    config_file: Path | None = None
    layers: tuple[Selection, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False
    output_format: str = "concise"
    severity: tuple[tuple[str, Severity], ...] = ()
    rule_options: tuple[tuple[str, tuple[tuple[str, OptionValue], ...]], ...] = ()
    # Fixes (ruff's keys): which rules may be fixed, and fixes moved between levels.
    unsafe_fixes: bool = False
    fixable: tuple[str, ...] | None = None  # None: every rule
    unfixable: tuple[str, ...] = ()
    extend_safe_fixes: tuple[str, ...] = ()
    extend_unsafe_fixes: tuple[str, ...] = ()
    fix_edits: bool = False  # compute text edits for every fix (JSON output, editors)

    @cached_property
    def enabled(self) -> frozenset[str]:
        enabled = registry.default_enabled()
        for layer in self.layers:
            enabled = registry.apply_layer(enabled, layer.select, layer.extend_select, layer.ignore)
        return frozenset(enabled)

    @cached_property
    def _exclude_spec(self) -> pathspec.PathSpec[Any]:
        return pathspec.GitIgnoreSpec.from_lines([*self.exclude, *self.extend_exclude])

    @cached_property
    def _per_file(self) -> tuple[tuple[pathspec.PathSpec[Any], tuple[str, ...]], ...]:
        return tuple(
            (pathspec.GitIgnoreSpec.from_lines([pattern]), selectors)
            for pattern, selectors in self.per_file_ignores
        )

    def relative(self, path: Path) -> str:
        try:
            # realpath, not resolve(): it never raises on a symlink loop (Python < 3.13).
            real = Path(os.path.realpath(path))
            return PurePosixPath(real.relative_to(os.path.realpath(self.root))).as_posix()
        except ValueError:
            # Outside the configuration's directory only the name can match patterns.
            return path.name

    def is_excluded(self, path: Path, is_dir: bool = False) -> bool:
        rel = self.relative(path)
        return self._exclude_spec.match_file(rel + "/" if is_dir else rel)

    def for_file(self, path: Path) -> FileSettings:
        """The rule set, severities and options that apply to one file."""
        rel = self.relative(path)
        enabled = set(self.enabled)
        for pattern, selectors in self._per_file:
            if pattern.match_file(rel):
                enabled = registry.apply_layer(enabled, None, (), selectors)
        severities: dict[str, Severity] = {}
        for rule in registry.all_rules():
            best = -1
            for selector, severity in self.severity:
                spec = registry.specificity(selector, rule)
                if spec is not None and spec > best:
                    best, severities[rule.code] = spec, severity
        return FileSettings(
            enabled=frozenset(enabled),
            severities=tuple(sorted(severities.items())),
            options=self.rule_options,
            is_test_file=is_test_path(rel),
            unsafe_fixes=self.unsafe_fixes,
            unfixable=self._unfixable,
            promoted_fixes=self._codes(self.extend_safe_fixes),
            demoted_fixes=self._codes(self.extend_unsafe_fixes),
            fix_edits=self.fix_edits,
        )

    @cached_property
    def _unfixable(self) -> frozenset[str]:
        fixable = registry.apply_layer(set(), self.fixable or ("ALL",), (), self.unfixable)
        return frozenset(rule.code for rule in registry.all_rules()) - fixable

    @staticmethod
    def _codes(selectors: tuple[str, ...]) -> frozenset[str]:
        return (
            frozenset(registry.apply_layer(set(), selectors, (), ())) if selectors else frozenset()
        )


@dataclass(frozen=True)
class FileSettings:
    """What the engine needs to lint one file; small and picklable for worker processes."""

    enabled: frozenset[str]
    severities: tuple[tuple[str, Severity], ...] = ()
    options: tuple[tuple[str, tuple[tuple[str, OptionValue], ...]], ...] = ()
    is_test_file: bool = False
    unsafe_fixes: bool = False  # `--unsafe-fixes`: unsafe fixes are applied and marked `[*]`
    unfixable: frozenset[str] = frozenset()  # codes whose fixes are dropped
    promoted_fixes: frozenset[str] = frozenset()  # `extend-safe-fixes`: unsafe -> safe
    demoted_fixes: frozenset[str] = frozenset()  # `extend-unsafe-fixes`: safe -> unsafe
    fix_edits: bool = False

    def severity_for(self, code: str) -> Severity | None:
        return dict(self.severities).get(code)

    def options_for(self, code: str) -> dict[str, OptionValue]:
        return dict(dict(self.options).get(code, ()))


_TEST_SPEC = pathspec.GitIgnoreSpec.from_lines(TEST_FILE_PATTERNS)


def is_test_path(relative_path: str) -> bool:
    """Test files by the usual pytest conventions."""
    return _TEST_SPEC.match_file(relative_path)
