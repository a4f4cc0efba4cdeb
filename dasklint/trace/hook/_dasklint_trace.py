"""The instrumentation that runs inside the traced program (as module ``_dasklint_trace``).

It uses only the standard library and Dask's own hooks, and lies next to the
``sitecustomize`` that starts it in the folder the runner puts on ``PYTHONPATH``, so that
the program, the worker processes it starts and its distributed scheduler can all import
it:

* local schedulers (threads, processes, sync): a global :class:`dask.callbacks.Callback`
  records each computation (scheduler, pool size, graph, the program's call stack) and
  wraps each task of the graph dask is about to run in :class:`Timed`, which notes where
  and when the task ran (process, thread, wall and CPU time) and returns its result
  unchanged;
* ``distributed``: a scheduler preload registers a scheduler plugin that records each
  graph the scheduler receives and each task a worker finished, and a worker preload
  notes the CPU time of the thread that ran each task (from distributed's own
  ``thread-cpu`` metric), joined to the scheduler's record of the run by key and start;
* ``dask.delayed``: each task a ``delayed`` call creates is noted with the line of the
  program that made the call, so that a computation's tasks can be traced to the lines
  that created them.

Records are JSON lines appended to files of the folder named by ``DASKLINT_TRACE_DIR``,
one file per process, flushed as they are written, so that a crash loses nothing already
recorded. Nothing is written anywhere else.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import sys
import sysconfig
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from types import FrameType, TracebackType
from typing import IO, Any

DIR_ENV = "DASKLINT_TRACE_DIR"
PRELOAD = "_dasklint_trace"
# Graphs larger than this are recorded by size only: their dependency lists would cost the
# program more than the evidence is worth.
MAX_GRAPH_DETAIL = 200_000
# Concrete task arguments smaller than this are not listed (their bytes still count).
MIN_ARGUMENT = 1024
# Tasks whose creation line is kept, per process (a key and its line cost about 200
# bytes): later tasks are recorded without it.
MAX_CREATED = 200_000
# Frames of these folders are Dask's, the interpreter's or an installed package's, not the
# program's own lines (Dask's and distributed's own folders are added when they load).
_library_dirs = sorted(
    {
        os.path.realpath(p)
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_paths().get(key))
    }
    | {os.path.dirname(os.path.realpath(__file__))}
)

_lock = threading.Lock()
_files: dict[int, IO[str]] = {}
_ids = itertools.count()
# Task runs of computations this process schedules itself (threads, sync): kept in
# memory until the computation finishes, then written with it.
_runs: dict[str, list[list[Any]]] = {}
_user_files: set[str] = set()
_script: str | None = None  # the script the interpreter was started with
# A code object's file name -> its real path when it is a file of the program, else None.
_program_files: dict[str, str | None] = {}
# Task key -> ``(real path, line)`` of the program's call that created it, one tuple per line.
_created: dict[Any, tuple[str, int]] = {}
_sites: dict[tuple[str, int], tuple[str, int]] = {}


def _out() -> IO[str] | None:
    folder = os.environ.get(DIR_ENV)
    if not folder:
        return None
    pid = os.getpid()
    out = _files.get(pid)
    if out is None:
        out = open(os.path.join(folder, f"trace-{pid}.jsonl"), "a", encoding="utf-8")  # noqa: SIM115
        _files[pid] = out
    return out


def emit(record: dict[str, Any]) -> None:
    """Append one record to this process's file, flushed at once."""
    line = json.dumps(record, default=str) + "\n"
    with _lock:
        out = _out()
        if out is not None:
            out.write(line)
            out.flush()


_real_folders: dict[str, str] = {}


def real_path(filename: str) -> str:
    """``os.path.realpath(filename)``, with the real path of each folder resolved once:
    the program's exit looks at the file of every module it imported (hundreds, in a few
    dozen folders), and resolving each path afresh costs a system call per component."""
    folder, name = os.path.split(filename)
    if not os.path.isabs(folder):  # relative to a working directory that may change
        return os.path.realpath(filename)
    real_folder = _real_folders.get(folder)
    if real_folder is None:
        real_folder = _real_folders[folder] = os.path.realpath(folder)
    path = os.path.join(real_folder, name)
    return os.path.realpath(path) if not name or os.path.islink(path) else path


