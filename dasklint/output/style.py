"""Colours of the human formats, as ruff uses them; plain text when colour is off.

Styling is click's (:func:`click.style`); whether a stream shows it is decided by the
command line (:mod:`dasklint.cli.colour`), never here.
"""

from __future__ import annotations

import click


class Styles:
    """Style functions for one rendering: each returns its text unchanged when off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _style(self, text: str, **how: object) -> str:
        return click.style(text, **how) if self.enabled and text else text  # type: ignore[arg-type]

    def code(self, text: str) -> str:
        """A rule code and the carets under a finding."""
        return self._style(text, fg="bright_red", bold=True)

    def fixable(self, text: str) -> str:
        return self._style(text, fg="bright_cyan", bold=True)

    def strong(self, text: str) -> str:
        return self._style(text, bold=True)

    def filename(self, text: str) -> str:
        return self._style(text, bold=True)

    def separator(self, text: str) -> str:
        return self._style(text, fg="cyan")

    def frame(self, text: str) -> str:
        """The excerpt's gutter: line numbers, ``|`` and ``-->``."""
        return self._style(text, fg="bright_blue", bold=True)

    def label(self, text: str) -> str:
        """``help`` and ``note``."""
        return self._style(text, fg="bright_cyan" if text == "help" else "yellow", bold=True)

    def removed(self, text: str) -> str:
        return self._style(text, fg="red")

    def added(self, text: str) -> str:
        return self._style(text, fg="green")
