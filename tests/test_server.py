"""``dasklint server`` end to end: a real LSP client (pytest-lsp) over stdio.

Waiting uses generous timeouts only as a safety net; no assertion depends on timing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the server tests need the `lsp` extra")
pytest_lsp = pytest.importorskip("pytest_lsp")

import forked_server  # noqa: E402
from cli_support import LEGACY, PROCESSES, run  # noqa: E402
from lsprotocol import types  # noqa: E402
from lsprotocol.converters import get_converter  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

# Each test's server is forked from one that has imported it (tests/forked_server.py).
ZYGOTE = forked_server.socket_path("test-server")
SERVER = forked_server.command(ZYGOTE)
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
WAIT = 60.0

# DSK101 after an emoji (two UTF-16 units) and two CJK characters (one unit each).
UNICODE = 'import dask\nx = 1\ns = "😀漢字"; dask.compute(x, scheduler="processes")\n'

VSCODE = "visual-studio-code@v1.65.2"  # push diagnostics, workspace/configuration, file watching
NEOVIM_PULL = "neovim@v0.10.0"  # pull diagnostics


@pytest.fixture(scope="module", autouse=True)
def zygote() -> Iterator[None]:
    with forked_server.zygote(ZYGOTE):
        yield


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    registrations: list[types.Registration] = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    lsp_client.registrations = registrations  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def start(
    client: LanguageClient,
    root: Path,
    *,
    spec: str = VSCODE,
    options: dict[str, Any] | None = None,
    configuration: dict[str, Any] | None = None,
) -> types.InitializeResult:
    if configuration is not None:
        client.set_configuration(configuration, section="dasklint")
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(spec),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="root")],
            initialization_options=options,
        )
    )


def open_doc(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=version, text=text
            )
        )
    )
    return uri


def change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def published(
    client: LanguageClient,
    uri: str,
    ready: Callable[[Sequence[types.Diagnostic]], bool] = lambda items: True,
) -> Sequence[types.Diagnostic]:
    """The diagnostics published for ``uri`` once ``ready`` holds for them."""

    async def wait() -> Sequence[types.Diagnostic]:
        while uri not in client.diagnostics or not ready(client.diagnostics[uri]):
            await client.wait_for_notification(PUBLISH)
        return client.diagnostics[uri]

    return await asyncio.wait_for(wait(), WAIT)


async def debug(client: LanguageClient) -> dict[str, Any]:
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="dasklint.debugInformation")
    )
    assert isinstance(result, dict)
    return result


def codes(items: Sequence[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in items]


async def test_open_change_close(client: LanguageClient, tmp_path: Path) -> None:
    result = await start(client, tmp_path)
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf16
    uri = open_doc(client, tmp_path / "job.py", PROCESSES)
    items = await published(client, uri)
    assert codes(items) == ["DSK101"]
    (d,) = items
    assert d.source == "dasklint"
    assert d.severity == types.DiagnosticSeverity.Warning
    assert d.range == types.Range(
        start=types.Position(line=3, character=30), end=types.Position(line=3, character=41)
    )
    assert d.code_description is not None
    assert d.code_description.href.endswith("docs/rules/DSK101-processes-scheduler.md")
    assert isinstance(d.data, dict)
    assert d.data["fix"] == {
        "title": "Add `chunksize=1`",
        "applicability": "safe",
        "edits": [
            {
                "range": {
                    "start": {"line": 3, "character": 41},
                    "end": {"line": 3, "character": 41},
                },
                "newText": ", chunksize=1",
            }
        ],
    }

    change(client, uri, LEGACY, 2)
    items = await published(client, uri, lambda items: "DSK105" in codes(items))
    assert codes(items) == ["DSK101", "DSK105"]

    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert list(await published(client, uri, lambda items: not items)) == []


async def test_burst_of_edits_lints_once(client: LanguageClient, tmp_path: Path) -> None:
    # A long debounce makes the burst certainly land inside one window.
    await start(client, tmp_path, options={"debounce": 2000})
    uri = open_doc(client, tmp_path / "job.py", PROCESSES)
    await published(client, uri)
    assert (await debug(client))["lints"] == {uri: 1}
    burst = 10
    for version in range(2, 2 + burst):
        text = PROCESSES + "\n" * version  # each edit differs; findings stay the same
        change(client, uri, text if version < 1 + burst else LEGACY, version)
    items = await published(client, uri, lambda items: "DSK105" in codes(items))
    assert codes(items) == ["DSK101", "DSK105"]
    info = await debug(client)
    assert info["lints"] == {uri: 2}  # the open, then one lint for the whole burst
    assert info["cancelled"] == {uri: burst - 1}


async def test_settings_apply_to_the_first_lint(client: LanguageClient, tmp_path: Path) -> None:
    await start(
        client,
        tmp_path,
        configuration={"severity": {"DSK101": "error"}, "ignore": ["DSK105"]},
    )
    uri = open_doc(client, tmp_path / "job.py", LEGACY)
    items = await published(client, uri)  # the very first publish
    assert codes(items) == ["DSK101"]
    assert items[0].severity == types.DiagnosticSeverity.Error
    assert (await debug(client))["lints"] == {uri: 1}


async def test_initialization_options_and_bad_settings(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, options={"select": ["DSK105"]}, configuration={"bogus": 1})
    uri = open_doc(client, tmp_path / "job.py", LEGACY)
    assert codes(await published(client, uri)) == ["DSK105", "DSK105"]


async def test_utf16_columns_after_emoji_and_cjk(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "uni.py", UNICODE)
    (d,) = await published(client, uri)
    # Code points 37..48; the emoji before them counts two UTF-16 units.
    assert (d.range.start.line, d.range.start.character) == (2, 38)
    assert (d.range.end.line, d.range.end.character) == (2, 49)


async def test_negotiated_utf32(client: LanguageClient, tmp_path: Path) -> None:
    result = await start(client, tmp_path, spec="emacs@v29.1")  # offers utf-32 first
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf32
    uri = open_doc(client, tmp_path / "uni.py", UNICODE)
    (d,) = await published(client, uri)
    assert (d.range.start.character, d.range.end.character) == (37, 48)


async def test_cli_lsp_output_equals_what_the_server_publishes(
    client: LanguageClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await start(client, tmp_path)
    source = UNICODE + LEGACY.replace("import dask\n", "") + "y = 2  # noqa: DSK999\n"
    uri = open_doc(client, tmp_path / "golden.py", source)
    items = await published(client, uri)
    monkeypatch.chdir(tmp_path)
    cli = run("check", "--output-format", "lsp", "golden.py")
    (expected,) = json.loads(cli.stdout)
    assert expected["uri"] == uri
    converter = get_converter()
    assert [converter.unstructure(d) for d in items] == expected["diagnostics"]
    # Three findings, and DSK004 for the unknown code in the noqa comment.
    assert len(items) == 4
    assert [d.code for d in items].count("DSK004") == 1


async def test_pull_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path, spec=NEOVIM_PULL)
    uri = open_doc(client, tmp_path / "job.py", PROCESSES)
    identifier = types.TextDocumentIdentifier(uri=uri)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=identifier)
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert codes(report.items) == ["DSK101"]
    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=identifier, previous_result_id=report.result_id
        )
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    change(client, uri, LEGACY, 2)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=identifier, previous_result_id=report.result_id
        )
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert codes(report.items) == ["DSK101", "DSK105"]
    assert uri not in client.diagnostics  # a pull client is not pushed to


async def test_hover_on_diagnostic_and_on_noqa_code(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    text = PROCESSES + "dask.compute(total)  # noqa: E501, DSK105\n"
    uri = open_doc(client, tmp_path / "job.py", text)
    await published(client, uri)
    identifier = types.TextDocumentIdentifier(uri=uri)

    on_finding = await client.text_document_hover_async(
        types.HoverParams(text_document=identifier, position=types.Position(line=3, character=35))
    )
    assert on_finding is not None and isinstance(on_finding.contents, types.MarkupContent)
    assert on_finding.contents.kind == types.MarkupKind.Markdown
    assert on_finding.contents.value.startswith("# processes-scheduler (DSK101)")

    column = text.splitlines()[4].index("DSK105") + 2
    on_noqa = await client.text_document_hover_async(
        types.HoverParams(
            text_document=identifier, position=types.Position(line=4, character=column)
        )
    )
    assert on_noqa is not None and isinstance(on_noqa.contents, types.MarkupContent)
    assert on_noqa.contents.value.startswith("# legacy-scheduler-spelling (DSK105)")
    assert on_noqa.range == types.Range(
        start=types.Position(line=4, character=column - 2),
        end=types.Position(line=4, character=column + 4),
    )

    nothing = await client.text_document_hover_async(
        types.HoverParams(text_document=identifier, position=types.Position(line=0, character=1))
    )
    assert nothing is None


async def _disable_action(
    client: LanguageClient, uri: str, d: types.Diagnostic
) -> types.CodeAction:
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    assert actions is not None
    (action,) = [a for a in actions if a.title.startswith("Disable")]
    assert isinstance(action, types.CodeAction)
    return action


async def test_disable_for_this_line(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "job.py", PROCESSES)
    (d,) = await published(client, uri)
    action = await _disable_action(client, uri, d)
    assert action.title == "Disable DSK101 for this line"
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.edit is not None and action.edit.changes is not None
    assert list(action.edit.changes) == [uri]
    assert list(action.edit.changes[uri]) == [
        types.TextEdit(
            range=types.Range(
                start=types.Position(line=3, character=42),
                end=types.Position(line=3, character=42),
            ),
            new_text="  # noqa: DSK101",
        )
    ]


async def test_disable_extends_existing_noqa_after_emoji(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path)
    text = UNICODE.replace('"processes")', '"processes")  # noqa: E501')
    uri = open_doc(client, tmp_path / "uni.py", text)
    (d,) = await published(client, uri)
    action = await _disable_action(client, uri, d)
    assert action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes[uri]
    end = len(text.splitlines()[2]) + 1  # code points, plus one UTF-16 unit for the emoji
    assert edit.range.start == edit.range.end == types.Position(line=2, character=end)
    assert edit.new_text == ", DSK101"


async def test_syntax_error_document_and_server_survives(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "broken.py", "import dask\ndask.compute(\n")
    (d,) = await published(client, uri)
    assert d.code == "DSK001"
    assert d.severity == types.DiagnosticSeverity.Error
    # A request about a document that was never opened, and an unknown command.
    await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=(tmp_path / "nope.py").as_uri()),
            position=types.Position(line=99, character=99),
        )
    )
    with pytest.raises(Exception, match="not defined"):
        await client.workspace_execute_command_async(types.ExecuteCommandParams(command="nope"))
    change(client, uri, PROCESSES, 2)
    assert codes(await published(client, uri, lambda items: codes(items) != ["DSK001"])) == [
        "DSK101"
    ]
    assert (await debug(client))["open"] == [uri]


async def test_relint_when_config_file_changes(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "job.py", PROCESSES)
    assert codes(await published(client, uri)) == ["DSK101"]
    config = tmp_path / "dasklint.toml"
    config.write_text('ignore = ["DSK101"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    assert list(await published(client, uri, lambda items: not items)) == []


async def test_broken_config_file_is_logged_not_fatal(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "dasklint.toml").write_text("select = [\n", encoding="utf-8")
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "job.py", PROCESSES)
    assert list(await published(client, uri)) == []
    assert any("not valid TOML" in m.message for m in client.log_messages)


# DSK103 (safe) after an emoji on line 6, DSK101 (unsafe library-mode fix) on the same
# line, and DSK102 plus DSK101 (both safe, the same insertion) on line 10.
# `run`'s tasks wait outside the GIL, so DSK101's unsafe fix may hand them to threads.
FIXABLE = """\
import dask
import time

