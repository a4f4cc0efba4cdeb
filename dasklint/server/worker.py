"""Lints and fixes in a child process, so that a run can be stopped and never stalls the server.

On a large document a lint holds the interpreter lock for seconds at a time (libcst's
parser runs with it held), and a server that linted in a thread answered nothing
meanwhile; nor can a thread be stopped, so a stale run went on to its end. Here the work
runs in one child process, one job at a time: killing the process stops a run at once,
and the next job starts a new one. The child keeps each open document's incremental
parser, so an edit re-parses only the statements it touched.

This module is imported by the child: it must not import pygls.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Literal

from dasklint import api
from dasklint.config.loader import ConfigResolver
from dasklint.diagnostics import Diagnostic, TextEdit
from dasklint.notebook import is_notebook

Kind = Literal["lint", "fix", "fix_edits"]
_STOP_WAIT = 5.0  # seconds for an idle child to end by itself


class JobFailed(Exception):
    """The job raised in the child, or the child ended during it (killed or crashed)."""


@dataclass(frozen=True)
class Job:
    kind: Kind
    uri: str
    text: str
    path: Path
    diagnostic: Diagnostic | None = None  # for "fix_edits"


class Worker:
    """The server's side of the child process. :meth:`run` is called from one thread at a
    time (the scheduler's); :meth:`kill` and :meth:`running` from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._resolver: ConfigResolver | None = None  # the one the child has
        self._closed: list[str] = []  # documents whose parsers the child may drop
        self._token: object | None = None  # the job running now
        self._started = 0.0

    def start(self) -> None:
        """Start the child process unless it runs (it takes a moment to import)."""
        with self._lock:
            if self._process is not None and self._process.is_alive():
                return
            self._reap()
            context = multiprocessing.get_context("spawn")
            parent, child = context.Pipe()
            process = context.Process(
                target=serve, args=(child,), name="dasklint-lint", daemon=True
            )
            process.start()
            child.close()
            self._process, self._connection = process, parent

    def run(self, job: Job, resolver: ConfigResolver, token: object) -> Any:
        """Run ``job`` in the child (blocking); ``token`` names it for :meth:`kill`."""
        self.start()
        with self._lock:
            connection = self._connection
            assert connection is not None
            closed, self._closed = self._closed, []
            self._token, self._started = token, time.monotonic()
        sent = resolver if resolver is not self._resolver else None
        try:
            connection.send((job, sent, closed))
            self._resolver = resolver
            status, value = connection.recv()
        except (EOFError, OSError):
            with self._lock:
                self._resolver = None
                code = self._process.exitcode if self._process is not None else None
            raise JobFailed(f"the lint process ended (exit code {code})") from None
        finally:
            with self._lock:
                self._token = None
        if status == "error":
            raise JobFailed(value)
        return value

    def running(self) -> tuple[object, float] | None:
        """The token of the job running now and when it started (``time.monotonic``)."""
        with self._lock:
            return None if self._token is None else (self._token, self._started)

    def kill(self, token: object) -> bool:
        """Stop the child if it still runs the job ``token``; whether it did."""
        with self._lock:
            if self._token is not token or self._process is None:
                return False
            self._process.kill()
            self._process.join()
            return True

    def forget(self, uri: str) -> None:
        """The document was closed: the child may drop its parser."""
        with self._lock:
            self._closed.append(uri)

    def stop(self) -> None:
        """End the child: at once when it runs a job, else once it has read the end of
        its input (it then ends normally)."""
        with self._lock:
            process = self._process
            if process is None:
                return
            if self._token is not None:
                process.kill()  # the job's thread then reads the end of the pipe
            elif self._connection is not None:
                self._connection.close()
                self._connection = None
            process.join(timeout=_STOP_WAIT)
            if process.is_alive():
                process.kill()
                process.join()
            self._process = None

    def _reap(self) -> None:
        if self._process is not None:
            self._process.join()
            self._process = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._resolver = None


# -- the child process -------------------------------------------------------------------


def serve(connection: Connection) -> None:
    """The child's loop: a job in, ``("ok", value)`` or ``("error", message)`` out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt is for the server to handle
    api.load_linter()

    parsers: dict[str, api.IncrementalParser] = {}
    resolver: ConfigResolver | None = None
    while True:
        try:
            job, sent, closed = connection.recv()
        except EOFError:  # the server is gone
            return
        if sent is not None:
            resolver = sent
        for uri in closed:
            parsers.pop(uri, None)
        assert resolver is not None
        try:
            reply: tuple[str, Any] = ("ok", _execute(job, resolver, parsers))
        except Exception as exc:
            reply = ("error", str(exc) if isinstance(exc, JobFailed) else _describe(exc))
        try:
            connection.send(reply)
        except OSError:  # the server is gone
            return


def _execute(job: Job, resolver: ConfigResolver, parsers: dict[str, api.IncrementalParser]) -> Any:
    if job.kind == "lint":
        parser = parsers.get(job.uri)
        if parser is None:
            parser = parsers[job.uri] = api.document_parser()
        return _lint(job.text, job.path, resolver, parser)
    if job.kind == "fix":
        return _fix(job.text, job.path, resolver)
    assert job.diagnostic is not None
    return _fix_edits(job.text, job.path, resolver, job.diagnostic)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _lint(
    text: str, path: Path, resolver: ConfigResolver, parser: api.IncrementalParser
) -> list[Diagnostic]:
    if is_notebook(path.name):  # notebooks are linted by the command line only
        return []
    try:
        source = text.encode("utf-8", errors="surrogatepass")
        # Fix edits that need the whole module wait for a code action (see `_fix_edits`).
        with api.collector_paused():
            result = api.lint_text(source, str(path), resolver, defer_fix_edits=True, parser=parser)
    except Exception as exc:
        raise JobFailed(_describe(exc)) from None
    if result.error:
        raise JobFailed(result.error)
    return sorted(result.diagnostics, key=Diagnostic.sort_key)


def _fix_edits(
    text: str, path: Path, resolver: ConfigResolver, diagnostic: Diagnostic
) -> tuple[TextEdit, ...]:
    source = text.encode("utf-8", errors="surrogatepass")
    try:
        return api.fix_text_edits(source, str(path), resolver, diagnostic)
    except Exception:
        return ()


def _fix(text: str, path: Path, resolver: ConfigResolver) -> str | None:
    source = text.encode("utf-8", errors="surrogatepass")
    outcome = api.fix_text(source, str(path), resolver)
    if outcome.result.error:
        return None
    return outcome.source.decode("utf-8", errors="surrogatepass")
