"""Configuration: ``[tool.dasklint]`` discovery, validation and command-line overrides."""

from dasklint.config.loader import ConfigResolver, Overrides
from dasklint.config.settings import FileSettings, Settings

__all__ = ["ConfigResolver", "FileSettings", "Overrides", "Settings"]