def is_user_file(filename: str) -> bool:
    """A file of the program (not the interpreter's, Dask's or an installed package's)."""
    if not filename or filename.startswith("<"):
        return False
    real = real_path(filename)
    return not any(real == d or real.startswith(d + os.sep) for d in _library_dirs)


def add_library(module: Any) -> None:
    """Count the folder of a package (Dask, distributed) as library code, wherever it is
    installed (a development checkout is not under site-packages)."""
    filename = getattr(module, "__file__", None)
    if isinstance(filename, str):
        folder = os.path.dirname(os.path.realpath(filename))
        if folder not in _library_dirs:
            _library_dirs.append(folder)
            _program_files.clear()


def program_file(filename: str) -> str | None:
    """The real path of ``filename`` when it is a file of the program (cached)."""
    found = _program_files.get(filename, "")
    if found != "":
        return found
    path = real_path(filename) if is_user_file(filename) else None
    _program_files[filename] = path
    return path


def creation_site(frame: FrameType | None) -> tuple[str, int] | None:
    """The first of the program's own lines from ``frame`` outwards, as one shared tuple
    per line."""
    while frame is not None:
        path = program_file(frame.f_code.co_filename)
        if path is not None:
            site = (path, frame.f_lineno)
            return _sites.setdefault(site, site)
        frame = frame.f_back
    return None


