"""Turning failures into ``dasklint failed`` / ``Cause: ...`` and exit status 2."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import click

from dasklint.errors import DasklintError

P = ParamSpec("P")
R = TypeVar("R")

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


def fail(cause: str) -> click.exceptions.Exit:
    click.echo(f"dasklint failed\n  Cause: {cause}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """No traceback ever reaches the user; a broken pipe (``| head``) ends quietly."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            silence_stdout()
            raise click.exceptions.Exit(EXIT_OK) from None
        except DasklintError as exc:
            raise fail(str(exc)) from None
        except Exception as exc:
            if os.environ.get("DASKLINT_TRACEBACK"):
                raise
            raise fail(f"internal error: {type(exc).__name__}: {exc}") from None

    return wrapper


def silence_stdout() -> None:
    """After the reader of our stdout went away, make further writes go nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
