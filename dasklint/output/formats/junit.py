"""``--output-format junit``: one test suite per file, one failing test case per finding."""

from __future__ import annotations

import re
from itertools import groupby

from dasklint.output.context import OutputContext
from dasklint.output.format import Format

FORMAT = Format("junit", 90, file_lines=True)

# Characters XML 1.0 cannot carry at all.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# xml.sax pulls in urllib.request and http: imported when a report is written, as each
# format module is imported on every run.


def _text(value: str) -> str:
    from xml.sax.saxutils import escape

    return escape(_ILLEGAL.sub("\ufffd", value))


def _attr(value: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(_ILLEGAL.sub("\ufffd", value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def render(ctx: OutputContext) -> str:
    total = len(ctx.diagnostics)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<testsuites name="dasklint" tests="{max(total, 1)}" failures="{total}" errors="0">\n',
    ]
    if not ctx.diagnostics:
        out.append('  <testsuite name="dasklint" tests="1" failures="0" errors="0">\n')
        out.append('    <testcase name="No errors found" classname="dasklint"/>\n')
        out.append("  </testsuite>\n")
    for filename, group in groupby(ctx.diagnostics, key=lambda d: d.filename):
        items = list(group)
        name = _attr(filename)
        out.append(
            f'  <testsuite name={name} tests="{len(items)}" failures="{len(items)}" errors="0">\n'
        )
        for d in items:
            where = f"line {d.location.row}, col {d.location.column}"
            out.append(
                f"    <testcase name={_attr('org.dasklint.' + d.code)} classname={name} "
                f'line="{d.location.row}" column="{d.location.column}">\n'
                f"      <failure message={_attr(d.message)}>"
                f"{_text(f'{where}, {d.code} {d.text}')}</failure>\n"
                "    </testcase>\n"
            )
        out.append("  </testsuite>\n")
    out.append("</testsuites>\n")
    return "".join(out)
