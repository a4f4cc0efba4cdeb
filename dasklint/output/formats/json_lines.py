"""``--output-format json-lines``: one JSON object per line."""

from __future__ import annotations

import json

from dasklint.output.context import OutputContext
from dasklint.output.format import Format
from dasklint.output.serialize import diagnostic_to_dict

FORMAT = Format("json-lines", 40, fix_edits=True)


def render(ctx: OutputContext) -> str:
    return "".join(json.dumps(diagnostic_to_dict(d, ctx)) + "\n" for d in ctx.diagnostics)
