"""Errors that end a run with exit status 2 and a one-line cause (never a traceback)."""


class DasklintError(Exception):
    """A usage, configuration or environment problem the user can fix."""


class ConfigError(DasklintError):
    """A configuration file or option is invalid."""
