"""Linting on a Dask cluster (`--dask-scheduler`): the report is byte for byte the one a
local run prints, only file contents and settings travel, and every way of failing to
connect ends with one clear line and exit status 2.

A real scheduler and two worker processes run on the loopback interface for the module.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import distributed
import pytest
from cli_support import LEGACY, assert_failed, codes, findings, run, write
from click.testing import Result
from conftest import ROOT

from dasklint.engine.run import dask_runner
from dasklint.engine.run.dask_runner import (
    MAX_TASK_SECONDS,
    MIN_TASK_SECONDS,
    estimate,
    plan_batches,
)

pytestmark = [pytest.mark.dask_runtime, pytest.mark.slow]

TIMEOUT = 120
CHECK = ["check", "--no-cache", "fixtures"]
# No dashboard, and the scheduler's HTTP server on a free port (no "8787 in use" warning).
QUIET: dict[str, Any] = {
    "dashboard_address": None,
    "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"},
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixtures, so that every run of the module lints the same bytes."""
    root = tmp_path_factory.mktemp("tree")
    shutil.copytree(ROOT / "fixtures", root / "fixtures")
    return root


def _dasklint(tree: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "dasklint", *args], cwd=tree, capture_output=True, timeout=TIMEOUT
    )


@pytest.fixture(scope="module")
def local_report(tree: Path) -> subprocess.CompletedProcess[bytes]:
    """The fixtures linted the usual way (worker processes on this machine, no cache)."""
    result = _dasklint(tree, *CHECK)
    assert result.returncode == 1, result.stderr  # the fixtures have findings
    return result


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A scheduler and two single-threaded worker processes on 127.0.0.1."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        **QUIET,
    ) as cluster:
        yield cluster.scheduler_address


Files = list[tuple[str, bytes, int]]  # display name, content, position of its settings


