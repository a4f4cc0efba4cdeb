"""``dask.async``: the old name of ``dask.local``, which no parser since Python 3.7 accepts.

``async`` became a keyword in Python 3.7, so a module that imports ``dask.async`` cannot be
parsed at all (not by ``ast``, not by libcst for any Python version). The tokenizer still
reads it, so the spelling can be found in the tokens and replaced by ``dask.local``, the
module it became: the same length, so every position in the file stays valid. The
project index and the engine use this to analyse such a file as if it said ``dask.local``.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

_OLD, _NEW = "async", "local"
_LINES = re.compile(r"(?<=\n)")  # the tokenizer reads lines ending in "\n" only


@dataclass(frozen=True, slots=True)
class Respelled:
    """The source with ``dask.async`` spelled ``dask.local``, and where ``async`` stood
    (1-based rows, 0-based columns in code points)."""

    source: bytes
    places: tuple[tuple[int, int], ...]


def respell_dask_async(
    source: bytes, only: frozenset[tuple[int, int]] | None = None
) -> Respelled | None:
    """``source`` with each ``dask.async`` (each in ``only``, when given) respelled;
    None when there is none."""
    tokens: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            tokens.append(token)
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, LookupError):
        pass  # keep the tokens before the error (an unclosed bracket ends the stream)
    encoding = tokens[0].string if tokens and tokens[0].type == tokenize.ENCODING else "utf-8"
    places = tuple(
        tokens[i + 2].start
        for i in range(len(tokens) - 2)
        if tokens[i].type == tokenize.NAME
        and tokens[i].string == "dask"
        and tokens[i + 1].string == "."
        and tokens[i + 2].type == tokenize.NAME
        and tokens[i + 2].string == _OLD
    )
    if only is not None:
        places = tuple(place for place in places if place in only)
    if not places:
        return None
    try:
        lines = _LINES.split(source.decode(encoding))
        for row, column in places:
            line = lines[row - 1]
            lines[row - 1] = line[:column] + _NEW + line[column + len(_OLD) :]
        return Respelled("".join(lines).encode(encoding), places)
    except (UnicodeError, LookupError, IndexError):
        return None
