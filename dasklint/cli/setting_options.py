"""``dasklint check``'s options that set a setting, made from their declarations
(:mod:`dasklint.config.options`); their values become :class:`Overrides`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from dasklint.config.declare import Flag
from dasklint.config.keys import BY_NAME, FLAGS, KEYS
from dasklint.config.loader import Overrides

F = TypeVar("F", bound=Callable[..., Any])


def options(*names: str) -> Callable[[F], F]:
    """The options of the keys ``names``, listed in that order in ``--help``."""

    def decorate(command: F) -> F:
        # click lists a command's options in the reverse order they were added.
        for name in reversed(names):
            for flag in reversed(BY_NAME[name].flags):
                if not flag.hidden:
                    command = _option(flag)(command)
        return command

    return decorate


def rest(command: click.Command, after: str) -> None:
    """Give ``command`` the options of every other setting, after the option ``after``
    (a setting declared with an option has it without being named anywhere else)."""
    placed = {param.name for param in command.params}
    at = next(i for i, param in enumerate(command.params) if param.name == after) + 1
    command.params[at:at] = [
        click.Option([flag.option, flag.dest], **_settings(flag))
        for key in KEYS
        for flag in key.flags
        if not flag.hidden and flag.dest not in placed
    ]


def _option(flag: Flag) -> Callable[[F], F]:
    return click.option(flag.option, flag.dest, **_settings(flag))


def _settings(flag: Flag) -> dict[str, Any]:
    """The click option's settings."""
    kwargs: dict[str, Any] = {"help": flag.help, "callback": _reader(flag)}
    if flag.metavar is not None:
        kwargs["metavar"] = flag.metavar
    if flag.envvar is not None:
        kwargs["envvar"] = flag.envvar
    if flag.multiple:
        kwargs["multiple"] = True
    elif flag.is_flag:
        kwargs["is_flag"] = True
    else:
        kwargs["default"] = None
    if flag.choices:
        kwargs["type"] = click.Choice(flag.choices, case_sensitive=flag.case_sensitive)
    elif flag.is_path:
        kwargs["type"] = click.Path(dir_okay=False, path_type=Path)
    return kwargs


def _reader(flag: Flag) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """The option's value as the setting's; None when the option was not given."""

    def read(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None or value == () or (flag.is_flag and value is False):
            return None
        if flag.read is None:
            return value
        try:
            return flag.read(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return read


def overrides(params: dict[str, Any], config: Mapping[str, Any]) -> Overrides:
    """The setting options' values taken out of a command's ``params``, as overrides."""
    given = {name: params.pop(name) for name in FLAGS if name in params}
    return Overrides({name: value for name, value in given.items() if value is not None}, config)
