"""The JSON-RPC protocol, answering messages that pygls cannot read.

pygls reads each message into its typed form while decoding the JSON; when a request's
params do not fit its type (a hover without a position, say) it reports the error but
sends no response, and a client waiting for one waits forever. Here such a request gets
the JSON-RPC error response it is owed (``InvalidParams``), and pygls then reports the
error as before.

Messages that are not JSON-RPC at all get the answers of the JSON-RPC 2.0 specification
instead of a pop-up: a body that is not JSON a ``Parse error`` (-32700) with id null, and
a JSON value that is not a request object (an array, a string, an object without a method
or with one that is not a string, a wrong ``jsonrpc`` version) an ``Invalid Request``
(-32600) with its id when it has a usable one, else null; one per element of an array.

The lifecycle follows the specification where pygls does not: a request before
``initialize`` gets ``ServerNotInitialized`` (-32002) and a notification then is dropped;
a request after ``shutdown`` gets ``Invalid Request``. A change to a document that is not
open, or one older than the open version, is logged and ignored (pygls showed the first
as a ``KeyError`` and let the second replace the newer text).

Documents split into lines as LSP does, at ``\\r\\n``, ``\\r`` and ``\\n`` only. pygls uses
``str.splitlines``, which also splits at form feeds, ``\\x1c``-``\\x1e``, ``\\x85`` and
U+2028/U+2029: after such a character every incremental edit landed on the wrong line and
the server's copy of the document drifted from the editor's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.workspace import TextDocument, Workspace

if TYPE_CHECKING:
    from cattrs import Converter
    from pygls.lsp.server import LanguageServer

VERSION = "2.0"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


class LspTextDocument(TextDocument):
    @property
    def lines(self) -> Sequence[str]:
        """The lines with their ends, as ``str.splitlines(True)`` but at LSP's line ends."""
        return tuple(_LINE.findall(self.source))


class LspWorkspace(Workspace):
    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LspTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self.position_codec,
        )


def _usable_id(data: dict[str, Any]) -> int | str | None:
    ident = data.get("id")
    if isinstance(ident, (int, str)) and not isinstance(ident, bool):
        return ident
    return None


def _is_message(data: dict[str, Any]) -> bool:
    """Whether ``data`` is a request, notification or response pygls can handle."""
    if data.get("jsonrpc") != VERSION:
        return False
    if "method" in data:
        usable_id = "id" not in data or _usable_id(data) is not None
        return isinstance(data["method"], str) and usable_id
    return "id" in data and ("result" in data or "error" in data)


class DasklintProtocol(LanguageServerProtocol):
    def __init__(self, server: LanguageServer, converter: Converter) -> None:
        super().__init__(server, converter)
        self._initialize_seen = False

    # pygls creates its workspace at `initialize` and assigns it here: an LspWorkspace
    # with the same root, folders and encoding is kept instead (its documents split
    # lines as LSP does).
    @property
    def _workspace(self) -> Workspace | None:
        workspace: Workspace | None = self.__dict__.get("_lsp_workspace")
        return workspace

    @_workspace.setter
    def _workspace(self, workspace: Workspace | None) -> None:
        if workspace is not None and not isinstance(workspace, LspWorkspace):
            folders = list(workspace.folders.values())
            workspace = LspWorkspace(
                workspace.root_uri, workspace._sync_kind, folders, workspace.position_encoding
            )
        self.__dict__["_lsp_workspace"] = workspace

    def structure_message(self, data: dict[str, Any]) -> Any:
        if "jsonrpc" in data and not _is_message(data):
            return data  # left as it is: handle_message answers Invalid Request
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            ident = data.get("id")
            if "method" in data and isinstance(ident, (int, str)) and not isinstance(ident, bool):
                self._send_response(ident, error=error.to_response_error())
            raise

    def handle_message(self, message: Any) -> None:
        # A structured message has a `jsonrpc` attribute; raw JSON values do not.
        if not hasattr(message, "jsonrpc"):
            self._invalid_request(message)
            return
        method = getattr(message, "method", None)
        request = method is not None and hasattr(message, "id")
        if method == types.INITIALIZE:
            self._initialize_seen = True
        elif method != types.EXIT and not self._initialize_seen:
            if request:
                self._send_response(message.id, error=_NOT_INITIALIZED.to_response_error())
            self._log(f"dasklint: ignored {method!r} sent before 'initialize'")
            return
        if request and self._shutdown and method != types.EXIT:
            self._send_response(message.id, error=_SHUT_DOWN.to_response_error())
            return
        super().handle_message(message)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        problem = self._unusable_change(params.text_document)
        if problem is not None:
            self._log(f"dasklint: ignored a change to {params.text_document.uri}: {problem}")
            return
        yield from super().lsp_text_document__did_change(params)

    def _unusable_change(self, identifier: types.VersionedTextDocumentIdentifier) -> str | None:
        doc = self.workspace.text_documents.get(unquote(identifier.uri))
        if doc is None:
            return "the document is not open"
        if doc.version is not None and identifier.version < doc.version:
            return f"version {identifier.version} is older than the open version {doc.version}"
        return None

    def skipped_frame(self, reason: str) -> None:
        """Log a message that could not be read from the stream (see framing)."""
        self._log(f"dasklint: skipped a message that cannot be read: {reason}")

    def answer_unreadable(self, error: Exception, source: Any) -> bool:
        """Answer a message body that is not JSON with a Parse error. ``error`` and
        ``source`` are what pygls's message loop reports (the source is then the base
        ``JsonRpcException``); False when the error did not come from decoding."""
        decoding = (json.JSONDecodeError, UnicodeDecodeError, RecursionError)
        if source is not JsonRpcException or not isinstance(error, decoding):
            return False
        self._send_data(_error(None, JsonRpcParseError(), str(error)))
        self._log(f"dasklint: answered a message that is not JSON with Parse Error: {error}")
        return True

    def _invalid_request(self, value: Any) -> None:
        if isinstance(value, list) and value:
            # A batch (LSP has none): an Invalid Request for each element.
            self._send_data([_error(_id_of(item), JsonRpcInvalidRequest()) for item in value])
        else:
            self._send_data(_error(_id_of(value), JsonRpcInvalidRequest()))
        shown = json.dumps(value, default=self._serialize_message)  # a batch's requests
        shown = shown if len(shown) <= 200 else shown[:200] + "..."
        self._log(
            f"dasklint: answered a message that is not a request with Invalid Request: {shown}"
        )

    def _log(self, message: str) -> None:
        params = types.LogMessageParams(type=types.MessageType.Warning, message=message)
        self.notify(types.WINDOW_LOG_MESSAGE, params)


_NOT_INITIALIZED = JsonRpcServerNotInitialized("Server not initialized: send 'initialize' first")
_SHUT_DOWN = JsonRpcInvalidRequest("Invalid Request: the server has been shut down")


def _id_of(value: Any) -> int | str | None:
    """The id of a raw object, or of a message pygls already structured (in a batch)."""
    if isinstance(value, dict):
        return _usable_id(value)
    return _usable_id({"id": getattr(value, "id", None)}) if hasattr(value, "jsonrpc") else None


def _error(ident: int | str | None, error: JsonRpcException, data: str | None = None) -> Any:
    """An error response as plain JSON (lsprotocol's converter would drop a null id)."""
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if data is not None:
        body["data"] = data
    return {"jsonrpc": VERSION, "id": ident, "error": body}
