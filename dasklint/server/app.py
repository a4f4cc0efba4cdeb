"""The language server: wiring LSP messages to the scheduler, settings and handlers.

No message may stop the server: every handler logs its failure through
``window/logMessage`` and answers with nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sys
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from dasklint import __version__
from dasklint.errors import ConfigError
from dasklint.notebook import is_notebook
from dasklint.output.lsp_serialize import SOURCE
from dasklint.server import convert, handlers, transport
from dasklint.server.documents import Result, Scheduler, uri_to_path
from dasklint.server.protocol import DasklintProtocol
from dasklint.server.settings import (
    SECTION,
    ServerSettings,
    make_resolver,
    merge,
    parse,
    section,
)

CONFIG_FILES = ("pyproject.toml", "dasklint.toml", ".dasklint.toml")
DEBUG_COMMAND = "dasklint.debugInformation"
CONFIG_TIMEOUT = 10.0  # seconds to wait for the client's workspace/configuration reply

P = ParamSpec("P")
R = TypeVar("R")


class DasklintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("dasklint", __version__, protocol_cls=DasklintProtocol)
        self.init_options: dict[str, Any] = {}
        # The editor's dasklint section as last pushed or answered; None: never given.
        self.editor_settings: dict[str, Any] | None = None
        self.raw_settings: dict[str, Any] = {}
        self.settings = ServerSettings()
        self.root = Path.cwd()
        self.ready = asyncio.Event()
        self.scheduler = Scheduler(
            get_text=self._text,
            on_result=self._on_result,
            on_error=self._lint_error,
            ready=self.ready,
            resolver=make_resolver(self.settings, self.root),
            root=self.root,
        )

    def shutdown(self) -> None:
        # First the lint process: a job it is still running would keep the interpreter
        # from exiting (it waits for the thread that waits for the job).
        self.scheduler.worker.stop()
        super().shutdown()  # type: ignore[no-untyped-call]

    def report_server_error(self, error: Exception, source: Any) -> None:
        # A body that is not JSON gets a JSON-RPC Parse error response, not a pop-up.
        protocol = self.protocol
        if isinstance(protocol, DasklintProtocol) and protocol.answer_unreadable(error, source):
            return
        super().report_server_error(error, source)

    # -- helpers -------------------------------------------------------------------
    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        # The connection may be gone; never fail because of logging.
        with contextlib.suppress(Exception):
            self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def document(self, uri: str) -> TextDocument | None:
        """The open document ``uri`` (pygls keeps documents by their unescaped URI)."""
        doc: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return doc

    def _text(self, uri: str) -> tuple[str, int | None] | None:
        doc = self.document(uri)
        if doc is None:
            return None
        return doc.source, doc.version

    @property
    def pull(self) -> bool:
        """Whether the client asks for diagnostics itself (``textDocument/diagnostic``)."""
        text = self.client_capabilities.text_document
        return text is not None and text.diagnostic is not None

    async def _on_result(self, uri: str, result: Result) -> None:
        if self.pull:
            return
        doc = self.document(uri)
        if doc is None:
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=self.lsp_diagnostics(result, doc), version=result.version
            )
        )

    def lsp_diagnostics(self, result: Result, doc: TextDocument) -> list[types.Diagnostic]:
        """The result's diagnostics in the document's position encoding, serialized once
        (serializing a long file's diagnostics costs tens of milliseconds: it tokenizes the
        text to place noqa edits)."""
        key = str(doc.position_codec.encoding)
        items: list[types.Diagnostic] | None = result.lsp.get(key)
        if items is None:
            items = convert.lsp_diagnostics(
                result.diagnostics, result.text, doc.position_codec, self.docs_url(doc.uri)
            )
            result.lsp[key] = items
        return list(items)

    async def complete_fixes(
        self,
        doc: TextDocument,
        result: Result,
        fresh: list[types.Diagnostic],
        requested: list[types.Diagnostic],
    ) -> None:
        """Fill in the edits of the requested diagnostics' fixes that the lint left out
        (fixes that add or remove imports need the whole module: they are computed when a
        code action first asks; ``fresh`` is the result's serialized list, updated in
        place so that later requests reuse them)."""
        wanted = {handlers.diagnostic_key(d) for d in requested if d.source == SOURCE}
        allow_unsafe = self.unsafe_fixes(doc.uri)
        for item, diagnostic in zip(fresh, result.diagnostics, strict=True):
            fix = item.data.get("fix") if isinstance(item.data, dict) else None
            if not isinstance(fix, dict) or fix.get("edits"):
                continue
            if handlers.diagnostic_key(item) not in wanted:
                continue
            applicability = fix.get("applicability")
            if applicability == "display-only" or (applicability == "unsafe" and not allow_unsafe):
                continue
            edits = await self.scheduler.fix_edits(doc.uri, result.text, diagnostic)
            fix["edits"] = convert.fix_edits(edits, result.text, doc.position_codec)

    def _lint_error(self, uri: str, message: str) -> None:
        self.log(f"dasklint: cannot lint {uri}: {message}", types.MessageType.Error)

    def unsafe_fixes(self, uri: str) -> bool:
        """Whether unsafe fixes are offered for the document (editor setting or config)."""
        path = uri_to_path(uri, self.root)
        return self.scheduler.resolver.for_path(path).for_file(path).unsafe_fixes

    def docs_url(self, uri: str) -> str | None:
        """The documentation site the document's findings link to (config `docs-url`)."""
        path = uri_to_path(uri, self.root)
        try:
            return self.scheduler.resolver.for_path(path).docs_url
        except (ConfigError, OSError):  # reported with the lint; the links do without
            return None

    def apply_settings(self, raw: dict[str, Any]) -> None:
        self.raw_settings = raw
        try:
            self.settings = parse(raw)
            self.scheduler.resolver = make_resolver(self.settings, self.root)
        except (ConfigError, OSError) as exc:
            self.log(f"dasklint: invalid settings, using defaults: {exc}", types.MessageType.Error)
            self.settings = ServerSettings()
            self.scheduler.resolver = make_resolver(self.settings, self.root)

    @property
    def can_ask(self) -> bool:
        """Whether the client answers ``workspace/configuration``."""
        workspace = self.client_capabilities.workspace
        return workspace is not None and bool(workspace.configuration)

    def use_editor_settings(self, editor: dict[str, Any] | None) -> None:
        """Apply the editor's section (when given) over initializationOptions."""
        if editor is not None:
            self.editor_settings = editor
        self.apply_settings(merge(self.init_options, self.editor_settings))

    async def fetch_configuration(self) -> None:
        """Ask the client for the ``dasklint`` section, when it can be asked; without an
        answer, the settings it last pushed stay."""
        editor: Any = None
        if self.can_ask:
            try:
                reply = await asyncio.wait_for(
                    self.workspace_configuration_async(
                        types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
                    ),
                    CONFIG_TIMEOUT,
                )
                editor = reply[0] if reply else None
            except Exception as exc:
                self.log(f"dasklint: workspace/configuration failed: {exc}")
        self.use_editor_settings(dict(editor) if isinstance(editor, dict) else None)

    def relint_all(self) -> None:
        for doc in list(self.workspace.text_documents.values()):
            self.scheduler.schedule(doc.uri, 0)  # the URI as the client sent it
        if self.pull:
            workspace = self.client_capabilities.workspace
            refresh = workspace.diagnostics if workspace is not None else None
            if refresh is not None and refresh.refresh_support:
                self.workspace_diagnostic_refresh(None)


