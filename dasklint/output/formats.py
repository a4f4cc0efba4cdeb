"""Every output format, one record each: adding a format is its module and its record.

A format's module is imported when the format is used: some need heavy modules (JUnit
needs ``xml.sax``, which pulls in ``urllib`` and ``http``; SARIF needs the rules).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # as `--output-format` and `output-format` spell it
    module: str  # dasklint.output.<module>, whose `render` prints the findings
    # Locations are lines of the file: a notebook's cell goes into the message.
    file_lines: bool = False
    # Stdout is data: the human summary goes elsewhere (or nowhere).
    machine: bool = True
    fix_edits: bool = False  # carries each fix's text edits


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("concise", "concise", machine=False),
        Format("full", "full", machine=False, fix_edits=True),
        Format("json", "json_array", fix_edits=True),
        Format("json-lines", "json_lines", fix_edits=True),
        Format("grouped", "grouped", machine=False),
        Format("github", "github", file_lines=True),
        Format("gitlab", "gitlab", file_lines=True),
        Format("sarif", "sarif", file_lines=True, fix_edits=True),
        Format("junit", "junit", file_lines=True),
        Format("pylint", "pylint", file_lines=True),
        Format("rdjson", "rdjson", file_lines=True),
        Format("azure", "azure", file_lines=True),
        Format("lsp", "lsp", file_lines=True, fix_edits=True),
    )
}

OUTPUT_FORMATS = tuple(FORMATS)  # every format's name
