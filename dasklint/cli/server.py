"""``dasklint server``: the language server over stdio (needs the ``lsp`` extra)."""

from __future__ import annotations

import importlib.util

import click

INSTALL_HINT = (
    "dasklint server needs the optional LSP dependencies (pygls and lsprotocol).\n"
    "Install them with:  pip install 'dasklint[lsp]'"
)


@click.command()
def server() -> None:
    """Run the language server over stdio (for editors)."""
    if importlib.util.find_spec("pygls") is None or importlib.util.find_spec("lsprotocol") is None:
        click.echo(INSTALL_HINT, err=True)
        raise click.exceptions.Exit(2)
    from dasklint.server.app import start

    raise click.exceptions.Exit(start())
