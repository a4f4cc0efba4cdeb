"""The documentation site: ``mkdocs build --strict`` (mkdocs.yml) from the rule docs, the
other pages under docs/ and the README; every rule a page with its measured impact; the
links in findings (``docs-url``) land on its pages.
"""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import ROOT

from dasklint import registry
from dasklint.output.rule_urls import rule_url
from dasklint.ruledocs import impact_rows

pytest.importorskip("mkdocs", reason="the documentation site needs the `docs` extra")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once for this module into a temporary directory."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log, log
    return out


def text(page: Path) -> str:
    return html.unescape(page.read_text(encoding="utf-8"))


def test_every_rule_is_a_page_with_its_impact(site: Path) -> None:
    rules = registry.all_rules()
    measured = 0
    for rule in rules:
        page = site / "rules" / f"{rule.code}-{rule.name}.html"
        assert page.is_file(), rule.code
        body = text(page)
        assert f"{rule.name} ({rule.code})" in body
        assert f"Default severity: <code>{rule.severity.value}</code>." in body
        rows = impact_rows(rule.code)
        assert ("Measured impact" in body) == bool(rows), rule.code
        for row in rows:
            measured += 1
            assert f"{row['program']} ({row['size'] or 'fixed'})" in body, rule.code
    assert measured > 0  # the stored benchmark rows are on the site
    index = text(site / "rules" / "index.html")
    for rule in rules:
        assert f'href="{rule.code}-{rule.name}.html"' in index, rule.code


def test_readme_is_the_home_page_and_its_links_resolve(site: Path) -> None:
    home = text(site / "index.html")
    for heading in ("Configuration", "Editors", "Neovim 0.7 to 0.10", "VS Code"):
        assert f">{heading}<" in home, heading
    assert 'href="rules/DSK101-processes-scheduler.html"' in home
    assert 'href="rules/index.html"' in home
    assert 'href="deprecated-apis.html"' in home
    assert 'href="benchmarks/index.html"' in home
    assert (site / "benchmarks" / "impact" / "index.html").is_file()


def test_finding_links_land_on_site_pages(site: Path) -> None:
    """With `docs-url` set to the built site, every rule's link is one of its pages."""
    base = site.as_uri() + "/"
    for rule in registry.all_rules():
        url = rule_url(rule.code, rule.name, base)
        assert Path(unquote(urlparse(url).path)).is_file(), url
