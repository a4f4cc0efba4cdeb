"""Linting on a Dask cluster (``--dask-scheduler ADDRESS`` or ``local``), for trees too
large for one machine.

The client reads every file itself, so the workers need no shared file system. Files
that cannot involve Dask (the byte pre-filter) and files that cannot be read are handled
on the client, exactly as a local run handles them; the others are grouped into tasks
of similar estimated work and sent with their contents. The resolved settings and the
project index are built once on the client and scattered to every worker. A task
returns plain data (the cache's JSON encoding of each file's findings), and the results
come back in the order of the jobs, so the report is the one a local run prints.

What leaves this machine: the files' display names and contents, the resolved settings,
the project index (facts of the linted modules) and a fingerprint of dasklint's code.
No environment variable is read for or sent with the tasks. The client connects only to
the address given (never to Dask's ``scheduler-address`` setting), and ``local`` starts
a cluster on the loopback interface. TLS follows Dask's own configuration
(``distributed.comm.tls.*``, as ``dask scheduler`` and ``dask worker`` read it).

dask and distributed are an optional extra (``dasklint[dask]``); they are imported only
when a run asks for a cluster.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from dasklint import __version__
from dasklint.config.loader import check_dask_scheduler
from dasklint.config.settings import FileSettings
from dasklint.diagnostics import FileResult
from dasklint.engine import runner
from dasklint.engine.cache import decode_result, encode_result
from dasklint.engine.linter import lint_source
from dasklint.errors import DasklintError
from dasklint.prefilter import may_use_dask
from dasklint.semantic.project import ProjectIndex
from dasklint.sourcefiles import content_hash

if TYPE_CHECKING:
    from distributed import Client

LOCAL = "local"  # start a LocalCluster on the loopback interface for the run
INSTALL = "pip install 'dasklint[dask]'"

# Connecting to the scheduler, and waiting for it to have a worker, gives up after this.
CONNECT_TIMEOUT = 10.0

# The cost model for batching, from `benchmarks/lint_throughput.py` (default rules, every
# second file of the installed dask + distributed sources that passes the pre-filter: 239
# files, 4.5 MB, in one process on a shared 2-core VM): a least-squares fit of
# 7.8 ms per file + 6.8 s per MB, that is about 147 KB of source per second.
SECONDS_PER_FILE = 0.008
BYTES_PER_SECOND = 150_000
# Dask's guidance is that a task should do well over 100 ms of work (each costs about 1 ms
# of scheduling, plus moving its data); tasks here aim at 0.5 to 5 s, and at about four
# tasks per worker thread in between, so that no worker is left with a long tail.
MIN_TASK_SECONDS = 0.5
MAX_TASK_SECONDS = 5.0
TASKS_PER_THREAD = 4

Job = runner.Job


# --- the work a task does (on a worker) ---------------------------------------------


@dataclass(frozen=True)
class Shared:
    """What every task needs besides its files; scattered to each worker once."""

    fingerprint: str  # of the client's dasklint code: a worker must run the same
    settings: tuple[FileSettings, ...]  # the distinct settings; a file names one by position
    index: ProjectIndex | None


Payload = list[tuple[str, bytes, int]]  # display name, content, position in Shared.settings


@functools.cache
def code_fingerprint() -> str:
    """A hash of dasklint's version, sources and data files (what a wheel installs):
    workers running other code (another release, an edited checkout) would print other
    findings, so they refuse to."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(package.rglob("*")):
        skip = "__pycache__" in path.parts or not path.is_file()
        if skip or path.suffix not in (".py", ".json"):
            continue
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def lint_bytes(
    source: bytes, display: str, settings: FileSettings, index: ProjectIndex | None
) -> FileResult:
    """Lint one file's contents; a bug in a rule becomes the file's error, as locally."""
    try:
        return lint_source(source, display, settings, index)
    except Exception as exc:
        return FileResult(display, error=f"{type(exc).__name__}: {exc}")


