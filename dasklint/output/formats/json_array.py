"""``--output-format json``: one JSON array of diagnostics."""

from __future__ import annotations

import json

from dasklint.output.context import OutputContext
from dasklint.output.format import Format
from dasklint.output.serialize import diagnostic_to_dict

FORMAT = Format("json", 30, fix_edits=True)


def render(ctx: OutputContext) -> str:
    return json.dumps([diagnostic_to_dict(d, ctx) for d in ctx.diagnostics], indent=2) + "\n"
