"""``dasklint``: the command group and the process entry point."""

from __future__ import annotations

import click

from dasklint import __version__
from dasklint.cli.check import check
from dasklint.cli.clean import clean
from dasklint.cli.rule import rule
from dasklint.cli.server import server


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="dasklint")
def cli() -> None:
    """dasklint: find slow and fragile Dask patterns in Python source."""


cli.add_command(check)
cli.add_command(clean)
cli.add_command(rule)
cli.add_command(server)


def main() -> None:
    cli(prog_name="dasklint")
