"""``dasklint``: the command group (the process starts in :mod:`dasklint.cli.entry`).

Subcommands are imported when they run (or when help lists them): ``dasklint check`` on
one file must not pay for the server, the rule documentation or the cache cleaner.
"""

from __future__ import annotations

import importlib

import click

from dasklint import __version__

# name -> (module, attribute) of each subcommand, in the order help lists them.
COMMANDS = {
    "check": ("dasklint.cli.check", "check"),
    "clean": ("dasklint.cli.clean", "clean"),
    "rule": ("dasklint.cli.rule", "rule"),
    "server": ("dasklint.cli.server", "server"),
    "trace": ("dasklint.cli.trace", "trace"),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *super().list_commands(ctx)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = COMMANDS.get(cmd_name)
        if found is None:
            return super().get_command(ctx, cmd_name)
        module, attribute = found
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="dasklint")
def cli() -> None:
    """dasklint: find slow and fragile Dask patterns in Python source."""
