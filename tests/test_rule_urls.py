"""Every finding links to its rule's page: the JSON ``url``, the LSP ``codeDescription``.

By default the link is the rule's Markdown page in this checkout (the page the
documentation site is built from); with ``docs-url`` in the configuration it is the page of
the built site under that base URL. It is never null.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import LEGACY, PROCESSES, assert_failed, json_items, run, write
from conftest import ROOT

from dasklint import registry
from dasklint.output import rule_urls
from dasklint.output.rule_urls import rule_url

PAGE = ROOT / "docs" / "rules" / "DSK101-processes-scheduler.md"
BASE = "https://docs.example.org/dasklint/"
SITE_PAGE = f"{BASE}rules/DSK101-processes-scheduler.html"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def lsp_hrefs(stdout: str) -> list[str]:
    (published,) = json.loads(stdout)
    return [d["codeDescription"]["href"] for d in published["diagnostics"]]


def test_json_url_is_the_rule_page_in_the_checkout(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": PROCESSES})
    (item,) = json_items(run("check", "--output-format", "json", "job.py"))
    assert PAGE.is_file()
    assert item["url"] == PAGE.as_uri()
    assert lsp_hrefs(run("check", "--output-format", "lsp", "job.py").stdout) == [PAGE.as_uri()]


@pytest.mark.parametrize("base", [BASE, BASE.rstrip("/")])
def test_docs_url_from_the_configuration(tmp_path: Path, base: str) -> None:
    write(
        tmp_path,
        {"job.py": LEGACY, "pyproject.toml": f'[tool.dasklint]\ndocs-url = "{base}"\n'},
    )
    items = json_items(run("check", "--output-format", "json", "job.py"))
    assert [(i["code"], i["url"]) for i in items] == [
        ("DSK101", SITE_PAGE),
        ("DSK105", f"{BASE}rules/DSK105-legacy-scheduler-spelling.html"),
    ]
    lines = run("check", "--output-format", "json-lines", "job.py").stdout.splitlines()
    assert [json.loads(line)["url"] for line in lines] == [i["url"] for i in items]
    hrefs = lsp_hrefs(run("check", "--output-format", "lsp", "job.py").stdout)
    assert hrefs == [i["url"] for i in items]


def test_docs_url_must_be_a_string(tmp_path: Path) -> None:
    write(tmp_path, {"job.py": PROCESSES, "dasklint.toml": "docs-url = 3\n"})
    assert_failed(run("check", "job.py"), "docs-url")


def test_every_rule_has_a_page() -> None:
    for rule in registry.all_rules():
        url = rule_url(rule.code, rule.name, None)
        page = ROOT / "docs" / "rules" / f"{rule.code}-{rule.name}.md"
        assert url == page.as_uri() and page.is_file(), rule.code
        assert rule_url(rule.code, rule.name, BASE) == f"{BASE}rules/{rule.code}-{rule.name}.html"


def test_without_a_checkout_the_link_is_relative(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed package has no docs/ beside it: the link names the page in the
    repository, relative to its root, rather than nothing."""
    monkeypatch.setattr(rule_urls, "DOCS", Path("/nonexistent/docs"))
    rule_urls.rule_url.cache_clear()
    try:
        url = rule_url("DSK101", "processes-scheduler", None)
    finally:
        rule_urls.rule_url.cache_clear()
    assert url == "docs/rules/DSK101-processes-scheduler.md"