def lint_batch(shared: Shared, payload: Payload) -> list[dict[str, Any]]:
    """The task: lint each file of ``payload``; plain data back, one item per file."""
    if shared.fingerprint != code_fingerprint():
        raise RuntimeError(
            f"this worker runs different dasklint code (version {__version__}) from the "
            "client's; install the same dasklint on the client and every worker"
        )
    out = []
    for display, source, settings in payload:
        result = lint_bytes(source, display, shared.settings[settings], shared.index)
        out.append({**encode_result(result), "error": result.error})
    return out


def decode(data: dict[str, Any], display: str) -> FileResult:
    """A task's item as a :class:`FileResult` named by the client (not by the worker)."""
    result = decode_result(data, display)
    error = data.get("error")
    result.error = None if error is None else str(error)
    return result


# --- batching -----------------------------------------------------------------------


def estimate(size: int) -> float:
    """Estimated seconds to lint a file of ``size`` bytes (see BYTES_PER_SECOND)."""
    return SECONDS_PER_FILE + size / BYTES_PER_SECOND


def plan_batches(sizes: list[int], threads: int) -> list[list[int]]:
    """Group files (positions in ``sizes``) into tasks: largest files first, each task
    filled up to a target of estimated work. Every task but the last reaches the target
    (at least MIN_TASK_SECONDS); the last, holding the smallest files, is merged into the
    one before when it has less than half of it."""
    costs = [estimate(size) for size in sizes]
    share = sum(costs) / (max(1, threads) * TASKS_PER_THREAD)
    target = min(MAX_TASK_SECONDS, max(MIN_TASK_SECONDS, share))
    batches: list[list[int]] = []
    current: list[int] = []
    load = 0.0
    for position in sorted(range(len(sizes)), key=lambda i: -costs[i]):
        current.append(position)
        load += costs[position]
        if load >= target:
            batches.append(current)
            current, load = [], 0.0
    if current:
        if batches and load < target / 2:
            batches[-1].extend(current)
        else:
            batches.append(current)
    return batches


# --- the client ---------------------------------------------------------------------


