"""Linting on a Dask cluster (``--dask-scheduler ADDRESS`` or ``local``), for trees too
large for one machine.

The client reads every file itself, so the workers need no shared file system. Files
that cannot involve Dask (the byte pre-filter) and files that cannot be read are handled
on the client, exactly as a local run handles them; the others are grouped into tasks
of similar estimated work and sent with their contents. The resolved settings and the
project index are built once on the client and scattered to every worker. Tasks take
and return JSON text only (:mod:`dasklint.engine.run.dask_wire`); the client checks every
result's shape, and the results come back in the order of the jobs, so the report is
the one a local run prints.

What leaves this machine: the files' display names and contents, the resolved settings,
the project index (facts of the linted modules) and a fingerprint of dasklint's code.
No environment variable is read for or sent with the tasks. The client connects only to
the address given (never to Dask's ``scheduler-address`` setting; never to one from a
configuration file, see :mod:`dasklint.config.loader`), and ``local`` starts a cluster
on the loopback interface. TLS follows Dask's own configuration
(``distributed.comm.tls.*``, as ``dask scheduler`` and ``dask worker`` read it).

dask and distributed are an optional extra (``dasklint[dask]``); they are imported only
when a run asks for a cluster.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hashlib
import logging
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import dasklint
from dasklint import __version__
from dasklint.config.loader import check_dask_scheduler
from dasklint.config.settings import FileSettings
from dasklint.diagnostics import FileResult
from dasklint.engine.lint.linter import lint_source
from dasklint.engine.run import runner
from dasklint.engine.run.dask_probe import cannot_connect, probe
from dasklint.engine.run.dask_wire import (
    MalformedResult,
    Shared,
    decode_payload,
    decode_results,
    decode_shared,
    encode_payload,
    encode_results,
    encode_shared,
)
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


@functools.cache
def code_fingerprint() -> str:
    """A hash of dasklint's version, sources and data files (what a wheel installs):
    workers running other code (another release, an edited checkout) would print other
    findings, so they refuse to."""
    package = Path(dasklint.__file__).resolve().parent
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


@functools.lru_cache(maxsize=2)
def _shared(text: str) -> Shared:
    """The shared data, decoded once per worker (every task gets the same string)."""
    return decode_shared(text)


def lint_batch(shared: str, payload: str) -> str:
    """The task: lint each file of ``payload``; JSON text back, one item per file."""
    decoded = _shared(shared)
    if decoded.fingerprint != code_fingerprint():
        raise RuntimeError(
            f"this worker runs different dasklint code (version {__version__}) from the "
            "client's; install the same dasklint on the client and every worker"
        )
    results = [
        lint_bytes(source, display, decoded.settings[settings], decoded.index)
        for display, source, settings in decode_payload(payload)
    ]
    return encode_results(results)


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
        # The client logs a lost connection with a traceback; the run reports it in one
        # line (`dasklint failed`) instead.
        client_log = logging.getLogger("distributed.client")
        self._stack.callback(client_log.setLevel, client_log.level)
        client_log.setLevel(logging.CRITICAL)
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
                    # Its nannies' warnings (a slow worker killed at shutdown on a busy
                    # machine) are about dasklint's own cluster, not the user's code.
                    silence_logs=logging.ERROR,
                )
            except Exception as exc:
                raise DasklintError(f"cannot start a local Dask cluster: {exc}") from None
            self._stack.callback(cluster.close)
            client = distributed.Client(cluster, set_as_default=False)
            self._stack.callback(client.close)
            return client
        security = _security(self.address)
        connection_args = security.get_connection_args("client")
        probe(self.address, connection_args, CONNECT_TIMEOUT)
        try:
            client = distributed.Client(
                self.address, security=security, timeout=CONNECT_TIMEOUT, set_as_default=False
            )
        except Exception as exc:
            raise DasklintError(
                cannot_connect(self.address, f"{exc or type(exc).__name__}")
            ) from None
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
        # The distinct settings, by identity (`Settings.for_file` shares them).
        distinct: dict[int, int] = {}
        settings_list: list[FileSettings] = []
        for position, _ in remote:
            settings = jobs[position][2]
            if id(settings) not in distinct:
                distinct[id(settings)] = len(settings_list)
                settings_list.append(settings)
        shared = encode_shared(code_fingerprint(), settings_list, index)
        threads = sum(client.nthreads().values())
        plan = plan_batches([len(source) for _, source in remote], threads)
        try:
            from distributed import as_completed

            scattered = client.scatter(shared, broadcast=True, hash=False)
            futures = {}
            for batch in plan:
                members = [remote[i] for i in batch]
                payload = encode_payload(
                    [(jobs[p][1], source, distinct[id(jobs[p][2])]) for p, source in members]
                )
                future = client.submit(lint_batch, scattered, payload, pure=False)
                futures[future] = [p for p, _ in members]
            for future, returned in as_completed(futures, with_results=True, loop=client.loop):
                positions = futures.pop(future)
                if isinstance(returned, BaseException):  # how as_completed reports a cancel
                    raise returned
                names = [jobs[p][1] for p in positions]
                for position, result in zip(
                    positions, decode_results(returned, names), strict=True
                ):
                    results[position] = result
                yield from ready()
        except MalformedResult as exc:
            raise DasklintError(
                f"the Dask cluster at {self.address} returned a malformed result: {exc}; "
                "do its workers run the same dasklint, and are they trusted?"
            ) from None
        except (concurrent.futures.CancelledError, asyncio.CancelledError) as exc:
            # distributed's FutureCancelledError (an asyncio one in older releases)
            reason = getattr(exc, "reason", None) or "no reason given"
            raise DasklintError(
                f"linting on the Dask cluster at {self.address} failed: a task was cancelled "
                f"({reason}): its workers were lost (stopped, killed or restarted) with the "
                "data sent to them, or the connection to the scheduler was lost"
            ) from None
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
