"""``--color auto|always|never`` and the ``NO_COLOR``/``FORCE_COLOR`` conventions.

The answer is for :func:`click.echo`'s ``color``: True or False decide, None leaves it to
click, which keeps the styles only when the stream is a terminal.
"""

from __future__ import annotations

import os

CHOICES = ("auto", "always", "never")


def colour(choice: str) -> bool | None:
    """``always`` and ``never`` decide; under ``auto`` a non-empty ``FORCE_COLOR``
    (force-color.org) turns colour on, then a non-empty ``NO_COLOR`` (no-color.org)
    turns it off, and otherwise click looks at the stream."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    return None
