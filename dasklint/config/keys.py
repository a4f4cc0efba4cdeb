"""Every setting as a :class:`~dasklint.config.declare.Key`, read from its one
declaration (a field of :mod:`dasklint.config.options`), and the tables the loader, the
command line, the editor server, the schema and ``--show-settings`` look keys up in."""

from __future__ import annotations

from collections.abc import Mapping

from dasklint.config.declare import Flag, Key, keys_of
from dasklint.config.options import FileOptions, Options, Selection

KEYS: tuple[Key, ...] = (
    *keys_of(Selection, selection=True),
    *keys_of(FileOptions, travels=True),
    *keys_of(Options),
)

BY_NAME: Mapping[str, Key] = {key.name: key for key in KEYS}
FILE_KEYS: Mapping[str, Key] = {key.name: key for key in KEYS if key.in_file}
# Every flag, by its name in Overrides, with its key.
FLAGS: Mapping[str, tuple[Key, Flag]] = {
    flag.dest: (key, flag) for key in KEYS for flag in key.flags
}