def run(names):
    jobs = [dask.delayed(wait)(name) for name in names]
    return dask.compute(*jobs, "😀", scheduler="processes", chunksize=-1)


def small(a, b):
    return dask.compute(dask.delayed(a), dask.delayed(b), scheduler="processes")


def wait(seconds):
    time.sleep(seconds)
    return seconds
"""


QUICK = ["quickfix"]


def apply_lsp_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP text edits with UTF-16 positions (what a client does)."""
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        before = sum(len(line) for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for index, ch in enumerate(line):
            if units >= position.character:
                return before + index
            units += 2 if ord(ch) > 0xFFFF else 1
        return before + len(line)

    spans = sorted((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits)
    for start, end, new in reversed(spans):
        text = text[:start] + new + text[end:]
    return text


async def actions_for(
    client: LanguageClient,
    uri: str,
    diagnostics: Sequence[types.Diagnostic],
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
            ),
            context=types.CodeActionContext(diagnostics=list(diagnostics), only=only),
        )
    )
    assert found is not None
    assert all(isinstance(action, types.CodeAction) for action in found)
    return [action for action in found if isinstance(action, types.CodeAction)]


def single_edit(action: types.CodeAction, uri: str) -> types.TextEdit:
    assert action.edit is not None and action.edit.changes is not None
    assert list(action.edit.changes) == [uri]
    (edit,) = action.edit.changes[uri]
    return edit


