"""``dasklint server``: a Language Server Protocol server over stdio.

Needs the optional ``lsp`` extra (``pip install 'dasklint[lsp]'``: pygls and lsprotocol).
Nothing here is imported by the command line unless ``dasklint server`` runs.
"""
