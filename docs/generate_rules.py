"""Write docs/rules/*.md from the rules' docstrings (run after changing a rule).

``python docs/generate_rules.py --check`` exits 1 when the committed pages are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dasklint.registry import all_rules
from dasklint.ruledocs import index_markdown, rule_markdown

RULES_DIR = Path(__file__).resolve().parent / "rules"


def expected_pages() -> dict[Path, str]:
    rules = all_rules()
    pages = {RULES_DIR / f"{r.code}-{r.name}.md": rule_markdown(r) for r in rules}
    pages[RULES_DIR / "README.md"] = index_markdown(rules)
    return pages


def main(check: bool) -> int:
    pages = expected_pages()
    stale = [p for p, text in pages.items() if not p.exists() or p.read_text() != text]
    extra = [p for p in RULES_DIR.glob("*.md") if p not in pages]
    if check:
        for path in [*stale, *extra]:
            print(f"stale: {path.relative_to(RULES_DIR.parent.parent)}")
        return 1 if stale or extra else 0
    RULES_DIR.mkdir(exist_ok=True)
    for path in extra:
        path.unlink()
    for path in stale:
        path.write_text(pages[path])
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
