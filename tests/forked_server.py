"""``dasklint server`` processes for the server tests without a second of imports each.

:func:`zygote` runs ``tests/server_zygote.py`` (which imports the server once) for a
test module; :func:`command` is then the server command to give the LSP client: a small
stand-in process (this file, run with ``-S -I``: no imports beyond the standard library)
that hands its stdin, stdout and stderr, environment and folder to the zygote, which
forks a server on them. The stand-in forwards SIGTERM and SIGINT to the server and ends
as the server ended (its exit code, or the signal that killed it); killing the
stand-in kills the server. The client sees one server process, as with
``python -m dasklint server``. Each test still gets
a server of its own.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ZYGOTE = Path(__file__).resolve().parent / "server_zygote.py"


def command(path: str) -> list[str]:
    """The server command: the zygote listening on ``path`` forks a server."""
    return [sys.executable, "-S", "-I", str(Path(__file__).resolve()), path]


def socket_path(name: str) -> str:
    """Where the zygote ``name`` of this test process listens."""
    return os.path.join(tempfile.gettempdir(), f"dasklint-{name}-{os.getpid()}.socket")


@contextmanager
def zygote(path: str, env: dict[str, str] | None = None) -> Iterator[None]:
    """A zygote listening on ``path`` while the block runs, started with ``env``
    (modules its ``PYTHONPATH`` gives at start-up, such as a ``sitecustomize``, are
    then in every server it forks)."""
    with suppress(FileNotFoundError):
        os.unlink(path)  # left by a test process that was killed
    process = subprocess.Popen(
        [sys.executable, str(ZYGOTE), path], stdin=subprocess.DEVNULL, env=env
    )
    try:
        deadline = time.monotonic() + 120
        while not os.path.exists(path):
            assert process.poll() is None, f"the zygote exited with {process.returncode}"
            assert time.monotonic() < deadline, "the zygote did not start"
            time.sleep(0.02)
        yield
    finally:
        if os.path.exists(path):
            os.unlink(path)  # the zygote then ends within half a second
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _stand_in(path: str) -> int:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    connection.connect(path)
    request = {"env": dict(os.environ), "cwd": os.getcwd()}
    socket.send_fds(connection, [json.dumps(request).encode()], [0, 1, 2])
    server = int(connection.recv(64))
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # the server's streams are the server's alone
        os.dup2(null, fd)

    def forward(signum: int, frame: object) -> None:
        with suppress(ProcessLookupError):
            os.kill(server, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    ended = connection.recv(64)
    if not ended:  # the monitor was killed
        return 1
    code = int(ended)
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


if __name__ == "__main__":
    sys.exit(_stand_in(sys.argv[1]))
