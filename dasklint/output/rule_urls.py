"""Where a rule's documentation page is: the JSON ``url`` and the LSP ``codeDescription``.

The documentation site (``mkdocs.yml``) renders ``docs/rules/CODE-name.md`` as
``rules/CODE-name.html``. With a base URL (the ``docs-url`` setting: where the built site is
served, or a ``file://`` URL of a local build) a finding links to that page; without one,
to the Markdown page the site is built from: a ``file://`` URI in a checkout, else the
page's path in the repository. Never nothing, so that every finding has a link.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


def site_page(code: str, name: str) -> str:
    """The rule's page in the built site, relative to the site's root."""
    return f"rules/{code}-{name}.html"


@cache
def rule_url(code: str, name: str, base: str | None) -> str:
    """The link to the rule's documentation (``base``: the site's URL, or None)."""
    if base:
        return f"{base.rstrip('/')}/{site_page(code, name)}"
    source = f"rules/{code}-{name}.md"
    page = DOCS / source
    return page.as_uri() if page.is_file() else f"docs/{source}"