class Spy:
    """Records what the client hands to Dask: the scattered data and each task's files,
    all of it JSON text (plain data: no pickled dasklint object travels)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.scattered: list[Any] = []
        self.payloads: list[Files] = []
        scatter, submit = distributed.Client.scatter, distributed.Client.submit

        def spy_scatter(client: Any, data: Any, *args: Any, **kwargs: Any) -> Any:
            self.scattered.append(data)
            return scatter(client, data, *args, **kwargs)

        def spy_submit(client: Any, func: Any, *args: Any, **kwargs: Any) -> Any:
            assert func is dask_runner.lint_batch
            _, payload = args
            assert isinstance(payload, str), type(payload)
            files = json.loads(payload)
            self.payloads.append([(n, base64.b64decode(c, validate=True), s) for n, c, s in files])
            return submit(client, func, *args, **kwargs)

        monkeypatch.setattr(distributed.Client, "scatter", spy_scatter)
        monkeypatch.setattr(distributed.Client, "submit", spy_submit)


def test_cluster_report_is_the_local_report(
    scheduler: str,
    tree: Path,
    local_report: subprocess.CompletedProcess[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tree)
    secret = f"secret-{uuid.uuid4()}"
    monkeypatch.setenv("DASKLINT_TEST_SECRET", secret)
    spy = Spy(monkeypatch)
    result = run(*CHECK, "--dask-scheduler", scheduler)
    assert result.stderr == ""
    assert result.exit_code == local_report.returncode
    assert result.stdout_bytes == local_report.stdout

    # The project index and settings were scattered once, as JSON text; the tasks
    # carried the files' names and contents, read on the client, and nothing from the
    # environment.
    assert len(spy.scattered) == 1 and isinstance(spy.scattered[0], str)
    shared = json.loads(spy.scattered[0])
    assert secret not in spy.scattered[0]
    sent = [name for payload in spy.payloads for name, _, _ in payload]
    assert len(sent) == len(set(sent)) > 50
    for payload in spy.payloads:
        for name, content, settings in payload:
            assert secret.encode() not in content
            assert content == (tree / name).read_bytes()
            assert 0 <= settings < len(shared["settings"])
    # Several tasks, each with enough work (the last, with the smallest files, may have
    # half of the target); none of the worker processes saw the variable.
    work = [sum(estimate(len(content)) for _, content, _ in p) for p in spy.payloads]
    assert len(work) > 1
    assert all(seconds >= MIN_TASK_SECONDS for seconds in work[:-1])
    with distributed.Client(scheduler, set_as_default=False) as client:
        seen = client.run(os.getenv, "DASKLINT_TEST_SECRET")
    assert list(seen.values()) == [None, None]


def test_local_cluster_report_is_the_local_report(
    tree: Path, local_report: subprocess.CompletedProcess[bytes]
) -> None:
    result = _dasklint(tree, *CHECK, "--dask-scheduler", "local")
    assert result.stderr == b""
    assert result.returncode == local_report.returncode
    assert result.stdout == local_report.stdout


def test_environment_variable_and_cache(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`DASKLINT_DASK_SCHEDULER` as `--dask-scheduler`; with the cache, only changed files
    travel."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"job.py": LEGACY, "other.py": LEGACY.replace("total", "other")})
    monkeypatch.setenv("DASKLINT_DASK_SCHEDULER", scheduler)
    spy = Spy(monkeypatch)
    first = run("check", "--cache-dir", str(tmp_path / "cache"))
    assert first.exit_code == 1
    assert sorted({path for path, *_ in findings(first)}) == ["job.py", "other.py"]
    assert sorted(name for p in spy.payloads for name, _, _ in p) == ["job.py", "other.py"]
    (tmp_path / "other.py").write_text("import dask\n", encoding="utf-8")
    spy.payloads.clear()
    second = run("check", "--cache-dir", str(tmp_path / "cache"))
    assert sorted({path for path, *_ in findings(second)}) == ["job.py"]
    assert [name for p in spy.payloads for name, _, _ in p] == ["other.py"]


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.dasklint]\ndask-scheduler = "{}"\n', 5),
        ("dasklint.toml", 'select = ["DSK"]\ndask-scheduler = "{}"\n', 2),
        (".dasklint.toml", "dask-scheduler = 8786\n", 1),
    ],
    ids=["pyproject.toml", "dasklint.toml", ".dasklint.toml"],
)
def test_a_repository_config_never_chooses_where_source_goes(
    name: str, text: str, line: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key is ignored with a warning naming it and its file; the run stays local."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(dask_runner, "CONNECT_TIMEOUT", 1.0)
    # Were the key obeyed, the run would try this closed port and fail.
    write(tmp_path, {name: text.format(f"tcp://127.0.0.1:{_closed_port()}"), "job.py": LEGACY})
    result = run("check", "--no-cache")
    assert codes(result) == ["DSK101", "DSK105"], result.stderr
    assert result.exit_code == 1
    config = tmp_path.resolve() / name
    assert result.stderr.count("warning:") == 1, result.stderr
    assert f"`dask-scheduler` in {config}:{line} is ignored" in result.stderr
    assert "--dask-scheduler" in result.stderr and "DASKLINT_DASK_SCHEDULER" in result.stderr
    assert "dask_scheduler" not in run("check", "--show-settings").stdout
    forced = run("check", "--no-cache", "--config", name)
    assert codes(forced) == ["DSK101", "DSK105"] and "is ignored" in forced.stderr


# -- failures ------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_scheduler_fails_quickly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"job.py": LEGACY})
    monkeypatch.setattr(dask_runner, "CONNECT_TIMEOUT", 2.0)
    address = f"tcp://127.0.0.1:{_closed_port()}"
    start = time.monotonic()
    result = run("check", "--no-cache", "--dask-scheduler", address)
    assert time.monotonic() - start < 10
    assert_failed(result, f"cannot connect to the Dask scheduler at {address}", "after 2 s")
    assert result.stdout == ""


def test_scheduler_without_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"job.py": LEGACY})
    monkeypatch.setattr(dask_runner, "CONNECT_TIMEOUT", 1.0)
    with distributed.LocalCluster(
        n_workers=0, processes=False, protocol="tcp://", host="127.0.0.1", **QUIET
    ) as cluster:
        result = run("check", "--no-cache", "--dask-scheduler", cluster.scheduler_address)
    assert_failed(result, "has no workers")


def test_tls_address_without_certificates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"job.py": LEGACY})
    result = run("check", "--no-cache", "--dask-scheduler", f"tls://127.0.0.1:{_closed_port()}")
    assert_failed(result, "needs Dask's TLS settings", "distributed.comm.tls.ca-file")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the `openssl` command")
def test_tls_cluster_from_dask_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TLS settings come from Dask's configuration, as for `dask scheduler` and workers."""
    import dask
    from distributed.security import Security

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=dasklint-test", "-keyout", str(key),
         "-out", str(cert)],
        check=True, capture_output=True, timeout=TIMEOUT,
    )  # fmt: skip
    roles = {f"tls_{role}_{part}": str(cert if part == "cert" else key)
             for role in ("scheduler", "worker", "client") for part in ("cert", "key")}  # fmt: skip
    security = Security(require_encryption=True, tls_ca_file=str(cert), **roles)
    project = tmp_path / "project"
    write(project, {"job.py": LEGACY})
    monkeypatch.chdir(project)
    expected = run("check", "--no-cache")
    with distributed.LocalCluster(
        n_workers=1,
        processes=False,
        protocol="tls://",
        host="127.0.0.1",
        security=security,
        **QUIET,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://")
        spy = Spy(monkeypatch)
        client_tls = {
            "distributed.comm.tls.ca-file": str(cert),
            "distributed.comm.tls.client.cert": str(cert),
            "distributed.comm.tls.client.key": str(key),
        }
        with dask.config.set(client_tls):
            result = run("check", "--no-cache", "--dask-scheduler", address)
        plain = run("check", "--no-cache", "--dask-scheduler", address)
    assert result.stdout == expected.stdout and result.exit_code == expected.exit_code == 1
    assert [name for p in spy.payloads for name, _, _ in p] == ["job.py"]
    assert_failed(plain, "needs Dask's TLS settings")


def _encoded_findings() -> dict[str, Any]:
    """A well-formed result item: LEGACY's findings, as a task returns them."""
    from dasklint.config.settings import Settings
    from dasklint.engine.lint.linter import lint_source
    from dasklint.engine.run.encoding import encode_result

    settings = Settings(root=Path.cwd()).for_file(Path("job.py"))
    return {**encode_result(lint_source(LEGACY.encode(), "job.py", settings)), "error": None}


def _malformed_results() -> list[tuple[object, str]]:
    good = _encoded_findings()
    wrong_code = json.loads(json.dumps(good))
    wrong_code["diagnostics"][0]["code"] = 123
    extra = {**good, "run": "rm -rf /"}
    return [
        ([good], "expected JSON text, got list"),  # a Python object, not text
        ("cos\nsystem\n(S'id'\ntR.", "not JSON"),
        ("[]", "0 results for 1 file"),
        (json.dumps([wrong_code]), "`code` is 123, expected a string"),
        (json.dumps([extra]), "unexpected key 'run'"),
    ]


@pytest.fixture(scope="module")
def thread_scheduler() -> Iterator[str]:
    """A scheduler with one worker thread in this process, which runs the task function
    as patched here (it stands for a worker running hostile code)."""
    with distributed.LocalCluster(
        n_workers=1, processes=False, protocol="tcp://", host="127.0.0.1", **QUIET
    ) as cluster:
        yield cluster.scheduler_address


@pytest.mark.parametrize(("returned", "why"), _malformed_results())
def test_a_malformed_result_from_a_worker_is_refused(
    returned: object,
    why: str,
    thread_scheduler: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"job.py": LEGACY})
    monkeypatch.setattr(dask_runner, "lint_batch", lambda shared, payload: returned)
    result = run("check", "--no-cache", "--dask-scheduler", thread_scheduler)
    assert_failed(result, f"{thread_scheduler} returned a malformed result", why)
    assert result.stdout == ""