def note_creations(call_function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``dask.delayed.call_function`` (which every call of a ``delayed`` function,
    method or operator goes through to make its task) to note the program's line that
    made each task. The task is made exactly as before."""

    def created(*args: Any, **kwargs: Any) -> Any:
        made = call_function(*args, **kwargs)
        if len(_created) < MAX_CREATED:
            site = creation_site(sys._getframe(1))
            key = getattr(made, "key", None)
            if site is not None and key is not None:
                _created[key] = site
        return made

    created.__wrapped__ = call_function  # type: ignore[attr-defined]
    created.dasklint_trace = True  # type: ignore[attr-defined]
    return created


def hook_delayed() -> None:
    """Note the creation line of tasks made with ``dask.delayed``."""
    module = sys.modules.get("dask.delayed")
    original = getattr(module, "call_function", None)
    if module is None or original is None or getattr(original, "dasklint_trace", False):
        return
    module.call_function = note_creations(original)  # type: ignore[attr-defined]


def user_stack(frame: FrameType | None, limit: int = 20) -> list[list[Any]]:
    """``[filename, line]`` of the program's frames from ``frame`` outwards."""
    stack: list[list[Any]] = []
    while frame is not None and len(stack) < limit:
        path = program_file(frame.f_code.co_filename)
        if path is not None:
            _user_files.add(path)
            stack.append([path, frame.f_lineno])
        frame = frame.f_back
    return stack


class Timed:
    """A task of a local scheduler's graph, timed where it runs (pickled by reference)."""

    __slots__ = ("computation", "node", "owner")

    def __init__(self, node: Any, computation: str, owner: int) -> None:
        self.node = node
        self.computation = computation
        self.owner = owner

    def __call__(self, data: Any) -> Any:
        started = time.time()
        clock = time.perf_counter()
        cpu = time.thread_time()
        try:
            return self.node(data)
        except BaseException as exc:
            # The program's traceback shows its own frames, not this wrapper's (the bare
            # ``raise`` keeps the trimmed traceback on Python 3.11 and later).
            if exc.__traceback__ is not None:
                exc.__traceback__ = exc.__traceback__.tb_next
            raise
        finally:
            cpu = time.thread_time() - cpu
            seconds = time.perf_counter() - clock
            run = [
                str(self.node.key),
                os.getpid(),
                threading.get_ident(),
                started,
                started + seconds,
                cpu,
            ]
            if os.getpid() == self.owner:
                _runs.setdefault(self.computation, []).append(run)
            else:
                emit({"kind": "runs", "computation": self.computation, "runs": [run]})

    def __getattr__(self, name: str) -> Any:
        # Other callbacks (a Profiler, a progress bar) see the task dask would have run.
        if name in Timed.__slots__:
            raise AttributeError(name)
        return getattr(self.node, name)

    def __reduce__(self) -> tuple[type[Timed], tuple[Any, str, int]]:
        return (Timed, (self.node, self.computation, self.owner))


def _scheduler(frame: FrameType | None) -> tuple[str, int | None, int | None]:
    """The local scheduler and its pool size and batch size, from ``get_async``'s frame."""
    if frame is None or frame.f_code.co_name != "get_async":
        return "local", None, None
    names = frame.f_locals
    get_id = getattr(names.get("get_id"), "__name__", "")
    scheduler = {
        "_process_get_id": "processes",
        "_thread_get_id": "threads",
        "default_get_id": "sync",
    }.get(get_id, "local")
    workers, chunksize = names.get("num_workers"), names.get("chunksize")
    return (
        scheduler,
        workers if isinstance(workers, int) else None,
        chunksize if isinstance(chunksize, int) else None,
    )


_functions: dict[int, list[Any]] = {}


def function_info(func: Any) -> list[Any]:
    """``[name, file, first line]`` of a task's function (file and line when known)."""
    found = _functions.get(id(func))
    if found is not None:
        return found
    from dask.utils import funcname

    inner = func
    while hasattr(inner, "func") and not hasattr(inner, "__code__"):
        inner = inner.func
    code = getattr(inner, "__code__", None)
    filename = code.co_filename if code is not None else None
    info = [
        funcname(func),
        real_path(filename) if filename and is_user_file(filename) else None,
        code.co_firstlineno if code is not None else None,
    ]
    _functions[id(func)] = info
    return info


_SCALARS = (int, float, complex, bool, type(None))


def argument_record(nodes: Iterable[Any]) -> dict[str, Any]:
    """The concrete values the tasks carry as arguments (not results of other tasks), as
    :func:`dask.sizeof.sizeof` measures them: their bytes summed over the tasks (what is
    pickled and shipped with the tasks to other processes), and ``[bytes, tasks, type]``
    for each value of at least ``MIN_ARGUMENT`` bytes, the same object counted once per
    task that carries it. Values inside Dask's own containers are not counted."""
    from dask._task_spec import GraphNode, Task
    from dask.sizeof import sizeof

    values: dict[int, list[Any]] = {}
    total = 0
    for node in nodes:
        if not isinstance(node, Task):
            continue
        for value in (*node.args, *node.kwargs.values()):
            if isinstance(value, (*_SCALARS, GraphNode)):
                continue
            found = values.get(id(value))
            if found is None:
                found = values[id(value)] = [int(sizeof(value)), 0, type(value).__name__, value]
            found[1] += 1
            total += found[0]
    large = sorted(
        ([size, tasks, kind] for size, tasks, kind, _ in values.values() if size >= MIN_ARGUMENT),
        key=lambda item: -item[0] * item[1],
    )
    return {"argument_bytes": total, "arguments": large[:20]}


def graph_record(dsk: dict[Any, Any], dependencies: Mapping[Any, Iterable[Any]]) -> dict[str, Any]:
    """Every task's function and dependencies (by index into ``functions``), the keys
    fused into a task (a subgraph run as one task keeps its own keys), and the concrete
    values the tasks carry as arguments."""
    from dask._task_spec import Task
    from dask.utils import key_split

    functions: list[list[Any]] = []
    index: dict[tuple[Any, ...], int] = {}
    tasks: dict[str, list[Any]] = {}
    fused: dict[str, list[str]] = {}
    sites: dict[tuple[str, int], int] = {}
    created: dict[str, int] = {}
    detail = len(dsk) <= MAX_GRAPH_DETAIL
    for key, node in dsk.items():
        if isinstance(node, Timed):
            node = node.node
        inner: Any = None
        if isinstance(node, Task):
            info = function_info(node.func)
            if info[0] == "_execute_subgraph":
                info = [key_split(key), None, None]
                inner = node.args[0] if node.args else None
                if detail and isinstance(inner, dict):
                    fused[str(key)] = [str(k) for k in inner if k != key]
        else:
            info = ["(data)", None, None]
        if detail and _created:
            site = _created.get(key)
            if site is None and isinstance(inner, dict):
                site = next((s for k in inner if (s := _created.get(k)) is not None), None)
            if site is not None:
                created[str(key)] = sites.setdefault(site, len(sites))
        slot = index.setdefault(tuple(info), len(functions))
        if slot == len(functions):
            functions.append(info)
        deps = [str(d) for d in dependencies.get(key, ())] if detail else []
        tasks[str(key)] = [slot, key_split(key), deps]
    nodes = (node.node if isinstance(node, Timed) else node for node in dsk.values())
    return {
        "functions": functions,
        "tasks": tasks,
        "fused": fused,
        "detail": detail,
        "sites": [list(site) for site in sites],
        "created": created,
        **argument_record(nodes),
    }


class _Computations:
    """The callback's bookkeeping: one open computation per graph being run."""

    def __init__(self) -> None:
        self.open: dict[int, dict[str, Any]] = {}

    def start(self, dsk: dict[Any, Any]) -> None:
        caller = sys._getframe(1)  # dask.local.get_async
        scheduler, workers, chunksize = _scheduler(caller)
        self.open[id(dsk)] = {
            "kind": "computation",
            "id": f"{os.getpid()}-{next(_ids)}",
            "pid": os.getpid(),
            "thread": threading.get_ident(),
            "scheduler": scheduler,
            "workers": workers,
            "chunksize": chunksize,
            "start": time.time(),
            "stack": user_stack(caller),
        }

    def start_state(self, dsk: dict[Any, Any], state: dict[str, Any]) -> None:
        from dask._task_spec import Task

        record = self.open.get(id(dsk))
        if record is None:
            return
        record.update(graph_record(dsk, state.get("dependencies", {})))
        record["graph_size"] = len(dsk)
        computation, owner = record["id"], os.getpid()
        for key, node in dsk.items():
            if isinstance(node, Task):
                dsk[key] = Timed(node, computation, owner)

    def finish(self, dsk: dict[Any, Any], state: dict[str, Any], failed: bool) -> None:
        record = self.open.pop(id(dsk), None)
        if record is None:
            return
        record["end"] = time.time()
        record["failed"] = bool(failed)
        record["runs"] = _runs.pop(record["id"], [])
        record.setdefault("graph_size", len(dsk))
        emit(record)


def register_callback() -> None:
    """Register the global callback that records local-scheduler computations."""
    from dask.callbacks import Callback

    computations = _Computations()
    Callback(  # type: ignore[no-untyped-call]
        start=computations.start,
        start_state=computations.start_state,
        finish=computations.finish,
    ).register()


def add_preloads() -> None:
    """Have every ``distributed`` scheduler and worker this program starts load this
    module (a nanny hands its worker process the configuration)."""
    import dask

    for option in ("distributed.scheduler.preload", "distributed.worker.preload"):
        preload = list(dask.config.get(option, None) or [])
        if PRELOAD not in preload:
            dask.config.set({option: [*preload, PRELOAD]})


def waiting_client_stack() -> list[list[Any]]:
    """The program's frames of a thread of this process that waits in a ``distributed``
    client call (a scheduler of a ``LocalCluster`` runs in the program's process, while
    the program's thread waits for the graph it submitted)."""
    me = threading.get_ident()
    client = os.path.join("distributed", "client.py")
    for ident, frame in sys._current_frames().items():
        if ident == me:
            continue
        inner: FrameType | None = frame
        while inner is not None and not inner.f_code.co_filename.endswith(client):
            inner = inner.f_back
        if inner is not None and (stack := user_stack(frame)):
            return stack
    return []


def time_tasks(worker: Any) -> None:
    """Note the CPU time of each task this worker runs: distributed meters the thread
    time of the task's call as ``thread-cpu``, reported to the callbacks of the context
    the task runs in. Tasks run exactly as before."""
    from distributed.metrics import context_meter

    execute = worker.execute

    async def timed(key: Any, *, stimulus_id: str) -> Any:
        cpu: list[float] = []

        def note(label: Any, value: float, unit: str) -> None:
            if label == "thread-cpu" and unit == "seconds":
                cpu.append(value)

        with context_meter.add_callback(note):
            event = await execute(key, stimulus_id=stimulus_id)
        start = getattr(event, "start", None)
        if cpu and isinstance(start, float):
            emit({"kind": "task-cpu", "runs": [[str(key), start, sum(cpu)]]})
        return event

    worker.execute = timed


def dask_setup(server: Any) -> None:
    """The preload's entry point: time a worker's tasks, record what a scheduler runs."""
    from distributed import Worker

    add_library(sys.modules.get("distributed"))
    if isinstance(server, Worker):
        time_tasks(server)
    else:
        record_scheduler(server)


def record_scheduler(scheduler: Any) -> None:
    """Record each graph this scheduler receives and each task run it is told of."""
    from distributed.diagnostics.plugin import SchedulerPlugin

    class Recorder(SchedulerPlugin):
        name = "dasklint-trace"

        def __init__(self) -> None:
            self.owner: dict[Any, str] = {}

        def update_graph(self, scheduler: Any, *, tasks: list[Any], **kwargs: Any) -> None:
            computation = f"{os.getpid()}-d{next(_ids)}"
            stack: list[list[Any]] = []
            if scheduler.computations:
                for code in scheduler.computations[-1].code:
                    for source in code:
                        if is_user_file(source.filename):
                            path = os.path.realpath(source.filename)
                            _user_files.add(path)
                            stack.append([path, source.lineno_frame])
            stack = stack or waiting_client_stack()
            dsk: dict[Any, Any] = {}
            dependencies: dict[Any, list[Any]] = {}
            for key in tasks:
                ts = scheduler.tasks.get(key)
                if ts is None:
                    continue
                self.owner[key] = computation
                dsk[key] = ts.run_spec
                dependencies[key] = [d.key for d in ts.dependencies]
            record = {
                "kind": "computation",
                "id": computation,
                "pid": os.getpid(),
                "scheduler": "distributed",
                "workers": len(scheduler.workers),
                "chunksize": None,
                "start": time.time(),
                "stack": stack,
                "graph_size": len(dsk),
                "failed": False,
                "runs": [],
            }
            record.update(graph_record(dsk, dependencies))
            emit(record)

        def transition(self, key: Any, start: str, finish: str, *args: Any, **kw: Any) -> None:
            if start != "processing" or finish not in ("memory", "erred"):
                return
            computes = [s for s in kw.get("startstops") or () if s.get("action") == "compute"]
            worker = scheduler.workers.get(kw.get("worker"))
            pid = getattr(worker, "pid", None)
            runs = [
                [str(key), pid, kw.get("thread"), s["start"], s["stop"], None] for s in computes
            ]
            if runs:
                emit({"kind": "runs", "computation": self.owner.get(key), "runs": runs})
            if finish == "erred":
                emit({"kind": "erred", "computation": self.owner.get(key), "key": str(key)})

    scheduler.add_plugin(Recorder())


def _note_crash(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    emit(
        {
            "kind": "crash",
            "pid": os.getpid(),
            "traceback": "".join(traceback.format_exception(kind, value, tb)),
        }
    )


def _main_file() -> str | None:
    """The file the program runs: its script (``sys.argv[0]`` when this module starts,
    before the program can change it) or the module ``-m`` ran. The interpreter removes
    ``__main__.__file__`` when the script ends, before exit handlers run."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    origin = getattr(spec, "origin", None)
    return origin if isinstance(origin, str) else _script


def _note_exit() -> None:
    main = _main_file()
    if main is not None and is_user_file(main):
        _user_files.add(real_path(main))
    for module in list(sys.modules.values()):
        filename = getattr(module, "__file__", None)
        if isinstance(filename, str) and is_user_file(filename):
            _user_files.add(real_path(filename))
    emit({"kind": "exit", "pid": os.getpid(), "files": sorted(_user_files)})


def install() -> None:
    """Start recording in this process: note it, catch its crash, and hook Dask when the
    program imports it (not before: the program's imports stay as they were)."""
    global _script
    if sys.argv and os.path.isfile(sys.argv[0]):
        _script = os.path.abspath(sys.argv[0])
    emit({"kind": "process", "pid": os.getpid(), "ppid": os.getppid(), "argv": sys.argv})
    previous: Callable[..., Any] = sys.excepthook

    def excepthook(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        _note_crash(kind, value, tb)
        previous(kind, value, tb)

    sys.excepthook = excepthook
    atexit.register(_note_exit)
    if "dask" in sys.modules:
        _on_dask()
    else:
        sys.meta_path.insert(0, _AfterDask())


def _on_dask() -> None:
    add_library(sys.modules.get("dask"))
    register_callback()
    add_preloads()
    hook_delayed()


class _AfterDask:
    """A meta path finder that runs :func:`_on_dask` once ``dask`` has been imported."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "dask":
            return None
        import importlib.util

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _Loader(spec.loader)  # type: ignore[assignment]
        return spec


class _Loader:
    """Runs the real loader, then hooks Dask."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.loader.exec_module(module)
        _on_dask()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)