def at(line: int, start: int, end: int) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=start),
        end=types.Position(line=line, character=end),
    )


async def test_quick_fixes_carry_exact_edits(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path, options={"select": ["DSK1"]})
    uri = open_doc(client, tmp_path / "job.py", FIXABLE)
    items = await published(client, uri)
    by_code = {(str(d.code), d.range.start.line): d for d in items}
    assert sorted(by_code) == [("DSK101", 5), ("DSK101", 9), ("DSK102", 9), ("DSK103", 5)]

    dsk103 = by_code[("DSK103", 5)]
    assert isinstance(dsk103.data, dict)
    # The `-` of `chunksize=-1`: code point 69, one more UTF-16 unit for the emoji.
    assert dsk103.data["fix"] == {
        "title": "Use `chunksize=1`",
        "applicability": "safe",
        "edits": [
            {
                "range": json.loads(json.dumps(get_converter().unstructure(at(5, 70, 71)))),
                "newText": "",
            }
        ],
    }
    fix, disable = await actions_for(client, uri, [dsk103], QUICK)
    assert fix.title == "dasklint (DSK103): Use `chunksize=1`"
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred is True
    assert list(fix.diagnostics or ()) == [dsk103]
    assert single_edit(fix, uri) == types.TextEdit(range=at(5, 70, 71), new_text="")
    assert disable.title == "Disable DSK103 for this line"
    fixed = apply_lsp_edits(FIXABLE, [single_edit(fix, uri)])
    assert 'scheduler="processes", chunksize=1)' in fixed

    dsk102 = by_code[("DSK102", 9)]
    fix, _ = await actions_for(client, uri, [dsk102], QUICK)
    assert fix.title == "dasklint (DSK102): Add `chunksize=1`"
    assert fix.is_preferred is True
    line = FIXABLE.splitlines()[9]
    end = line.rindex(")")
    assert single_edit(fix, uri) == types.TextEdit(range=at(9, end, end), new_text=", chunksize=1")

    # The unsafe DSK101 fix is not offered unless the settings allow it.
    dsk101 = by_code[("DSK101", 5)]
    assert isinstance(dsk101.data, dict) and dsk101.data["fix"]["applicability"] == "unsafe"
    (only_disable,) = await actions_for(client, uri, [dsk101], QUICK)
    assert only_disable.title == "Disable DSK101 for this line"


