"""``--output-format sarif``: SARIF 2.1.0 for GitHub code scanning and other viewers.

Unlike many tools this writes URIs relative to ``%SRCROOT%`` (the working directory,
declared in ``originalUriBaseIds``), an explicit ``columnKind`` (columns count code
points), every enabled rule with ``ruleIndex`` on each result, and stable
``partialFingerprints``. A run without findings is still a complete document.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from dasklint import __version__, registry
from dasklint.diagnostics import Applicability, Diagnostic, Severity
from dasklint.output.context import OutputContext
from dasklint.output.fingerprints import fingerprints
from dasklint.output.format import Format

if TYPE_CHECKING:  # the rules and their docs are imported when a log is written
    from dasklint.rule import Rule

FORMAT = Format("sarif", 80, file_lines=True, fix_edits=True)

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "dasklint/v1"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(ctx: OutputContext) -> str:
    return json.dumps(sarif_log(ctx), indent=2, ensure_ascii=False) + "\n"


def sarif_log(ctx: OutputContext) -> dict[str, Any]:
    enabled = set(registry.default_enabled() if ctx.enabled_rules is None else ctx.enabled_rules)
    enabled.update(d.code for d in ctx.diagnostics)
    rules = [rule for rule in registry.all_rules() if rule.code in enabled]
    index = {rule.code: i for i, rule in enumerate(rules)}
    prints = fingerprints(ctx, ctx.diagnostics)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "dasklint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": ctx.cwd.resolve().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(d, ctx, index[d.code], fingerprint)
            for d, fingerprint in zip(ctx.diagnostics, prints, strict=True)
        ],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(rule: type[Rule]) -> dict[str, Any]:
    from dasklint.ruledocs import rule_markdown

    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.docs() or rule.summary},
        "help": {"text": rule.docs() or rule.summary, "markdown": rule_markdown(rule)},
        "defaultConfiguration": {
            "enabled": rule.default_enabled,
            "level": LEVEL[rule.severity],
        },
        "properties": {"tags": ["dask"]},
    }


def _artifact(ctx: OutputContext, filename: str) -> dict[str, Any]:
    relative = ctx.relative(filename)
    if filename == "-" or Path(relative).is_absolute():
        uri = ctx.uri(filename)
        return {"uri": uri}
    # The name's own bytes, percent-encoded (a file name need not be UTF-8).
    return {"uri": quote(os.fsencode(relative)), "uriBaseId": SRCROOT}


def _fixes(d: Diagnostic, ctx: OutputContext) -> list[dict[str, Any]]:
    """The diagnostic's fix as SARIF ``fixes``: the same text edits as JSON output and the
    editor's quick fix, end exclusive (an insertion is an empty ``deletedRegion``)."""
    fix = d.fix
    if fix is None or not fix.edits or fix.applicability is Applicability.DISPLAY_ONLY:
        return []
    note = " (unsafe: may change behaviour)" if fix.applicability is Applicability.UNSAFE else ""
    return [
        {
            "description": {"text": fix.message + note},
            "artifactChanges": [
                {
                    "artifactLocation": _artifact(ctx, d.filename),
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": edit.location.row,
                                "startColumn": edit.location.column,
                                "endLine": edit.end_location.row,
                                "endColumn": edit.end_location.column,
                            },
                            "insertedContent": {"text": edit.content},
                        }
                        for edit in fix.edits
                    ],
                }
            ],
        }
    ]


def _message(d: Diagnostic) -> dict[str, str]:
    """The short message as text; with its help and notes, also as Markdown."""
    if not d.help and not d.notes:
        return {"text": d.message}
    details = "".join(f"\n- {line}" for line in d.detail_lines())
    return {"text": d.message, "markdown": f"{d.message}\n{details}"}


def _result(d: Diagnostic, ctx: OutputContext, rule_index: int, fingerprint: str) -> dict[str, Any]:
    result = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": LEVEL[d.severity],
        "message": _message(d),
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(ctx, d.filename),
                    "region": {
                        "startLine": d.location.row,
                        "startColumn": d.location.column,
                        "endLine": d.end_location.row,
                        "endColumn": d.end_location.column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        # How sure the finding is (CodeQL's `precision`, per result): high, medium, low.
        "properties": {"confidence": d.confidence.value},
    }
    fixes = _fixes(d, ctx)
    if fixes:
        result["fixes"] = fixes
    return result
