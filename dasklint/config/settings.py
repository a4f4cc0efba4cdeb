"""Resolved settings: what one configuration file (plus overrides) means for linting."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import pathspec

from dasklint import registry
from dasklint.config.extensions import language_of, reads_as_notebook
from dasklint.config.options import FileOptions, Options, Selection
from dasklint.diagnostics import Confidence, Severity

if TYPE_CHECKING:  # not imported at run time: dasklint.rule imports libcst
    from dasklint.rule import OptionValue

TEST_FILE_PATTERNS: tuple[str, ...] = (
    "test_*.py", "*_test.py", "conftest.py", "tests/", "test/", "testing/",
)  # fmt: skip
# Benchmark suites (asv's `benchmarks/` and `asv_bench/`) time schedulers and tiny tasks on
# purpose, as tests exercise them.
BENCHMARK_PATTERNS: tuple[str, ...] = ("benchmarks/", "benchmark/", "asv_bench/")
# Linted when found while walking a directory (notebooks: dasklint.notebook).
PYTHON_SUFFIXES = (".py", ".pyi", ".ipynb")


@dataclass(frozen=True)
class Settings(Options, FileOptions):
    """Everything a run needs from one configuration file and the command line: every
    setting (declared in :mod:`dasklint.config.options`), and where they come from."""

    root: Path  # the directory paths in the configuration are relative to
    config_file: Path | None = None
    layers: tuple[Selection, ...] = ()

    def lints(self, name: str) -> bool:
        """A file of this name found while walking a directory is linted."""
        return name.endswith(PYTHON_SUFFIXES) or language_of(name, self.extension) is not None

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

    @cached_property
    def _real_root(self) -> str:
        return os.path.realpath(self.root)

    def relative(self, path: Path) -> str:
        try:
            # realpath, not resolve(): it never raises on a symlink loop (Python < 3.13).
            real = Path(os.path.realpath(path))
            return PurePosixPath(real.relative_to(self._real_root)).as_posix()
        except ValueError:
            # Outside the configuration's directory only the name can match patterns.
            return path.name

    def is_excluded(self, path: Path, is_dir: bool = False) -> bool:
        rel = self.relative(path)
        return self._exclude_spec.match_file(rel + "/" if is_dir else rel)

    @cached_property
    def _file_settings(self) -> dict[tuple[tuple[int, ...], bool, bool], FileSettings]:
        return {}

    def for_file(self, path: Path) -> FileSettings:
        """The rule set, severities and options that apply to one file (one object for
        all the files that the same per-file ignores match and that are alike tests)."""
        rel = self.relative(path)
        matched = tuple(
            i for i, (pattern, _) in enumerate(self._per_file) if pattern.match_file(rel)
        )
        kind = (matched, is_test_path(rel), is_benchmark_path(rel))
        found = self._file_settings.get(kind)
        if found is None:
            found = self._file_settings[kind] = self._for_file(*kind)
        return found

    def _for_file(
        self, matched: tuple[int, ...], is_test_file: bool, is_benchmark: bool
    ) -> FileSettings:
        enabled = set(self.enabled)
        for index in matched:
            enabled = registry.apply_layer(enabled, None, (), self._per_file[index][1])
        held: frozenset[str] = frozenset()
        if (is_test_file or is_benchmark) and not self.check_tests:
            held = frozenset(enabled & self._deliberate_in_tests)
            enabled -= held
        severities: dict[str, Severity] = {}
        for rule in registry.catalog():
            best = -1
            for selector, severity in self.severity:
                spec = registry.specificity(selector, rule)
                if spec is not None and spec > best:
                    best, severities[rule.code] = spec, severity
        return FileSettings(
            enabled=frozenset(enabled),
            severities=tuple(sorted(severities.items())),
            options=self.rule_options,
            is_test_file=is_test_file or is_benchmark,
            held_for_tests=held,
            unfixable=self._unfixable,
            promoted_fixes=self._codes(self.extend_safe_fixes),
            demoted_fixes=self._codes(self.extend_unsafe_fixes),
            **{field.name: getattr(self, field.name) for field in fields(FileOptions)},
        )

    @cached_property
    def _deliberate_in_tests(self) -> frozenset[str]:
        """Codes not reported in tests and benchmarks: the rule is deliberate there and
        neither `check-tests` nor the rule's own `check-tests` option asks for it."""
        options = dict(self.rule_options)
        return frozenset(
            rule.code
            for rule in registry.catalog()
            if rule.deliberate_in_tests and not dict(options.get(rule.code, ())).get("check-tests")
        )

    @cached_property
    def _unfixable(self) -> frozenset[str]:
        fixable = registry.apply_layer(set(), self.fixable or ("ALL",), (), self.unfixable)
        return frozenset(rule.code for rule in registry.catalog()) - fixable

    @staticmethod
    def _codes(selectors: tuple[str, ...]) -> frozenset[str]:
        return (
            frozenset(registry.apply_layer(set(), selectors, (), ())) if selectors else frozenset()
        )


@dataclass(frozen=True)
class FileSettings(FileOptions):
    """What the engine needs to lint one file; small and picklable for worker processes.
    The settings of :class:`~dasklint.config.options.FileOptions` come as they are."""

    enabled: frozenset[str]
    severities: tuple[tuple[str, Severity], ...] = ()
    options: tuple[tuple[str, tuple[tuple[str, OptionValue], ...]], ...] = ()
    is_test_file: bool = False  # by its path: a test file or a benchmark suite's
    # Rules the test-file policy turned off here; they run after all when the file turns out
    # to be a program run on its own (a demo script under tests/: semantic.origin).
    held_for_tests: frozenset[str] = frozenset()
    unfixable: frozenset[str] = frozenset()  # codes whose fixes are dropped
    promoted_fixes: frozenset[str] = frozenset()  # `extend-safe-fixes`: unsafe -> safe
    demoted_fixes: frozenset[str] = frozenset()  # `extend-unsafe-fixes`: safe -> unsafe

    def is_notebook(self, filename: str) -> bool:
        """The file is read as a notebook (``.ipynb``, or a suffix mapped to ``ipynb``)."""
        return reads_as_notebook(filename, self.extension)

    def reports(self, confidence: Confidence) -> bool:
        """A finding of this confidence is sure enough to be reported."""
        return confidence.rank >= self.min_confidence.rank

    def severity_for(self, code: str) -> Severity | None:
        return dict(self.severities).get(code)

    def options_for(self, code: str) -> dict[str, OptionValue]:
        return dict(dict(self.options).get(code, ()))


_TEST_SPEC = pathspec.GitIgnoreSpec.from_lines(TEST_FILE_PATTERNS)


def is_test_path(relative_path: str) -> bool:
    """Test files by the usual pytest conventions."""
    return _TEST_SPEC.match_file(relative_path)


_BENCHMARK_SPEC = pathspec.GitIgnoreSpec.from_lines(BENCHMARK_PATTERNS)


def is_benchmark_path(relative_path: str) -> bool:
    """Files of a benchmark suite (asv's layout)."""
    return _BENCHMARK_SPEC.match_file(relative_path)
