"""Extra file suffixes and how they are read (ruff's ``--extension ext:language``).

``*.py``, ``*.pyi`` and ``*.ipynb`` are always linted; the mapping adds suffixes (``pyw``
read as Python, ``ipy`` read as a notebook) or changes how one is read. Suffixes are
given without the dot; a mapped suffix matches file names exactly (case included).
"""

from __future__ import annotations

from collections.abc import Mapping

from dasklint.notebook import is_notebook

LANGUAGES = ("python", "pyi", "ipynb")

Extension = tuple[tuple[str, str], ...]  # (suffix, language), sorted by suffix


def parse_pair(value: str) -> tuple[str, str]:
    """``"ipy:ipynb"`` as ``("ipy", "ipynb")``; ValueError says what is wrong."""
    suffix, sep, language = value.partition(":")
    if not sep:
        raise ValueError(f"expected EXTENSION:LANGUAGE (such as `ipy:ipynb`), got {value!r}")
    return _checked(suffix, language)


def from_table(table: Mapping[str, object]) -> Extension:
    """The ``extension`` table of a configuration file; ValueError says what is wrong."""
    pairs = []
    for suffix, language in table.items():
        if not isinstance(language, str):
            raise ValueError(f"`{suffix}`: expected one of {', '.join(LANGUAGES)}")
        pairs.append(_checked(suffix, language))
    return tuple(sorted(pairs))


def _checked(suffix: str, language: str) -> tuple[str, str]:
    suffix = suffix.strip().removeprefix(".")
    language = language.strip().lower()
    if not suffix or "/" in suffix or "." in suffix:
        raise ValueError(f"{suffix!r} is not a file extension (such as `pyw` or `ipy`)")
    if language not in LANGUAGES:
        raise ValueError(
            f"unknown language {language!r} for `.{suffix}` (expected one of "
            f"{', '.join(LANGUAGES)})"
        )
    return suffix, language


def merged(base: Extension, extra: Extension) -> Extension:
    """``base`` with the pairs of ``extra`` added (for the same suffix, ``extra`` wins)."""
    return tuple(sorted({**dict(base), **dict(extra)}.items()))


def language_of(filename: str, extension: Extension) -> str | None:
    """The language a mapped suffix gives ``filename``; None when its suffix is not mapped."""
    if not extension:
        return None
    _, dot, suffix = filename.rpartition(".")
    return dict(extension).get(suffix) if dot else None


def reads_as_notebook(filename: str, extension: Extension) -> bool:
    language = language_of(filename, extension)
    return is_notebook(filename) if language is None else language == "ipynb"
