"""``--output-format lsp``: a JSON array of ``PublishDiagnosticsParams``, one per file,
exactly as ``dasklint server`` publishes them (same serializer)."""

from __future__ import annotations

import json
from itertools import groupby

from dasklint.columns import column_units
from dasklint.output.context import OutputContext
from dasklint.output.format import Format
from dasklint.output.lsp_serialize import publish_params

FORMAT = Format("lsp", 130, file_lines=True, fix_edits=True)


def render(ctx: OutputContext) -> str:
    units = column_units(ctx.position_encoding)
    out = []
    for filename, group in groupby(ctx.diagnostics, key=lambda d: d.filename):
        source = ctx.read_source(filename) or ""
        params = publish_params(
            ctx.uri(filename), list(group), source, units, docs_url=ctx.docs_url
        )
        out.append(params)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