async def test_unsafe_quick_fix_when_settings_allow(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path, options={"select": ["DSK1"], "unsafeFixes": True})
    uri = open_doc(client, tmp_path / "job.py", FIXABLE)
    items = await published(client, uri)
    (dsk101,) = [d for d in items if d.code == "DSK101" and d.range.start.line == 5]
    fix, disable = await actions_for(client, uri, [dsk101], QUICK)
    assert fix.title.startswith('dasklint (DSK101): Remove `scheduler="processes"`')
    assert fix.is_preferred is False
    assert disable.title == "Disable DSK101 for this line"
    fixed = apply_lsp_edits(FIXABLE, [single_edit(fix, uri)])
    assert 'dask.compute(*jobs, "😀")' in fixed


# DSK105's fix also removes `from dask.threaded import get` once nothing uses it: its edits
# need the whole module, so the publication leaves them out and the code action adds them.
IMPORT_FIX = """\
import dask
from dask.threaded import get

total = dask.delayed(sum)([1, 2])
x = total.compute(scheduler=get)
"""


async def test_fix_edits_needing_the_whole_module_come_with_the_code_action(
    client: LanguageClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await start(client, tmp_path, options={"select": ["DSK105"]})
    uri = open_doc(client, tmp_path / "job.py", IMPORT_FIX)
    (dsk105,) = await published(client, uri)
    assert isinstance(dsk105.data, dict)
    assert dsk105.data["fix"] == {
        "title": 'Write `"threads"`',
        "applicability": "safe",
        "edits": [],
    }
    fix, _ = await actions_for(client, uri, [dsk105], QUICK)
    assert fix.title == 'dasklint (DSK105): Write `"threads"`'
    assert fix.edit is not None and fix.edit.changes is not None
    fixed = apply_lsp_edits(IMPORT_FIX, fix.edit.changes[uri])
    monkeypatch.chdir(tmp_path)
    cli = run(
        "check", "--fix", "--select", "DSK105", "--stdin-filename", "job.py", stdin=IMPORT_FIX
    )
    assert fixed == cli.stdout
    assert fixed == IMPORT_FIX.replace("from dask.threaded import get\n", "").replace(
        "scheduler=get", 'scheduler="threads"'
    )


async def test_stale_diagnostics_get_no_quick_fix(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path, options={"select": ["DSK1"], "debounce": 60000})
    uri = open_doc(client, tmp_path / "job.py", FIXABLE)
    items = await published(client, uri)
    (dsk103,) = [d for d in items if d.code == "DSK103"]
    change(client, uri, "\n" + FIXABLE, 2)  # not linted again for a minute
    actions = await actions_for(client, uri, [dsk103], QUICK)
    assert [a.title for a in actions] == ["Disable DSK103 for this line"]


@pytest.mark.parametrize("unsafe", [False, True])
async def test_fix_all_equals_cli_fix(
    client: LanguageClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unsafe: bool
) -> None:
    await start(client, tmp_path, options={"unsafeFixes": unsafe})
    uri = open_doc(client, tmp_path / "job.py", FIXABLE)
    await published(client, uri)
    (action,) = await actions_for(client, uri, [], only=["source.fixAll"])
    assert action.kind == "source.fixAll.dasklint"
    assert action.edit is not None and action.edit.changes is not None
    fixed = apply_lsp_edits(FIXABLE, action.edit.changes[uri])
    monkeypatch.chdir(tmp_path)
    flags = ["--unsafe-fixes"] if unsafe else []
    cli = run("check", "--fix", *flags, "--stdin-filename", "job.py", stdin=FIXABLE)
    assert fixed == cli.stdout
    assert fixed != FIXABLE
    assert ("chunksize=-1" in fixed) is False
    assert ('"😀", scheduler="processes"' in fixed) is not unsafe
    # A quick-fix-only request does not carry fix-all.
    assert all(
        a.kind == types.CodeActionKind.QuickFix
        for a in await actions_for(client, uri, [], only=["quickfix"])
    )


async def test_no_fix_all_without_fixes(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "clean.py", "import dask\n")
    await published(client, uri)
    assert await actions_for(client, uri, [], only=["source.fixAll.dasklint"]) == []


UNPROVEN = """\
import dask
from stations import load_station

for name in ["a", "b"]:
    print(load_station(name).mean().compute())
"""


@pytest.mark.parametrize("level", ["medium", "high"])
async def test_min_confidence_setting(client: LanguageClient, tmp_path: Path, level: str) -> None:
    """`minConfidence` hides findings below it; each diagnostic's `data` says how sure it is."""
    await start(client, tmp_path, options={"minConfidence": level})
    uri = open_doc(client, tmp_path / "job.py", UNPROVEN)
    found = await published(client, uri)
    if level == "high":
        assert list(found) == []
    else:
        (d,) = found
        assert d.code == "DSK303"
        assert isinstance(d.data, dict) and d.data["confidence"] == "medium"


NEOVIM_07 = "neovim@v0.7.0"  # announces neither workspace/configuration nor pull diagnostics


def push_settings(client: LanguageClient, settings: Any) -> None:
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))


