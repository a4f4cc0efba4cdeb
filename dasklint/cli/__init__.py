"""The command line: thin click commands over :mod:`dasklint.api`; no lint logic here."""
