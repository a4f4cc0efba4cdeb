"""Per-document lint scheduling: debounce, cancel-and-replace, results for pull requests.

Each open document has at most one pending lint task. A new edit cancels the pending
task and schedules a fresh one after the debounce delay, so a burst of edits lints once
and a stale run never publishes. The lint itself runs off the event loop in a
single worker thread (one lint at a time).
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from dasklint import api
from dasklint.config.loader import ConfigResolver
from dasklint.diagnostics import Diagnostic, TextEdit
from dasklint.engine.gc_pause import collector_paused
from dasklint.notebook import is_notebook


def uri_to_path(uri: str, root: Path) -> Path:
    """The file a document stands for; unsaved buffers lint as if in the root."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        path = unquote(parsed.path)
        if os.name == "nt" and path.startswith("/") and path[2:3] == ":":
            path = path[1:]
        return Path(path)
    return root / "untitled.py"


class LintFailed(Exception):
    """Linting raised or the engine reported an error for the document."""


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
    # Re-parses only the statements an edit touched (used by the one lint thread).
    parser: api.IncrementalParser = field(default_factory=api.document_parser)


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
        off the event loop; None when fixing failed."""
        path = uri_to_path(uri, self.root)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _fix, text, path, self.resolver)

    async def fix_edits(self, uri: str, text: str, diagnostic: Diagnostic) -> tuple[TextEdit, ...]:
        """The text edits of a fix that the lint of ``text`` left out (one that adds or
        removes imports), run off the event loop; empty when they cannot be computed."""
        path = uri_to_path(uri, self.root)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, _fix_edits, text, path, self.resolver, diagnostic
        )

    async def _run(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        await self.ready.wait()
        now = self.get_text(uri)
        if now is None:
            return
        text, version = now
        path = uri_to_path(uri, self.root)
        resolver = self.resolver
        self.lint_counts[uri] += 1
        loop = asyncio.get_running_loop()
        parser = self.states.setdefault(uri, DocState()).parser
        try:
            diagnostics = await loop.run_in_executor(
                self._executor, _lint, text, path, resolver, parser
            )
        except LintFailed as exc:
            self.on_error(uri, str(exc))
            diagnostics = []
        self._ids += 1
        result = Result(version, text, diagnostics, str(self._ids))
        state = self.states.get(uri)
        if state is None:  # closed meanwhile
            return
        state.result = result
        await self.on_result(uri, result)


def _lint(
    text: str, path: Path, resolver: ConfigResolver, parser: api.IncrementalParser
) -> list[Diagnostic]:
    if is_notebook(path.name):  # notebooks are linted by the command line only
        return []
    try:
        source = text.encode("utf-8", errors="surrogatepass")
        # Fix edits that need the whole module wait for a code action (see `fix_edits`).
        with collector_paused():
            result = api.lint_text(source, str(path), resolver, defer_fix_edits=True, parser=parser)
    except Exception as exc:
        raise LintFailed(f"{type(exc).__name__}: {exc}") from None
    if result.error:
        raise LintFailed(result.error)
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