def guarded(handler: Callable[P, R]) -> Callable[P, R | None]:
    """Log and swallow any exception of a synchronous handler."""

    @functools.wraps(handler)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return handler(*args, **kwargs)
        except Exception:
            _log_failure(args, handler.__name__)
            return None

    return run


def guarded_async(
    handler: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[R | None]]:
    """Log and swallow any exception of a coroutine handler (cancellation passes)."""

    @functools.wraps(handler)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return await handler(*args, **kwargs)
        except Exception:
            _log_failure(args, handler.__name__)
            return None

    return run


def _log_failure(args: Any, name: str) -> None:
    server = args[0] if args else None
    if isinstance(server, DasklintServer):
        server.log(f"dasklint: {name} failed:\n{traceback.format_exc()}", types.MessageType.Error)


server = DasklintServer()


@server.feature(types.INITIALIZE)
@guarded
def initialize(ls: DasklintServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    if isinstance(options, dict):
        # Either the settings themselves or {"settings": {...}} / {"dasklint": {...}}.
        ls.init_options = section(options) or dict(options)
    root = ls.workspace.root_path
    if root:
        ls.root = Path(root)
        ls.scheduler.root = ls.root
    ls.apply_settings(dict(ls.init_options))
    ls.scheduler.worker.start()  # it imports the linter while the client gets ready


@server.feature(types.INITIALIZED)
@guarded_async
async def initialized(ls: DasklintServer, params: types.InitializedParams) -> None:
    try:
        await ls.fetch_configuration()
        await _watch_config_files(ls)
    finally:
        ls.ready.set()  # whatever happened, linting may start now


async def _watch_config_files(ls: DasklintServer) -> None:
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace is not None else None
    if watched is None or not watched.dynamic_registration:
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
    )
    registration = types.Registration(
        id="dasklint-config-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    try:
        await ls.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception as exc:
        ls.log(f"dasklint: cannot watch configuration files: {exc}")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded
def did_open(ls: DasklintServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.scheduler.schedule(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded
def did_change(ls: DasklintServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.scheduler.schedule(params.text_document.uri, ls.settings.debounce_ms / 1000)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@guarded
def did_save(ls: DasklintServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.scheduler.schedule(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded
def did_close(ls: DasklintServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.scheduler.close(uri)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(
        identifier=SECTION, inter_file_dependencies=False, workspace_diagnostics=False
    ),
)
@guarded_async
async def pull_diagnostics(
    ls: DasklintServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    uri = params.text_document.uri
    result = await ls.scheduler.current(uri)
    doc = ls.document(uri)
    if result is None or doc is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    if params.previous_result_id == result.result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result.result_id)
    items = ls.lsp_diagnostics(result, doc)
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result.result_id)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded_async
async def hover(ls: DasklintServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    doc = ls.document(uri)
    if doc is None:  # only open documents are linted
        return None
    state = ls.scheduler.states.get(uri)
    result = state.result if state is not None else None
    diagnostics = result.diagnostics if result is not None and result.text == doc.source else []
    return handlers.hover(doc, params.position, diagnostics)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, handlers.FIX_ALL]),
)
@guarded_async
async def code_action(ls: DasklintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    doc = ls.document(uri)
    if doc is None or is_notebook(uri):  # notebooks are left to the command line
        return []
    state = ls.scheduler.states.get(uri)
    result = state.result if state is not None else None
    only = [str(kind) for kind in params.context.only] if params.context.only else None
    fresh = None
    if result is not None and result.text == doc.source:
        fresh = ls.lsp_diagnostics(result, doc)
        if handlers.wants(only, types.CodeActionKind.QuickFix.value):
            await ls.complete_fixes(doc, result, fresh, list(params.context.diagnostics))
    fix_all = None
    # Without a filter (a light bulb), fix-all is offered only when something is fixable.
    if (only is not None and handlers.wants(only, handlers.FIX_ALL)) or (
        only is None and result is not None and any(d.fixable for d in result.diagnostics)
    ):
        fixed = await ls.scheduler.fixed_text(uri, doc.source)
        if fixed is not None and ls.document(uri) is doc:
            fix_all = convert.whole_document_edit(doc, fixed)
    return handlers.code_actions(
        doc,
        params,
        disable_comment=ls.settings.disable_rule_comment,
        fresh=fresh,
        allow_unsafe=ls.unsafe_fixes(uri),
        fix_all=fix_all,
    )


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
@guarded_async
async def did_change_configuration(
    ls: DasklintServer, params: types.DidChangeConfigurationParams
) -> None:
    pushed = section(params.settings)
    if pushed is not None:
        ls.use_editor_settings(pushed)
    elif ls.can_ask:  # a bare notification means "ask me" (VS Code's pull model)
        await ls.fetch_configuration()
    else:  # nothing pushed and nobody to ask: the settings stay
        return
    ls.relint_all()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@guarded
def did_change_watched_files(ls: DasklintServer, params: types.DidChangeWatchedFilesParams) -> None:
    names = {uri_to_path(change.uri, ls.root).name for change in params.changes}
    if names & set(CONFIG_FILES):
        ls.log("dasklint: configuration changed, linting open documents again")
        ls.apply_settings(ls.raw_settings)  # a new resolver forgets cached config files
        ls.relint_all()


@server.command(DEBUG_COMMAND)
@guarded
def debug_information(ls: DasklintServer) -> dict[str, Any]:
    """Counters and settings, for debugging and for the tests."""
    return {
        "version": __version__,
        "positionEncoding": str(ls.workspace.position_encoding),
        "pull": ls.pull,
        "settings": ls.raw_settings,
        "lints": dict(ls.scheduler.lint_counts),
        "cancelled": dict(ls.scheduler.cancelled),
        "stopped": dict(ls.scheduler.stopped),
        "open": sorted(ls.workspace.text_documents),
    }


def start() -> int:
    """Serve over stdio; the exit code."""
    return transport.run(server, sys.stdin.buffer, sys.stdout.buffer)