async def test_pushed_settings_when_the_client_cannot_be_asked(
    client: LanguageClient, tmp_path: Path
) -> None:
    """Neovim 0.7 sends its `settings` in workspace/didChangeConfiguration (from `on_init`)
    and cannot answer workspace/configuration: what it pushes is applied, over the
    initializationOptions, and stays when a later notification carries nothing."""
    capabilities = client_capabilities(NEOVIM_07)
    assert capabilities.workspace is not None and not capabilities.workspace.configuration
    await start(client, tmp_path, spec=NEOVIM_07, options={"ignore": ["DSK105"]})
    push_settings(client, {"dasklint": {"severity": {"DSK101": "error"}}})
    uri = open_doc(client, tmp_path / "job.py", LEGACY)
    items = await published(client, uri)
    assert codes(items) == ["DSK101"]
    assert items[0].severity == types.DiagnosticSeverity.Error
    assert (await debug(client))["settings"] == {
        "ignore": ["DSK105"],
        "severity": {"DSK101": "error"},
    }

    # A notification without settings cannot be answered by asking: nothing is lost.
    push_settings(client, None)
    change(client, uri, LEGACY + "\n", 2)  # linted after the notification was handled
    await asyncio.wait_for(client.wait_for_notification(PUBLISH), WAIT)
    items = client.diagnostics[uri]
    assert codes(items) == ["DSK101"]
    assert items[0].severity == types.DiagnosticSeverity.Error
    info = await debug(client)
    assert info["settings"] == {"ignore": ["DSK105"], "severity": {"DSK101": "error"}}
    assert info["lints"] == {uri: 2}

    # Settings pushed without the section name (Neovim sends `settings` as written).
    push_settings(client, {"severity": {"DSK101": "info"}})
    items = await published(
        client,
        uri,
        lambda items: [d.severity for d in items] == [types.DiagnosticSeverity.Information],
    )
    assert codes(items) == ["DSK101"]


