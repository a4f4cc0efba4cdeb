"""The message loop over stdio: frames from :mod:`dasklint.server.framing`, the exit code.

It replaces pygls's loop, which wedges on a malformed header (see framing) and turns the
``exit`` notification's status into 0 even without ``shutdown`` (the specification asks
for 1).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any, BinaryIO

from pygls.exceptions import JsonRpcException
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from dasklint.server.framing import FrameReader, Skipped
from dasklint.server.protocol import DasklintProtocol

logger = logging.getLogger(__name__)


def run(server: LanguageServer, stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Serve until ``exit`` or the end of input; the exit code."""
    protocol = server.protocol
    assert isinstance(protocol, DasklintProtocol)
    protocol.set_writer(StdoutWriter(stdout))
    read: Callable[[int], bytes] = getattr(stdin, "read1", stdin.read)
    try:
        asyncio.run(_serve(FrameReader(read), protocol, server))
    except SystemExit as exc:  # the `exit` notification
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:
        logger.error("The connection to the client is lost; stopping.")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]
    return 0


async def _serve(frames: FrameReader, protocol: DasklintProtocol, server: LanguageServer) -> None:
    loop = asyncio.get_running_loop()
    while True:
        item = await loop.run_in_executor(server.thread_pool, frames.next)
        if item is None:
            return
        if isinstance(item, Skipped):
            protocol.skipped_frame(item.reason)
            continue
        try:
            message: Any = json.loads(item, object_hook=protocol.structure_message)
            protocol.handle_message(message)
        except Exception as exc:
            if isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
                frames.resume_at_header(item)  # a length longer than the message
            logger.exception("Unable to handle message")
            with contextlib.suppress(Exception):  # reporting must not stop the loop
                server.report_server_error(exc, JsonRpcException)