def test_settings_with_a_list_option_travel(
    thread_scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule option whose value is a list (DSK501's `gil-releasing`) reaches the worker."""
    monkeypatch.chdir(tmp_path)
    job = (ROOT / "fixtures" / "DSK501").glob("*.py")
    write(tmp_path, {f"job{i}.py": path.read_text(encoding="utf-8") for i, path in enumerate(job)})
    write(tmp_path, {"dasklint.toml": '[rules.DSK501]\ngil-releasing = ["numpy.linalg.solve"]\n'})
    expected = run("check", "--no-cache", "--select", "DSK501")
    assert expected.exit_code == 1
    result = run("check", "--no-cache", "--select", "DSK501", "--dask-scheduler", thread_scheduler)
    assert (result.stdout, result.stderr, result.exit_code) == (expected.stdout, "", 1)


def _bounded(invoke: Callable[[], Result]) -> Result:
    """``invoke()`` in a thread, so that a hang fails the test instead of stalling it."""
    results: list[Result] = []
    thread = threading.Thread(target=lambda: results.append(invoke()), daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "dasklint hung"
    return results[0]


class _AnswersAtOnce(socketserver.BaseRequestHandler):
    """Sends an HTTP response as soon as a connection opens (a proxy, a web server)."""

    def handle(self) -> None:
        self.request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        self.request.recv(65536)


@pytest.mark.parametrize(
    "server_class",
    [
        # A web server (a scheduler's dashboard port) waits for a request line.
        lambda: http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), http.server.BaseHTTPRequestHandler
        ),
        lambda: socketserver.ThreadingTCPServer(("127.0.0.1", 0), _AnswersAtOnce),
    ],
    ids=["http-server", "answers-at-once"],
)
def test_a_server_that_is_not_a_dask_scheduler(
    server_class: Callable[[], socketserver.TCPServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"job.py": LEGACY})
    monkeypatch.setattr(dask_runner, "CONNECT_TIMEOUT", 1.0)
    server = server_class()
    server.daemon_threads = True  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.server_address[1]}"
    try:
        result = _bounded(lambda: run("check", "--no-cache", "--dask-scheduler", address))
    finally:
        server.shutdown()
        server.server_close()
    assert_failed(result, f"{address} does not answer as a Dask scheduler")
    assert "EiB" not in result.stderr
    assert result.stdout == ""


