"""Per-document lint scheduling: debounce, cancel-and-replace, results for pull requests.

Each open document has at most one pending lint task. A new edit cancels the pending
task and schedules a fresh one after the debounce delay, so a burst of edits lints once
and a stale run never publishes. Lints and fixes run in a child process (see
:mod:`dasklint.server.worker`), one at a time; a stale run that has gone on for
:data:`STOP_AFTER` seconds when the next job is due is stopped (a younger one is let
finish: starting the process again costs about that much). A document larger than
:data:`MAX_DOCUMENT_BYTES` is not linted: its one diagnostic says so.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from dasklint import api
from dasklint.config.loader import ConfigResolver
from dasklint.diagnostics import Diagnostic, TextEdit
from dasklint.server.worker import Job, JobFailed, Worker

MAX_DOCUMENT_BYTES = 1024 * 1024  # UTF-8 bytes; the README's "Editors" section says so
STOP_AFTER = 1.0  # seconds a stale run may go on before the lint process is stopped


def uri_to_path(uri: str, root: Path) -> Path:
    """The file a document stands for; unsaved buffers lint as if in the root."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        path = unquote(parsed.path)
        if os.name == "nt" and path.startswith("/") and path[2:3] == ":":
            path = path[1:]
        return Path(path)
    return root / "untitled.py"


@dataclass
class Result:
    version: int | None
    text: str
    diagnostics: list[Diagnostic]
    result_id: str
    # The diagnostics in LSP form, by position encoding: serialized once per result and
    # shared by the publication, pull requests and code actions (see DasklintServer).
    lsp: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class DocState:
    task: asyncio.Task[None] | None = None
    result: Result | None = None


@dataclass(eq=False)
class _Run:
    """A job sent to the worker, and the task waiting for it (done: nobody waits)."""

    uri: str
    task: asyncio.Task[Any] | None
    future: Future[Any] | None = None


def too_large(text: str) -> int | None:
    """The document's size in bytes when it is above :data:`MAX_DOCUMENT_BYTES`."""
    if len(text) * 4 <= MAX_DOCUMENT_BYTES:  # at most 4 bytes a code point
        return None
    size = len(text.encode("utf-8", errors="surrogatepass"))
    return size if size > MAX_DOCUMENT_BYTES else None


def too_large_diagnostics(path: Path, size: int) -> list[Diagnostic]:
    message = (
        f"Document too large to lint: {size:,} bytes, above the limit of "
        f"{MAX_DOCUMENT_BYTES:,} bytes"
    )
    return api.io_error(str(path), message).diagnostics


@dataclass
class Scheduler:
    """Lints documents on demand; the server supplies the callbacks."""

    get_text: Callable[[str], tuple[str, int | None] | None]  # uri -> (text, version)
    on_result: Callable[[str, Result], Awaitable[None]]
    on_error: Callable[[str, str], None]
    ready: asyncio.Event
    resolver: ConfigResolver
    root: Path
    states: dict[str, DocState] = field(default_factory=dict)
    lint_counts: Counter[str] = field(default_factory=Counter)
    cancelled: Counter[str] = field(default_factory=Counter)
    stopped: Counter[str] = field(default_factory=Counter)  # stale runs cut short
    worker: Worker = field(default_factory=Worker)
    # One thread waits on the worker: jobs run one at a time, in order.
    _executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="dasklint-lint")
    )
    _ids: int = 0

    def schedule(self, uri: str, delay: float) -> asyncio.Task[None]:
        """Cancel the pending lint of ``uri`` (if any) and start a new one."""
        state = self.states.setdefault(uri, DocState())
        if state.task is not None and not state.task.done():
            state.task.cancel()
            self.cancelled[uri] += 1
        task = asyncio.create_task(self._run(uri, delay), name=f"dasklint-lint {uri}")
        state.task = task
        return task

    def close(self, uri: str) -> None:
        state = self.states.pop(uri, None)
        if state is not None and state.task is not None and not state.task.done():
            state.task.cancel()
        self.worker.forget(uri)

    async def current(self, uri: str) -> Result | None:
        """The result for the document as it is now (linting it if needed)."""
        while True:
            now = self.get_text(uri)
            if now is None:
                return None
            state = self.states.setdefault(uri, DocState())
            if state.result is not None and (state.result.version, state.result.text) == (
                now[1],
                now[0],
            ):
                return state.result
            task = state.task
            if task is None or task.done():
                task = self.schedule(uri, 0)
            # `wait` does not raise when the task is cancelled by a newer edit: loop.
            await asyncio.wait({task})
            if task.done() and not task.cancelled() and task.exception() is not None:
                return None

    async def fixed_text(self, uri: str, text: str) -> str | None:
        """``text`` after the fix loop of ``--fix`` (unsafe fixes per the settings), run
        in the worker; None when fixing failed or the document is too large."""
        if too_large(text) is not None:
            return None
        try:
            fixed: str | None = await self._submit(Job("fix", uri, text, self._path(uri)))
        except JobFailed:
            return None
        return fixed

    async def fix_edits(self, uri: str, text: str, diagnostic: Diagnostic) -> tuple[TextEdit, ...]:
        """The text edits of a fix that the lint of ``text`` left out (one that adds or
        removes imports), computed in the worker; empty when they cannot be computed."""
        if too_large(text) is not None:
            return ()
        try:
            edits: tuple[TextEdit, ...] = await self._submit(
                Job("fix_edits", uri, text, self._path(uri), diagnostic)
            )
        except JobFailed:
            return ()
        return edits

    def _path(self, uri: str) -> Path:
        return uri_to_path(uri, self.root)

    async def _submit(self, job: Job) -> Any:
        """Run ``job`` in the worker once the jobs before it are done."""
        await self._stop_stale()
        run = _Run(job.uri, asyncio.current_task())
        run.future = self._executor.submit(self.worker.run, job, self.resolver, run)
        return await asyncio.wrap_future(run.future)

    async def _stop_stale(self) -> None:
        """Stop the worker's job when nobody waits for it any more (a newer edit
        cancelled its task) and it has gone on for :data:`STOP_AFTER` seconds."""
        running = self.worker.running()
        if running is None:
            return
        run, started = running
        if not isinstance(run, _Run) or run.task is None or not run.task.done():
            return  # still wanted: the new job waits its turn
        remaining = started + STOP_AFTER - time.monotonic()
        if remaining > 0 and run.future is not None:
            await asyncio.wait([asyncio.wrap_future(run.future)], timeout=remaining)
        if self.worker.kill(run):
            self.stopped[run.uri] += 1

    async def _run(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        await self.ready.wait()
        now = self.get_text(uri)
        if now is None:
            return
        text, version = now
        size = too_large(text)
        if size is not None:
            diagnostics = too_large_diagnostics(self._path(uri), size)
        else:
            self.lint_counts[uri] += 1
            try:
                diagnostics = await self._submit(Job("lint", uri, text, self._path(uri)))
            except JobFailed as exc:
                self.on_error(uri, str(exc))
                diagnostics = []
        self._ids += 1
        result = Result(version, text, diagnostics, str(self._ids))
        state = self.states.get(uri)
        if state is None:  # closed meanwhile
            return
        state.result = result
        await self.on_result(uri, result)
