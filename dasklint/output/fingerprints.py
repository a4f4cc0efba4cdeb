"""Stable identities for findings, for SARIF ``partialFingerprints`` and GitLab.

A fingerprint hashes the rule, the file's relative path and the offending line with its
whitespace collapsed, so it survives edits elsewhere in the file and re-indentation. A
finding that repeats on identical lines gets an occurrence number.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from dasklint.columns import split_lines
from dasklint.diagnostics import Diagnostic
from dasklint.output.context import OutputContext


def normalized_line(ctx: OutputContext, d: Diagnostic, cache: dict[str, list[str]]) -> str:
    if d.filename not in cache:
        cache[d.filename] = split_lines(ctx.read_source(d.filename) or "")
    lines = cache[d.filename]
    text = lines[d.location.row - 1] if 0 < d.location.row <= len(lines) else ""
    return " ".join(text.split())


def fingerprints(ctx: OutputContext, diagnostics: Iterable[Diagnostic]) -> list[str]:
    """One hex digest per diagnostic, in order."""
    seen: Counter[tuple[str, str, str]] = Counter()
    cache: dict[str, list[str]] = {}
    out = []
    for d in diagnostics:
        key = (d.code, ctx.relative(d.filename), normalized_line(ctx, d, cache))
        seen[key] += 1
        text = "\0".join((*key, str(seen[key])))
        out.append(hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest())
    return out
