"""``dasklint server`` under hostile traffic: malformed JSON-RPC, unknown methods, requests
for documents never opened, edits faster than linting, a rule that raises. The server
answers with proper errors or logs, keeps serving, and afterwards still lints correctly.

A raw client over stdio (not pytest-lsp) so that malformed bytes can be sent. Timeouts
are only a safety net; no assertion depends on timing.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import forked_server
import pytest
from cli_support import PROCESSES

pytest.importorskip("pygls", reason="the server tests need the `lsp` extra")

WAIT = 60.0

# The server's processes import these hooks at start-up (see its docstring).
HOOKS = Path(__file__).parent / "server_hooks"


def hooked_env() -> dict[str, str]:
    python_path = os.pathsep.join(filter(None, [str(HOOKS), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": python_path}


# Each server is forked from one that has imported it, and the hooks (tests/forked_server.py).
ZYGOTE = forked_server.socket_path("test-server-hostile")


@pytest.fixture(scope="module", autouse=True)
def zygote() -> Iterator[None]:
    with forked_server.zygote(ZYGOTE, hooked_env()):
        yield


class RawClient:
    def __init__(self, cwd: Path) -> None:
        self.spinning = cwd / "spinning"  # created when a SPIN lint starts
        env = {**hooked_env(), "DASKLINT_TEST_SPINNING": str(self.spinning)}
        self.process = subprocess.Popen(
            forked_server.command(ZYGOTE),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self._ids = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None
            message = json.loads(stream.read(length))
            # A batch answer (an array) is wrapped so that predicates can read it.
            self.messages.put(message if isinstance(message, dict) else {"batch": message})

    def send_raw(self, body: bytes, header: bytes | None = None) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(header if header is not None else b"Content-Length: %d\r\n\r\n" % len(body))
        stdin.write(body)
        stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        self.send_raw(json.dumps({"jsonrpc": "2.0", **message}).encode())

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any = None) -> dict[str, Any]:
        """Send a request and return its response (server requests are answered)."""
        self._ids += 1
        ident = self._ids
        self.send({"id": ident, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == ident and "method" not in m)

    def wait(self, predicate: Any) -> dict[str, Any]:
        for message in self.seen:
            if predicate(message):
                self.seen.remove(message)
                return message
        while True:
            message = self.messages.get(timeout=WAIT)
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
            if predicate(message):
                return message
            self.seen.append(message)

    def published(self, uri: str, version: int | None = None) -> list[dict[str, Any]]:
        def match(m: dict[str, Any]) -> bool:
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            params = m["params"]
            return bool(
                params["uri"] == uri and (version is None or params.get("version") == version)
            )

        items: list[dict[str, Any]] = self.wait(match)["params"]["diagnostics"]
        return items

    def logged(self, text: str) -> str:
        message: str = self.wait(
            lambda m: m.get("method") == "window/logMessage" and text in m["params"]["message"]
        )["params"]["message"]
        return message

    def open(self, path: Path, text: str, version: int = 1) -> str:
        uri = path.as_uri()
        item = {"uri": uri, "languageId": "python", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            },
        )


@pytest.fixture
def server(tmp_path: Path) -> Any:
    client = RawClient(tmp_path)
    reply = client.request(
        "initialize",
        {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
    )
    assert reply["result"]["serverInfo"]["name"] == "dasklint"
    client.notify("initialized", {})
    yield client
    if client.process.poll() is None:
        client.process.kill()
    client.process.wait(timeout=WAIT)


def codes(items: list[dict[str, Any]]) -> list[str]:
    return [str(item["code"]) for item in items]


def assert_still_lints(client: RawClient, tmp_path: Path, name: str = "after.py") -> None:
    uri = client.open(tmp_path / name, PROCESSES)
    items = client.published(uri)
    assert codes(items) == ["DSK101"]
    assert items[0]["range"]["start"] == {"line": 3, "character": 30}


def shown(client: RawClient) -> str:
    message: str = client.wait(lambda m: m.get("method") == "window/showMessage")["params"][
        "message"
    ]
    return message


PARSE_ERROR = {"code": -32700, "message": "Parse Error"}
INVALID_REQUEST = {"code": -32600, "message": "Invalid Request"}


def error_reply(client: RawClient) -> dict[str, Any]:
    """The next JSON-RPC error response (or batch of them) the server sends."""
    return client.wait(lambda m: "batch" in m or ("error" in m and "method" not in m))


NOT_JSON = [
    (b"{not json at all", "Expecting property name enclosed in double quotes"),
    (b'{"jsonrpc": "2.0", "method": "x", "params": [1, 2', "Expecting"),
    (b" ", "Expecting value: line 1 column 2 (char 1)"),
    (b'{"jsonrpc": "2.0", "method": "\xe9"}', "'utf-8' codec can't decode byte 0xe9"),
    (b"[" * 100_000 + b"]" * 100_000, "maximum recursion depth exceeded"),
]


def test_body_that_is_not_json_gets_a_parse_error(server: RawClient, tmp_path: Path) -> None:
    """JSON-RPC 2.0: invalid JSON is answered with code -32700 and id null (pygls showed
    a pop-up instead, and sent no response)."""
    for number, (body, data) in enumerate(NOT_JSON):
        server.send_raw(body)
        reply = error_reply(server)
        assert reply["id"] is None
        assert {k: reply["error"][k] for k in ("code", "message")} == PARSE_ERROR
        message = reply["error"]["data"]
        assert data in message
        logged = server.logged("not JSON")
        assert (
            logged == f"dasklint: answered a message that is not JSON with Parse Error: {message}"
        )
        assert_still_lints(server, tmp_path, f"after{number}.py")
    assert not [m for m in server.seen if m.get("method") == "window/showMessage"]


NOT_A_REQUEST = [
    (b'"just a string"', None),
    (b"42", None),
    (b"null", None),
    (b"[]", None),
    (b"{}", None),
    (b"\xef\xbb\xbf{}", None),  # a BOM is allowed before JSON in UTF-8
    (b'{"jsonrpc": "2.0", "method": 7}', None),
    (b'{"jsonrpc": "2.0", "method": 7, "id": 5}', 5),
    (b'{"jsonrpc": "2.0", "method": "textDocument/hover", "id": null}', None),
    (b'{"jsonrpc": "2.0", "method": "textDocument/hover", "id": 1.5}', None),
    (b'{"jsonrpc": "2.0", "method": "textDocument/hover", "id": true}', None),
    (b'{"jsonrpc": "1.0", "method": "shutdown", "id": 6}', 6),
    (b'{"method": "shutdown", "id": "seven"}', "seven"),  # no "jsonrpc"
    (b'{"jsonrpc": "2.0", "id": 99}', 99),  # neither a request nor a response
    (b'{"jsonrpc": "2.0"}', None),
]


def test_value_that_is_not_a_request_gets_invalid_request(
    server: RawClient, tmp_path: Path
) -> None:
    """JSON-RPC 2.0: a JSON value that is not a request object is answered with -32600,
    carrying the request's id when it has a usable one; nothing is run (not even the
    `shutdown`s)."""
    for number, (body, ident) in enumerate(NOT_A_REQUEST):
        server.send_raw(body)
        assert error_reply(server) == {"jsonrpc": "2.0", "id": ident, "error": INVALID_REQUEST}
        assert server.logged("not a request") == (
            "dasklint: answered a message that is not a request with Invalid Request: "
            + json.dumps(json.loads(body))
        )
        assert_still_lints(server, tmp_path, f"after{number}.py")
    assert not [m for m in server.seen if m.get("method") == "window/showMessage"]
    assert server.request("shutdown")["result"] is None  # the first shutdown


def test_batch_gets_one_invalid_request_per_element(server: RawClient, tmp_path: Path) -> None:
    """The specification's own example; LSP has no batches, so a batch of requests is
    refused element by element, keeping their ids."""
    server.send_raw(b"[1, 2, 3]")
    answer = {"jsonrpc": "2.0", "id": None, "error": INVALID_REQUEST}
    assert error_reply(server) == {"batch": [answer, answer, answer]}
    shutdown = {"jsonrpc": "2.0", "id": 8, "method": "shutdown"}
    server.send_raw(json.dumps([shutdown, {"foo": "boo"}]).encode())
    assert error_reply(server) == {"batch": [{**answer, "id": 8}, answer]}
    prefix = "dasklint: answered a message that is not a request with Invalid Request: "
    logged = server.logged('"foo"')
    assert logged.startswith(prefix)
    assert json.loads(logged.removeprefix(prefix)) == [shutdown, {"foo": "boo"}]
    assert_still_lints(server, tmp_path)
    assert not [m for m in server.seen if m.get("method") == "window/showMessage"]
    assert server.request("shutdown")["result"] is None  # the batch's was not run


def test_garbage_between_messages_is_skipped(server: RawClient, tmp_path: Path) -> None:
    """Header lines that are not a Content-Length (and bytes outside any message) are
    read past; the next well-framed message is handled."""
    server.send_raw(b"", header=b"X-Nonsense: 1\r\nnot a header at all\r\n\r\n")
    server.send_raw(b"", header=b"Content-Length: abc\r\n\r\n")
    assert_still_lints(server, tmp_path)


def test_unknown_methods_and_bad_params(server: RawClient, tmp_path: Path) -> None:
    reply = server.request("dasklint/noSuchMethod", {})
    assert reply["error"]["code"] == -32601  # MethodNotFound
    server.notify("$/noSuchNotification", {})
    server.notify("noSuchNotification", {"x": 1})
    # Params that do not fit the request: an InvalidParams response (pygls alone sent
    # none, and the client waited forever), and the error is shown.
    invalid = {"code": -32602, "message": "Invalid Params"}
    reply = server.request("textDocument/hover", {"textDocument": {}})  # no uri, no position
    assert reply["error"] == invalid
    assert shown(server) == "Error in server: Invalid Params"
    reply = server.request("textDocument/codeAction", "not an object")
    assert reply["error"] == invalid
    server.notify("textDocument/didOpen", {"textDocument": {"uri": 3}})
    server.notify("textDocument/didChange", {})
    for _ in range(3):
        assert shown(server) == "Error in server: Invalid Params"
    assert_still_lints(server, tmp_path)


def test_requests_for_documents_never_opened(server: RawClient, tmp_path: Path) -> None:
    uri = (tmp_path / "never.py").as_uri()
    doc = {"uri": uri}
    position = {"line": 0, "character": 0}
    hover = server.request("textDocument/hover", {"textDocument": doc, "position": position})
    assert hover == {"jsonrpc": "2.0", "id": hover["id"], "result": None}
    whole = {"start": position, "end": position}
    actions = server.request(
        "textDocument/codeAction",
        {"textDocument": doc, "range": whole, "context": {"diagnostics": []}},
    )
    assert actions["result"] in (None, [])
    pulled = server.request("textDocument/diagnostic", {"textDocument": doc})
    assert pulled["result"] == {"kind": "full", "items": []}
    server.change(uri, PROCESSES, 2)
    server.notify("textDocument/didSave", {"textDocument": doc})
    server.notify("textDocument/didClose", {"textDocument": doc})
    assert_still_lints(server, tmp_path)


def test_edits_faster_than_linting(server: RawClient, tmp_path: Path) -> None:
    uri = server.open(tmp_path / "fast.py", PROCESSES)
    for version in range(2, 200):
        text = PROCESSES if version % 2 else "import dask\n" + "x = 1\n" * version
        server.change(uri, text, version)
    server.change(uri, PROCESSES, 200)
    assert codes(server.published(uri, version=200)) == ["DSK101"]
    reply = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    assert codes(reply["result"]["items"]) == ["DSK101"]


def test_rule_raising_is_logged_and_the_server_keeps_serving(
    server: RawClient, tmp_path: Path
) -> None:
    uri = server.open(tmp_path / "boom.py", PROCESSES + "# BOOM\n")
    message = server.logged("cannot lint")
    assert message == f"dasklint: cannot lint {uri}: RuntimeError: a rule exploded"
    assert server.published(uri) == []
    server.change(uri, PROCESSES, 2)  # fixed: linted again, normally
    assert codes(server.published(uri, version=2)) == ["DSK101"]
    assert_still_lints(server, tmp_path)


def test_deeply_nested_document(server: RawClient, tmp_path: Path) -> None:
    uri = server.open(tmp_path / "deep.py", "import dask\nx = " + "(" * 3000 + ")" * 3000 + "\n")
    items = server.published(uri)
    assert [(i["code"], i["message"]) for i in items] == [
        ("DSK001", "Cannot parse: too many nested parentheses")
    ]
    assert_still_lints(server, tmp_path)


def test_shutdown_and_exit(server: RawClient) -> None:
    assert server.request("shutdown")["result"] is None
    server.notify("exit", None)
    assert server.process.wait(timeout=WAIT) == 0


def test_linted_code_is_never_run(server: RawClient, tmp_path: Path) -> None:
    from test_hostile_inputs import evil_tree

    marker = evil_tree(tmp_path)
    for name in ("evil.py", "main.py", "pkg/__init__.py", "json.py"):
        path = tmp_path / name
        uri = server.open(path, path.read_text())
        assert "DSK101" in codes(server.published(uri))
    # Fix-all runs the fix loop on the document.
    uri = (tmp_path / "evil.py").as_uri()
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    reply = server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": whole,
            "context": {"diagnostics": [], "only": ["source.fixAll.dasklint"]},
        },
    )
    assert reply["result"], reply
    assert list(tmp_path.glob("marker*")) == [] and not marker.exists()
    assert server.process.poll() is None  # not exited by the code's os._exit


def test_incremental_edits_after_characters_python_splits_lines_at(
    server: RawClient, tmp_path: Path
) -> None:
    """LSP lines end only at \\r\\n, \\r and \\n; str.splitlines also splits at form
    feeds and Unicode separators. An edit placed by the client's line numbers lands on
    the line the client meant, and the document's text stays the client's (pygls put it
    on the wrong line, and the server linted text the editor never had)."""
    call = 'dask.compute(x, scheduler="processes")'
    whole_line = {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 5}}
    for number, separator in enumerate(["\x0c", "\x0b", "\x1c", "\x85", "\u2028", "\u2029"]):
        text = f"import dask\ny = 1  # page{separator}break\nz = 2\n"
        uri = server.open(tmp_path / f"page{number}.py", text)
        assert server.published(uri) == []
        server.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"range": whole_line, "text": call}],
            },
        )
        items = server.published(uri, version=2)
        assert codes(items) == ["DSK101"], repr(separator)
        assert items[0]["range"]["start"] == {"line": 2, "character": 26}


def hover_request(ident: int, uri: str) -> bytes:
    position = {"line": 0, "character": 0}
    params = {"textDocument": {"uri": uri}, "position": position}
    return json.dumps(
        {"jsonrpc": "2.0", "id": ident, "method": "textDocument/hover", "params": params}
    ).encode()


def test_header_names_in_any_case_and_lf_only_lines(server: RawClient, tmp_path: Path) -> None:
    """Header names are case-insensitive (as in HTTP) and lines may end in a bare LF: such
    messages are handled (pygls ignored them and every message after them)."""
    uri = (tmp_path / "never.py").as_uri()
    for ident, header in [
        (101, b"content-length: %d\r\n\r\n"),
        (102, b"CONTENT-LENGTH:%d\r\n\r\n"),
        (103, b"Content-Length: %d\n\n"),
        (104, b"Content-Type: application/vscode-jsonrpc; charset=utf-8\nContent-Length: %d\n\n"),
    ]:
        body = hover_request(ident, uri)
        server.send_raw(body, header=header % len(body))
        assert server.wait(lambda m, i=ident: m.get("id") == i)["result"] is None
    assert_still_lints(server, tmp_path)


BAD_LENGTHS = [
    (b"-5", "Content-Length is not a number of bytes: b'-5'"),
    (b"abc", "Content-Length is not a number of bytes: b'abc'"),
    (b"", "Content-Length is not a number of bytes: b''"),
    (b"99999999999999999999", "a message of 99999999999999999999 bytes, above the limit of"),
    (b"1099511627776", "a message of 1099511627776 bytes, above the limit of"),
]


@pytest.mark.parametrize(("length", "reason"), BAD_LENGTHS)
def test_unusable_length_skips_one_message(
    server: RawClient, tmp_path: Path, length: bytes, reason: str
) -> None:
    """A negative, non-numeric or huge length loses that message only: the reader resumes
    at the next header (pygls stopped handling messages, or died of OverflowError or
    MemoryError)."""
    uri = (tmp_path / "never.py").as_uri()
    server.send_raw(hover_request(200, uri), header=b"Content-Length: " + length + b"\r\n\r\n")
    body = hover_request(201, uri)
    server.send_raw(body)
    assert server.wait(lambda m: m.get("id") in (200, 201))["id"] == 201
    logged = server.logged("skipped")
    assert logged.startswith("dasklint: skipped a message that cannot be read: " + reason)
    assert_still_lints(server, tmp_path)
    assert server.process.poll() is None


def test_length_longer_than_the_message(server: RawClient, tmp_path: Path) -> None:
    """A length that says more than was sent swallows the next message's header; that
    message is still read (the broken one gets a Parse error)."""
    uri = (tmp_path / "never.py").as_uri()
    first = hover_request(300, uri)
    server.send_raw(first, header=b"Content-Length: %d\r\n\r\n" % (len(first) + 40))
    server.send_raw(hover_request(301, uri))
    assert error_reply(server)["error"]["code"] == -32700
    assert server.wait(lambda m: m.get("id") == 301)["result"] is None
    assert_still_lints(server, tmp_path)


def test_length_shorter_than_the_message(server: RawClient, tmp_path: Path) -> None:
    uri = (tmp_path / "never.py").as_uri()
    first = hover_request(400, uri)
    server.send_raw(first, header=b"Content-Length: %d\r\n\r\n" % (len(first) - 10))
    server.send_raw(hover_request(401, uri))
    assert error_reply(server)["error"]["code"] == -32700
    assert server.wait(lambda m: m.get("id") == 401)["result"] is None
    assert server.logged("skipped").startswith("dasklint: skipped a message that cannot be read")
    assert_still_lints(server, tmp_path)


def test_header_without_end_is_skipped(server: RawClient, tmp_path: Path) -> None:
    """Bytes without a line end are not kept without limit."""
    server.send_raw(b"", header=b"X" * 100_000)
    assert server.logged("skipped") == (
        "dasklint: skipped a message that cannot be read: a header longer than 8192 bytes"
    )
    assert_still_lints(server, tmp_path)


def test_request_after_shutdown_gets_invalid_request(server: RawClient, tmp_path: Path) -> None:
    """The specification: after `shutdown`, requests get InvalidRequest (pygls sent no
    reply) and notifications are ignored; `exit` then ends with 0."""
    assert server.request("shutdown")["result"] is None
    uri = server.open(tmp_path / "late.py", PROCESSES)  # ignored
    reply = server.request(
        "textDocument/hover",
        {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}},
    )
    assert reply["error"]["code"] == -32600
    assert server.request("shutdown")["error"]["code"] == -32600
    server.notify("exit", None)
    assert server.process.wait(timeout=WAIT) == 0
    assert not [m for m in server.seen if m.get("method") == "textDocument/publishDiagnostics"]


def test_exit_without_shutdown_exits_1(server: RawClient) -> None:
    server.notify("exit", None)
    assert server.process.wait(timeout=WAIT) == 1


def test_messages_before_initialize(tmp_path: Path) -> None:
    """A request before `initialize` gets ServerNotInitialized (-32002; pygls answered
    null) and a notification is dropped; `initialize` then works as usual."""
    client = RawClient(tmp_path)
    try:
        uri = (tmp_path / "early.py").as_uri()
        position = {"line": 0, "character": 0}
        reply = client.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
        )
        assert reply["error"]["code"] == -32002
        assert client.request("shutdown")["error"]["code"] == -32002
        client.open(tmp_path / "early.py", PROCESSES)  # dropped
        assert "before 'initialize'" in client.logged("textDocument/didOpen")
        reply = client.request(
            "initialize",
            {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
        )
        assert reply["result"]["serverInfo"]["name"] == "dasklint"
        client.notify("initialized", {})
        pulled = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        assert pulled["result"] == {"kind": "full", "items": []}  # never opened
        assert_still_lints(client, tmp_path)
        assert client.request("shutdown")["result"] is None
        client.notify("exit", None)
        assert client.process.wait(timeout=WAIT) == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()


def test_older_version_does_not_replace_newer(server: RawClient, tmp_path: Path) -> None:
    uri = server.open(tmp_path / "versions.py", "import dask\n")
    assert server.published(uri) == []
    server.change(uri, PROCESSES, 3)
    assert codes(server.published(uri, version=3)) == ["DSK101"]
    server.change(uri, "import dask\n", 2)  # arrives late
    assert server.logged("ignored a change") == (
        f"dasklint: ignored a change to {uri}: version 2 is older than the open version 3"
    )
    reply = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    assert codes(reply["result"]["items"]) == ["DSK101"]


def test_change_to_unopened_document_is_logged(server: RawClient, tmp_path: Path) -> None:
    """Not a KeyError shown to the user."""
    uri = (tmp_path / "never.py").as_uri()
    server.change(uri, PROCESSES, 2)
    assert server.logged("ignored a change") == (
        f"dasklint: ignored a change to {uri}: the document is not open"
    )
    assert_still_lints(server, tmp_path)
    assert not [m for m in server.seen if m.get("method") == "window/showMessage"]


def debug_info(client: RawClient) -> dict[str, Any]:
    reply = client.request("workspace/executeCommand", {"command": "dasklint.debugInformation"})
    info: dict[str, Any] = reply["result"]
    return info


def wait_for_file(path: Path) -> None:
    """Until ``path`` exists (a safety-net timeout only)."""
    for _ in range(int(WAIT * 20)):
        if path.exists():
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def test_requests_answered_while_a_lint_runs_and_a_stale_run_is_stopped(
    server: RawClient, tmp_path: Path
) -> None:
    """A lint that holds the interpreter lock (libcst's parser does, for seconds, on a
    large document) no longer stops the server answering: the hover gets its reply while
    the lint still runs (it never publishes). An edit makes the run stale: it is stopped,
    and the new version is linted (pygls's lint thread could be neither)."""
    uri = server.open(tmp_path / "spin.py", PROCESSES + "# SPIN\n")
    wait_for_file(server.spinning)
    position = {"line": 3, "character": 35}
    hover = server.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )
    assert hover["result"] is None  # not linted yet: no finding to explain
    server.change(uri, PROCESSES, 2)
    assert codes(server.published(uri, version=2)) == ["DSK101"]
    info = debug_info(server)
    assert (info["lints"], info["stopped"]) == ({uri: 2}, {uri: 1})
    published = [m for m in server.seen if m.get("method") == "textDocument/publishDiagnostics"]
    assert [m["params"]["version"] for m in published if m["params"]["uri"] == uri] == []
    hover = server.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )
    assert "DSK101" in hover["result"]["contents"]["value"]


