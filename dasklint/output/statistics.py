"""``--statistics``: how often each rule fired (text or JSON, ruff's shapes)."""

from __future__ import annotations

import json
from collections import Counter

from dasklint.diagnostics import Diagnostic


def render(diagnostics: list[Diagnostic], as_json: bool) -> str:
    counts = Counter((d.code, d.name) for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if d.fixable)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    if as_json:
        data = [
            {
                "code": code,
                "name": name,
                "count": count,
                "fixable": fixable[code] > 0,
                "fixable_count": fixable[code],
            }
            for (code, name), count in rows
        ]
        return json.dumps(data, indent=2) + "\n"
    width = max((len(str(count)) for _, count in rows), default=1)
    lines = [
        f"{count:>{width}}\t{code}\t{'[*]' if fixable[code] else '[ ]'} {name}"
        for (code, name), count in rows
    ]
    return "\n".join(lines) + "\n" if lines else ""