def test_a_worker_address_is_not_a_scheduler(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"job.py": LEGACY})
    with distributed.Client(scheduler, set_as_default=False) as client:
        worker = next(iter(client.scheduler_info()["workers"]))
    result = run("check", "--no-cache", "--dask-scheduler", worker)
    assert_failed(result, f"{worker} does not answer as a Dask scheduler (it is a Dask Worker)")
    assert result.stderr.count("\n") == 2, result.stderr  # nothing after the cause


@contextlib.contextmanager
def _waiting_run(client: distributed.Client, tree: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A `dasklint check` on the client's cluster, once its tasks wait for the only worker
    thread (held until the end)."""
    hold = distributed.Event(client=client)
    blocker = client.submit(lambda name: distributed.Event(name).wait(), hold.name)
    process = subprocess.Popen(
        [sys.executable, "-m", "dasklint", *CHECK, "--dask-scheduler", client.scheduler.address],
        cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        while not client.run_on_scheduler(
            lambda dask_scheduler: any(
                str(key).startswith("lint_batch") for key in dask_scheduler.tasks
            )
        ):
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        with contextlib.suppress(Exception):  # the scheduler may be gone
            hold.set()
        del blocker


def _assert_one_line_failure(process: subprocess.Popen[bytes], *parts: str) -> None:
    _, stderr = process.communicate(timeout=TIMEOUT)
    message = stderr.decode()
    assert process.returncode == 2, message
    assert message.startswith("dasklint failed\n  Cause: "), message
    assert message.count("\n") == 2, message  # no traceback, no log lines
    for part in parts:
        assert part in message, message


def test_killing_every_worker_mid_run(tree: Path) -> None:
    """Workers killed (and restarted by their nanny) lose the data sent to them: the
    run fails with that cause, not with a TypeError."""
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", **QUIET
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
        _waiting_run(client, tree) as process,
    ):
        for pid in client.run(os.getpid).values():
            os.kill(pid, signal.SIGKILL)
        _assert_one_line_failure(process, "a task was cancelled", "its workers were lost")


def _wait_for_port(port: int) -> None:
    """Until a server listens on the loopback port (a scheduler starting up)."""
    for _ in range(600):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def test_losing_the_scheduler_mid_run(tree: Path) -> None:
    port = _closed_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", str(port), "--dashboard-address", "127.0.0.1:0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
         "--host", "127.0.0.1", "--no-dashboard"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for_port(port)
        # A short timeout: this client, too, loses its scheduler.
        with distributed.Client(address, set_as_default=False, timeout=5) as client:
            client.wait_for_workers(1, timeout=TIMEOUT)
            with _waiting_run(client, tree) as process:
                scheduler.kill()
                _assert_one_line_failure(process, "scheduler-connection-lost")
    finally:
        for child in (worker, scheduler):
            child.kill()
            child.wait()


def test_without_dask_installed_the_option_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    for name in ("dask", "distributed"):  # `import dask` now fails as if it were missing
        monkeypatch.setitem(sys.modules, name, None)
    result = run("check", "--no-cache", "--dask-scheduler", "local", "fixtures/DSK101")
    assert_failed(result, "pip install 'dasklint[dask]'")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("tcp://host", "expected `tcp://HOST:PORT`"),
        ("http://127.0.0.1:8786", "expected `tcp://HOST:PORT`"),
        ("127.0.0.1:8786", "expected `tcp://HOST:PORT`"),
        ("", "expected `tcp://HOST:PORT`"),
        ("tcp://127.0.0.1:99999", "port 99999 is not between 1 and 65535"),
        ("tcp://127.0.0.1:0", "port 0 is not between 1 and 65535"),
        ("tls://[::1]:65536", "port 65536 is not between 1 and 65535"),
    ],
)
def test_malformed_addresses_are_usage_errors(
    value: str, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"job.py": LEGACY})
    result = run("check", "--dask-scheduler", value)
    assert result.exit_code == 2
    assert "is not a Dask scheduler address" in result.stderr and why in result.stderr
    assert "Traceback" not in result.stderr
    if value:  # click reads an empty variable as unset
        monkeypatch.setenv("DASKLINT_DASK_SCHEDULER", value)
        from_environment = run("check")
        assert from_environment.exit_code == 2
        assert why in from_environment.stderr


# -- the parts ------------------------------------------------------------------------


def _shared_and_payload(fingerprint: str, files: Files) -> tuple[str, str]:
    from dasklint.config.settings import Settings
    from dasklint.engine.run import dask_wire

    settings = Settings(root=Path.cwd()).for_file(Path("job.py"))
    return (
        dask_wire.encode_shared(fingerprint, [settings], None),
        dask_wire.encode_payload(files),
    )


def test_a_worker_with_other_dasklint_code_refuses() -> None:
    shared, payload = _shared_and_payload("not-this-code", [])
    with pytest.raises(RuntimeError, match="install the same dasklint"):
        dask_runner.lint_batch(shared, payload)


def test_a_task_takes_and_returns_json_text() -> None:
    """Plain data both ways: the client decodes a task's result with `json.loads`."""
    from dasklint.engine.run import dask_wire

    files = [("job.py", LEGACY.encode(), 0), ("bad.py", b"import dask\n\xff = (", 0)]
    shared, payload = _shared_and_payload(dask_runner.code_fingerprint(), files)
    returned = dask_runner.lint_batch(shared, payload)
    assert isinstance(returned, str)
    items = json.loads(returned)
    assert [sorted(item) for item in items] == [["diagnostics", "error", "skipped"]] * 2
    job, bad = dask_wire.decode_results(returned, ["job.py", "bad.py"])
    assert [d.code for d in job.diagnostics] == ["DSK101", "DSK105"]
    assert job.diagnostics[0].filename == "job.py"
    assert [d.code for d in bad.diagnostics] == ["DSK002"]


@pytest.mark.parametrize("threads", [1, 2, 64])
def test_batches_hold_every_file_once_largest_first(threads: int) -> None:
    sizes = [400_000, 3_000, 150_000, 0, 80_000, *range(1_000, 60_000, 700)]
    batches = plan_batches(sizes, threads)
    assert sorted(i for batch in batches for i in batch) == list(range(len(sizes)))
    order = [sizes[i] for batch in batches for i in batch]
    assert order == sorted(sizes, reverse=True)
    work = [sum(estimate(sizes[i]) for i in batch) for batch in batches]
    assert all(seconds >= MIN_TASK_SECONDS for seconds in work[:-1])
    assert len(batches) == 1 or work[-1] >= MIN_TASK_SECONDS / 2
    if threads == 1:  # much work per thread: tasks of the maximum size
        assert all(seconds >= MAX_TASK_SECONDS for seconds in work[:-1])
    if threads == 64:  # little work per thread: each file with more than the minimum alone
        assert batches[:3] == [[0], [2], [4]]


def test_little_work_is_one_task() -> None:
    assert plan_batches([100, 200, 300], threads=8) == [[2, 1, 0]]
    assert plan_batches([], threads=8) == []