class DaskRunner:
    """A connection to a Dask cluster for one run; ``with DaskRunner(address) as r:``
    connects (or starts ``local``), ``r.run(jobs, index)`` lints, leaving closes."""

    def __init__(self, address: str, workers: int | None = None) -> None:
        try:
            self.address = check_dask_scheduler(address)
        except ValueError as exc:
            raise DasklintError(str(exc)) from None
        self.workers = workers
        self._stack = ExitStack()
        self._client: Client | None = None

    def __enter__(self) -> DaskRunner:
        try:
            self._client = self._connect()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._client = None
        self._stack.close()

    def _connect(self) -> Client:
        try:
            import dask
            import distributed
        except ImportError as exc:
            raise DasklintError(
                f"`--dask-scheduler` needs dask and distributed ({exc}); install them with "
                f"`{INSTALL}`, and the same dasklint on every worker"
            ) from None
        # Dask can ship the source of the calling frames with each computation
        # (`distributed.diagnostics.computations.nframes`); dasklint sends none.
        self._stack.enter_context(
            dask.config.set({"distributed.diagnostics.computations.nframes": 0})
        )
        if self.address == LOCAL:
            try:
                cluster = distributed.LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,  # linting is pure Python: one process per core
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    # The scheduler's HTTP server (health, metrics) starts even without the
                    # dashboard: on a free port, not on 8787 (Dask warns when it is taken).
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                )
            except Exception as exc:
                raise DasklintError(f"cannot start a local Dask cluster: {exc}") from None
            self._stack.callback(cluster.close)
            client = distributed.Client(cluster, set_as_default=False)
            self._stack.callback(client.close)
            return client
        security = _security(self.address)
        # A failed `Client(...)` leaves an object whose finaliser blocks and prints a
        # traceback; a plain connection first turns the common failures into one line.
        try:
            asyncio.run(_probe(self.address, security.get_connection_args("client")))
        except Exception as exc:
            raise DasklintError(_cannot_connect(self.address, exc)) from None
        try:
            client = distributed.Client(
                self.address, security=security, timeout=CONNECT_TIMEOUT, set_as_default=False
            )
        except Exception as exc:
            raise DasklintError(_cannot_connect(self.address, exc)) from None
        self._stack.callback(client.close)
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (TimeoutError, asyncio.TimeoutError, OSError):  # distinct before 3.11
            raise DasklintError(
                f"the Dask scheduler at {self.address} has no workers "
                f"(waited {CONNECT_TIMEOUT:g} s)"
            ) from None
        return client

    def run(self, jobs: list[Job], index: ProjectIndex | None = None) -> Iterator[FileResult]:
        """Lint every job on the cluster; results in the order of ``jobs``."""
        client = self._client
        if client is None:
            raise RuntimeError("DaskRunner.run outside its `with` block")
        results: list[FileResult | None] = [None] * len(jobs)
        hashes: list[str | None] = [None] * len(jobs)  # of the bytes sent (for the cache)
        remote: list[tuple[int, bytes]] = []
        for position, (path, display, settings) in enumerate(jobs):
            try:
                source = path.read_bytes()
            except OSError:  # reported (DSK002) as the local runner reports it
                results[position] = runner.lint_file(path, display, settings, index)
                continue
            hashes[position] = content_hash(source)
            if may_use_dask(source):
                remote.append((position, source))
            else:  # skipped without parsing: cheaper here than shipping the bytes
                results[position] = lint_bytes(source, display, settings, index)
        done = 0

        def ready() -> Iterator[FileResult]:
            nonlocal done
            while done < len(results) and (result := results[done]) is not None:
                if result.source_hash is None:
                    result.source_hash = hashes[done]
                done += 1
                yield result

        yield from ready()
        if not remote:
            return
        distinct: dict[FileSettings, int] = {}
        for position, _ in remote:
            distinct.setdefault(jobs[position][2], len(distinct))
        shared = Shared(code_fingerprint(), tuple(distinct), index)
        threads = sum(client.nthreads().values())
        plan = plan_batches([len(source) for _, source in remote], threads)
        try:
            from distributed import as_completed

            scattered = client.scatter(shared, broadcast=True, hash=False)
            futures = {}
            for batch in plan:
                members = [remote[i] for i in batch]
                payload: Payload = [
                    (jobs[p][1], source, distinct[jobs[p][2]]) for p, source in members
                ]
                future = client.submit(lint_batch, scattered, payload, pure=False)
                futures[future] = [p for p, _ in members]
            for future, items in as_completed(futures, with_results=True, loop=client.loop):
                for position, data in zip(futures.pop(future), items, strict=True):
                    results[position] = decode(data, jobs[position][1])
                yield from ready()
        except Exception as exc:
            cause = f"{type(exc).__name__}: {exc}"
            if "No module named" in cause:  # a worker could not load the task's code
                cause += f"; install dasklint {__version__} on every worker"
            raise DasklintError(
                f"linting on the Dask cluster at {self.address} failed: {cause}"
            ) from None


def _security(address: str) -> Any:
    """Dask's ``Security`` from its configuration; for ``tls://`` it must hold a CA and a
    client certificate (else the connection would fail with an obscure error)."""
    from distributed.security import Security

    try:
        security = Security()
        context = security.get_connection_args("client")["ssl_context"]
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        raise DasklintError(f"cannot load Dask's TLS settings: {exc}") from None
    if address.startswith("tls://") and context is None:
        raise DasklintError(
            f"connecting to {address} needs Dask's TLS settings: set "
            "`distributed.comm.tls.ca-file`, `distributed.comm.tls.client.cert` and "
            "`distributed.comm.tls.client.key` in the Dask configuration (a YAML file in "
            "~/.config/dask/ or the DASK_DISTRIBUTED__COMM__TLS__CA_FILE, "
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT and "
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY environment variables)"
        )
    return security


async def _probe(address: str, connection_args: dict[str, Any]) -> None:
    from distributed.comm.core import connect

    comm = await connect(address, timeout=CONNECT_TIMEOUT, **connection_args)
    await comm.close()


def _cannot_connect(address: str, exc: Exception) -> str:
    return f"cannot connect to the Dask scheduler at {address}: {exc or type(exc).__name__}"