async def test_pushed_settings_do_not_outlive_the_editors_answer(
    client: LanguageClient, tmp_path: Path
) -> None:
    """A client that can be asked is asked when it pushes nothing (VS Code's pull model)."""
    await start(client, tmp_path, configuration={"severity": {"DSK101": "error"}})
    uri = open_doc(client, tmp_path / "job.py", PROCESSES)
    items = await published(client, uri)
    assert items[0].severity == types.DiagnosticSeverity.Error
    client.set_configuration({"severity": {"DSK101": "info"}}, section="dasklint")
    push_settings(client, None)
    items = await published(
        client,
        uri,
        lambda items: [d.severity for d in items] == [types.DiagnosticSeverity.Information],
    )
    assert (await debug(client))["settings"] == {"severity": {"DSK101": "info"}}


async def test_code_description_follows_docs_url(client: LanguageClient, tmp_path: Path) -> None:
    """`docs-url` in the document's configuration file is where its findings link to."""
    base = "https://docs.example.org/dasklint"
    (tmp_path / "dasklint.toml").write_text(f'docs-url = "{base}"\n', encoding="utf-8")
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "job.py", PROCESSES)
    (d,) = await published(client, uri)
    assert d.code_description is not None
    assert d.code_description.href == f"{base}/rules/DSK101-processes-scheduler.html"