def test_document_over_the_size_limit_is_not_linted(server: RawClient, tmp_path: Path) -> None:
    """One DSK002 diagnostic says why, instead of a lint that took minutes and gigabytes;
    the README's "Editors" section gives the limit."""
    limit = 1024 * 1024
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"larger than 1 MiB ({limit:,} bytes of UTF-8) is not linted" in readme
    text = PROCESSES + "#" * limit + "\n"
    size = len(text.encode())
    uri = server.open(tmp_path / "huge.py", text)
    items = server.published(uri)
    assert [(i["code"], i["message"], i["range"]["start"]) for i in items] == [
        (
            "DSK002",
            f"Document too large to lint: {size:,} bytes, above the limit of {limit:,} bytes",
            {"line": 0, "character": 0},
        )
    ]
    assert debug_info(server)["lints"] == {}
    pulled = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    assert codes(pulled["result"]["items"]) == ["DSK002"]
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    actions = server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": whole,
            "context": {"diagnostics": [], "only": ["source.fixAll.dasklint"]},
        },
    )
    assert actions["result"] == []  # no fix-all of a document too large to lint
    server.change(uri, PROCESSES, 2)
    assert codes(server.published(uri, version=2)) == ["DSK101"]
    assert debug_info(server)["lints"] == {uri: 1}


def test_uri_with_percent_escapes(server: RawClient, tmp_path: Path) -> None:
    """A space in a file name (or the `c%3A` of every Windows path VS Code sends) is
    escaped in the URI; such documents are linted and answered like any other (pygls
    keeps documents by the unescaped URI, and the server never found them)."""
    uri = server.open(tmp_path / "my job.py", PROCESSES)
    assert "%20" in uri
    assert codes(server.published(uri)) == ["DSK101"]
    position = {"line": 3, "character": 35}
    hover = server.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )
    assert "DSK101" in hover["result"]["contents"]["value"]
    server.notify("workspace/didChangeConfiguration", {"settings": {"dasklint": {}}})
    assert codes(server.published(uri)) == ["DSK101"]  # linted again, under the client's URI
