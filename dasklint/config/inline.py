"""``--config``: a configuration file, or a ``KEY = VALUE`` override (ruff's option).

A value that names an existing file, or holds no ``=``, is the configuration file (at
most one); any other value is read as TOML (``select = ["DSK101"]``,
``rules.processes-scheduler.check-tests = true``) and laid over every configuration
file and the defaults. The overrides are validated as a file's keys are
(:func:`dasklint.config.loader.check_inline`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dasklint.config.loader import merged_tables
from dasklint.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


def split_config_options(values: Iterable[str]) -> tuple[Path | None, dict[str, Any]]:
    """The configuration file and the overrides given with ``--config``."""
    config_file: Path | None = None
    overrides: dict[str, Any] = {}
    for value in values:
        if "=" not in value or Path(value).is_file():
            if config_file is not None:
                raise ConfigError(
                    f"`--config` takes one configuration file, got {config_file} and {value}"
                    " (other values must be KEY = VALUE overrides)"
                )
            config_file = Path(value)
            continue
        try:
            table = tomllib.loads(value)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"`--config {value}` is neither a file nor a valid TOML `KEY = VALUE` "
                f"override: not valid TOML ({exc})"
            ) from None
        overrides = merged_tables(overrides, table)
    return config_file, overrides
