"""The recorder's JSON lines, read back into computations and task runs.

Each process of the traced program wrote its own file; a computation's runs may come
from several (the scheduling process for threads, the worker processes for the
processes scheduler, the scheduler for ``distributed``, whose workers add the CPU time
of each run). Lines cut short by a crash are skipped, never guessed at.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Run:
    """One execution of one task: where (process, thread) and when (wall seconds since
    the epoch), and the CPU seconds its thread used, where measured."""

    key: str
    pid: int | None
    thread: int | None
    start: float
    end: float
    cpu: float | None

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Function:
    name: str
    filename: str | None
    line: int | None


@dataclass
class Computation:
    """One graph run by one scheduler, as the recorder saw it."""

    id: str
    scheduler: str
    pid: int
    start: float
    end: float | None
    failed: bool
    workers: int | None
    chunksize: int | None
    graph_size: int
    stack: list[tuple[str, int]]
    functions: list[Function]
    # key -> (function index, group, dependency keys)
    tasks: dict[str, tuple[int, str, list[str]]]
    detail: bool
    # key -> the keys of the subgraph fused into that task
    fused: dict[str, list[str]] = field(default_factory=dict)
    # Bytes of the concrete values the tasks carry as arguments, summed over the tasks
    # (None: not recorded), and ``(bytes, tasks, type)`` of the large ones.
    argument_bytes: int | None = None
    arguments: list[tuple[int, int, str]] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    # ``(file, line)`` of the program's calls that created tasks (``dask.delayed``), and
    # key -> index into them, for the tasks whose creation was noted.
    sites: list[tuple[str, int]] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)


def creation_sites(computation: Computation, limit: int = 5) -> list[tuple[str, int, int]]:
    """``(file, line, tasks)`` of the lines that created most of the computation's tasks,
    most first."""
    counts = Counter(computation.created.values())
    return [
        (*computation.sites[index], tasks)
        for index, tasks in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    ]


@dataclass
class Recorded:
    """Everything the program's processes wrote."""

    computations: list[Computation]
    processes: dict[int, list[str]]  # pid -> argv
    crashes: dict[int, str]  # pid -> traceback
    files: set[str]


def _run(raw: list[Any]) -> Run | None:
    try:
        key, pid, thread, start, end, cpu = raw
        return Run(str(key), pid, thread, float(start), float(end), cpu)
    except (TypeError, ValueError):
        return None


def _computation(record: dict[str, Any]) -> Computation:
    tasks = {
        str(key): (int(value[0]), str(value[1]), [str(d) for d in value[2]])
        for key, value in (record.get("tasks") or {}).items()
    }
    runs = [run for raw in record.get("runs") or [] if (run := _run(raw)) is not None]
    sites = [(str(f), int(line)) for f, line in record.get("sites") or []]
    return Computation(
        id=str(record["id"]),
        scheduler=str(record.get("scheduler", "local")),
        pid=int(record.get("pid", 0)),
        start=float(record.get("start", 0.0)),
        end=record.get("end"),
        failed=bool(record.get("failed", False)),
        workers=record.get("workers"),
        chunksize=record.get("chunksize"),
        graph_size=int(record.get("graph_size", len(tasks))),
        stack=[(str(f), int(line)) for f, line in record.get("stack") or []],
        functions=[Function(*info) for info in record.get("functions") or []],
        tasks=tasks,
        detail=bool(record.get("detail", True)),
        fused={str(k): [str(i) for i in v] for k, v in (record.get("fused") or {}).items()},
        argument_bytes=record.get("argument_bytes"),
        arguments=[(int(a[0]), int(a[1]), str(a[2])) for a in record.get("arguments") or []],
        runs=runs,
        sites=sites,
        created={
            str(key): int(index)
            for key, index in (record.get("created") or {}).items()
            if isinstance(index, int) and 0 <= index < len(sites)
        },
    )


# Seconds between a worker's and the scheduler's record of one task run's start that
# still name the same run (both come from the same number; the slack is for rounding).
SAME_START = 1e-3


def _with_cpu(runs: list[Run], cpu: dict[str, list[tuple[float, float]]]) -> list[Run]:
    """The runs, each with the CPU time its worker noted for the run of its key that
    started at the same time, where there is one."""
    timed = []
    for run in runs:
        noted = cpu.get(run.key, ()) if run.cpu is None else ()
        match = min(noted, key=lambda item: abs(item[0] - run.start), default=None)
        if match is not None and abs(match[0] - run.start) <= SAME_START:
            run = replace(run, cpu=match[1])
        timed.append(run)
    return timed


def read(folder: Path) -> Recorded:
    computations: dict[str, Computation] = {}
    loose: list[tuple[str | None, list[Run]]] = []
    cpu: dict[str, list[tuple[float, float]]] = {}
    recorded = Recorded([], {}, {}, set())
    for path in sorted(folder.glob("trace-*.jsonl")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            kind = record.get("kind") if isinstance(record, dict) else None
            if kind == "computation":
                computation = _computation(record)
                computations[computation.id] = computation
            elif kind == "runs":
                runs = [r for raw in record.get("runs") or [] if (r := _run(raw)) is not None]
                loose.append((record.get("computation"), runs))
            elif kind == "task-cpu":
                for raw in record.get("runs") or []:
                    try:
                        key, start, seconds = raw
                        cpu.setdefault(str(key), []).append((float(start), float(seconds)))
                    except (TypeError, ValueError):
                        continue
            elif kind == "process":
                recorded.processes[int(record["pid"])] = [str(a) for a in record.get("argv", [])]
            elif kind == "crash":
                recorded.crashes[int(record["pid"])] = str(record.get("traceback", ""))
            elif kind == "exit":
                recorded.files.update(str(f) for f in record.get("files", []))
    for owner, runs in loose:
        if owner is not None and owner in computations:
            computations[owner].runs.extend(runs)
    for computation in computations.values():
        if cpu and computation.scheduler == "distributed":
            computation.runs = _with_cpu(computation.runs, cpu)
        computation.runs.sort(key=lambda run: run.start)
        recorded.files.update(filename for filename, _ in computation.stack)
        recorded.files.update(filename for filename, _ in computation.sites)
        if computation.end is None and computation.runs:
            computation.end = max(run.end for run in computation.runs)
    recorded.computations = sorted(computations.values(), key=lambda c: c.start)
    return recorded
