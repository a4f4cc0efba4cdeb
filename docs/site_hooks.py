"""MkDocs hooks (``mkdocs.yml``): the README is the site's home page, and the benchmark
READMEs it links to are pages too, so that every link of the README resolves in the site
(``mkdocs build --strict`` fails on one that does not)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
HOME = "index.md"


def _pages() -> dict[str, Path]:
    """Site path -> Markdown file outside docs/."""
    pages = {HOME: ROOT / "README.md"}
    for path in sorted((ROOT / "benchmarks").rglob("README.md")):
        if ".venv" not in path.parts:
            pages[path.relative_to(ROOT).as_posix()] = path
    return pages


def on_files(files: Files, config: Any) -> Files:
    for src_uri, path in _pages().items():
        files.append(File.generated(config, src_uri, abs_src_path=str(path)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if page.file.src_uri == HOME:  # the README links to docs/... from the repository root
        return re.sub(r"\]\(docs/", "](", markdown)
    return markdown
