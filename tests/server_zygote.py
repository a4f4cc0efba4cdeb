"""Starts ``dasklint server`` processes forked from one that has imported it, for the
server tests (``tests/forked_server.py`` is the other side).

``python server_zygote.py SOCKET`` imports the server's modules once, then, for each
connection on the Unix socket ``SOCKET``, receives the caller's stdin, stdout and stderr
(file descriptors), environment and folder, and forks: a monitor, which forks the server
(``python -m dasklint server`` with those streams) and sends the caller the server's pid
and then how it ended. The server starts its lint process as it always does (a fresh
interpreter). The zygote ends when its socket's file is removed or its parent ends.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import runpy
import select
import signal
import socket
import sys

import click  # noqa: F401  (imported once here, not in every server)

import dasklint.cli.main
import dasklint.cli.server
import dasklint.server.app  # noqa: F401

INTERPRETER_PATH = list(sys.path[1:])  # the interpreter's path, without this file's folder


def _server(request: dict[str, object], fds: list[int]) -> None:
    """In the forked server: the caller's streams, environment and folder, then
    ``python -m dasklint server``; leaves through the interpreter's own shutdown."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    env = request["env"]
    assert isinstance(env, dict)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(str(request["cwd"]))
    extra = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[:] = [str(request["cwd"]), *extra, *INTERPRETER_PATH]
    import multiprocessing.process

    multiprocessing.process.ORIGINAL_DIR = os.getcwd()  # type: ignore[attr-defined]
    sys.argv = ["dasklint", "server"]
    runpy.run_module("dasklint", run_name="__main__", alter_sys=True)


def _monitor(connection: socket.socket, request: dict[str, object], fds: list[int]) -> None:
    """In the forked monitor: fork the server, tell the caller its pid, wait for it and
    tell the caller how it ended (``os.waitstatus_to_exitcode``). The caller sends
    nothing more: its end closing means it was killed (SIGKILL cannot be forwarded)."""
    pid = os.fork()
    if pid == 0:
        connection.close()
        _server(request, fds)
        return
    for fd in fds:
        os.close(fd)
    connection.send(str(pid).encode())
    ended = os.pidfd_open(pid)
    ready, _, _ = select.select([ended, connection.fileno()], [], [])
    if ended not in ready:  # the stand-in was killed: so is the server, as it would be
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    with contextlib.suppress(OSError):
        connection.send(str(os.waitstatus_to_exitcode(status)).encode())
    os._exit(0)


def serve(path: str) -> None:
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path + ".new")
    os.rename(path + ".new", path)  # the socket is ready when its name appears
    listener.listen()
    listener.settimeout(0.5)
    while os.path.exists(path) and os.getppid() == parent:
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:  # monitors that have ended
                pass
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            continue
        connection.settimeout(None)
        message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
        request = json.loads(message)
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # the server's collections skip (and do not copy) these objects
        if os.fork() == 0:
            listener.close()
            _monitor(connection, request, fds)
            return  # the server, after its shutdown
        connection.close()
        for fd in fds:
            os.close(fd)
    with contextlib.suppress(ChildProcessError):
        while True:
            os.waitpid(-1, 0)


if __name__ == "__main__":
    serve(sys.argv[1])
