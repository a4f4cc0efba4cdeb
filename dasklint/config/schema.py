"""The JSON schema of dasklint's configuration table, made from the declarations of its
keys (:data:`dasklint.config.keys.KEYS`) and published as
``dasklint/data/dasklint.schema.json`` for editors' completion (README, Configuration).
``dasklint/data/pyproject.schema.json`` is SchemaStore's pyproject.toml schema with
``[tool.dasklint]`` added, for editors that take one schema per file (taplo).

``python -m dasklint.config.schema`` writes both files; the test suite checks they are
current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dasklint.config.declare import Key
from dasklint.config.keys import FILE_KEYS
from dasklint.config.loader import IGNORED_KEYS

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMA_FILE = DATA / "dasklint.schema.json"
PYPROJECT_SCHEMA_FILE = DATA / "pyproject.schema.json"
DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMASTORE_PYPROJECT = "https://json.schemastore.org/pyproject.json"


def schema() -> dict[str, Any]:
    """The schema of a ``[tool.dasklint]`` table (or a ``dasklint.toml`` file)."""
    properties = {name: _property(key) for name, key in FILE_KEYS.items()}
    for name, why in IGNORED_KEYS.items():
        properties[name] = {"description": f"Ignored, with a warning: {why}."}
    return {
        "$schema": DRAFT,
        "title": "dasklint",
        "description": "dasklint's configuration: `[tool.dasklint]` in pyproject.toml, or "
        "the top level of dasklint.toml or .dasklint.toml.",
        "type": "object",
        "properties": dict(sorted(properties.items())),
        "additionalProperties": False,
    }


def _property(key: Key) -> dict[str, Any]:
    out: dict[str, Any] = {"description": key.doc, **key.schema}
    if key.show is not None:
        out["default"] = key.shown(key.default)
    elif isinstance(key.default, tuple):
        out["default"] = list(key.default)
    return out


def pyproject_schema() -> dict[str, Any]:
    """SchemaStore's schema of pyproject.toml, with ``[tool.dasklint]`` checked by
    :func:`schema` (the file beside it)."""
    return {
        "$schema": DRAFT,
        "title": "pyproject.toml with [tool.dasklint]",
        "allOf": [{"$ref": SCHEMASTORE_PYPROJECT}],
        "properties": {"tool": {"properties": {"dasklint": {"$ref": SCHEMA_FILE.name}}}},
    }


def rendered() -> dict[Path, str]:
    """Each published file and its text."""
    return {
        path: json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        for path, data in ((SCHEMA_FILE, schema()), (PYPROJECT_SCHEMA_FILE, pyproject_schema()))
    }


def main() -> int:
    for path, text in rendered().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
