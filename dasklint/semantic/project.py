"""The project index: every Dask-related module's functions, decorators and imports.

Built in a cheap first pass with the standard library's ``ast`` (no libcst, nothing is
imported or run) over the files that pass the byte pre-filter, so that the per-file pass
can follow ``from mypkg.tasks import process`` to the ``@delayed`` function defined in
``mypkg/tasks.py``. The index is small and picklable: the parallel runner hands it to
its worker processes once.

Module names come from the file system: a file's package is the chain of parent
directories holding an ``__init__.py``.
"""

from __future__ import annotations

import ast
import os
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dasklint.limits import MAX_SOURCE_BYTES
from dasklint.prefilter import may_use_dask
from dasklint.recursion import default_recursion_limit
from dasklint.semantic.async_spelling import respell_dask_async
from dasklint.sourcefiles import read_regular

if TYPE_CHECKING:  # imported where needed: the cache reads the index without libcst
    from dasklint.semantic.facts import FunctionFacts, ModuleFacts, PartsFacts

# Directories never searched when indexing the package a single file belongs to.
_SKIP_DIRS = frozenset({".git", ".venv", "venv", "__pycache__", "build", "dist", ".tox"})
# Following ``__init__`` re-exports more deeply than this is not worth it.
_MAX_HOPS = 4


class FileSystemMemo:
    """What one pass over many files asks of the file system again and again: real paths
    and which directories hold an ``__init__.py``. One per pass (the file system changes
    between passes, and an editor's server lives long)."""

    def __init__(self) -> None:
        self._real: dict[str, Path] = {}
        self._packages: dict[Path, bool] = {}

    def real(self, path: Path) -> Path:
        """``os.path.realpath`` (it never raises on a symlink loop), remembered."""
        key = str(path)
        found = self._real.get(key)
        if found is None:
            found = self._real[key] = Path(os.path.realpath(path))
            self._real.setdefault(str(found), found)  # a real path is its own
        return found

    def real_child(self, real_directory: Path, name: str) -> Path:
        """The real path of ``name`` in a directory whose path is real: one ``lstat``
        unless it is a symbolic link."""
        path = real_directory / name
        if os.path.islink(path):
            return self.real(path)
        self._real.setdefault(str(path), path)
        return path

    def is_package(self, directory: Path) -> bool:
        found = self._packages.get(directory)
        if found is None:
            found = self._packages[directory] = (directory / "__init__.py").is_file()
        return found


def module_name(path: Path, memo: FileSystemMemo | None = None) -> tuple[str, Path]:
    """The dotted module name of ``path`` and the directory its top package lives in."""
    memo = memo or FileSystemMemo()
    path = memo.real(path)
    parts = [] if path.stem == "__init__" else [path.stem]
    directory = path.parent
    while memo.is_package(directory) and directory.parent != directory:
        parts.insert(0, directory.name)
        directory = directory.parent
    return ".".join(parts), directory


def package_root(path: Path, memo: FileSystemMemo | None = None) -> Path | None:
    """The top package directory containing ``path``, or None for a lone module."""
    name, base = module_name(path, memo)
    if "." not in name and path.stem != "__init__":
        return None
    return base / name.split(".", 1)[0]


def digest(source: bytes) -> int:
    return zlib.crc32(source)


def facts_for_source(source: bytes, path: Path) -> ModuleFacts | None:
    """Facts of one module's bytes, or None when they are not Python the parser accepts
    or larger than the linter accepts (:data:`~dasklint.limits.MAX_SOURCE_BYTES`)."""
    if len(source) > MAX_SOURCE_BYTES:
        return None
    name, _ = module_name(path)
    try:
        with warnings.catch_warnings(), default_recursion_limit():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        respelled = respell_dask_async(source)  # `dask.async`: index it as `dask.local`
        return facts_for_source(respelled.source, path) if respelled is not None else None
    from dasklint.semantic.facts import module_facts

    return module_facts(tree, name, str(path), digest(source))


@dataclass(slots=True)
class ProjectIndex:
    """Facts of every indexed module, by dotted module name."""

    modules: dict[str, ModuleFacts] = field(default_factory=dict)

    def add(self, facts: ModuleFacts) -> None:
        self.modules[facts.name] = facts

    def lookup(self, qualified: str) -> FunctionFacts | None:
        """The function a qualified name (``mypkg.tasks.process``) refers to, following
        package re-exports (``from .tasks import process`` in ``mypkg/__init__.py``)."""
        for _ in range(_MAX_HOPS):
            module, rest = self._split(qualified)
            if module is None:
                return None
            found = module.function(rest)
            if found is not None:
                return found
            target = dict(module.imports).get(rest.split(".", 1)[0])
            if target is None or target == qualified:
                return None
            tail = rest.split(".", 1)[1:] if "." in rest else []
            qualified = ".".join([target, *tail])
        return None

    def _split(self, qualified: str) -> tuple[ModuleFacts | None, str]:
        head, _, rest = qualified.rpartition(".")
        while head:
            module = self.modules.get(head)
            if module is not None:
                return module, rest
            head, _, last = head.rpartition(".")
            rest = f"{last}.{rest}"
        return None, qualified


def build_index(paths: Iterable[Path]) -> ProjectIndex:
    """Index the given files and every module of the packages they belong to."""
    index = ProjectIndex()
    for path in index_files(paths):
        try:
            source = read_regular(path)  # never a FIFO, nor a pipe that lint reads next
        except OSError:
            continue
        if not may_use_dask(source):
            continue
        facts = facts_for_source(source, path)
        if facts is not None:
            index.add(facts)
    return index


def index_files(paths: Iterable[Path], memo: FileSystemMemo | None = None) -> list[Path]:
    """The files an index of ``paths`` reads, resolved, in the order they are added:
    the given files, then every module of the packages they belong to."""
    memo = memo or FileSystemMemo()
    seen: set[Path] = set()
    files: list[Path] = []
    roots: set[Path] = set()
    for path in paths:
        resolved = memo.real(path)
        if resolved not in seen:
            seen.add(resolved)
            files.append(resolved)
        root = package_root(resolved, memo)
        if root is not None:
            roots.add(root)
    for root in sorted(roots):
        for found in _package_files(root, memo):
            if found not in seen:
                seen.add(found)
                files.append(found)
    return files


def _package_files(root: Path, memo: FileSystemMemo | None = None) -> list[Path]:
    """The package's modules, resolved; ``root`` is a real path (os.walk does not enter
    linked directories, so only a linked file needs resolving)."""
    memo = memo or FileSystemMemo()
    out: list[Path] = []
    for directory, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        real = Path(directory)
        out.extend(memo.real_child(real, n) for n in sorted(names) if n.endswith(".py"))
    return out


def current_module_facts(
    index: ProjectIndex,
    source: bytes,
    filename: str,
    parts: tuple[PartsFacts, list[str]] | None = None,
) -> ModuleFacts | None:
    """Facts of the module being linted: from the index when it read the same bytes,
    else from ``source`` (a stdin buffer or an editor's unsaved text). ``parts``: the
    document's :class:`PartsFacts` and the text of each of its top-level statements,
    which spare re-reading the statements an edit left alone."""
    path = Path(os.path.abspath(filename))
    name, _ = module_name(path)
    found = index.modules.get(name)
    checksum = digest(source)
    if found is not None and found.digest == checksum:
        return found
    if parts is not None:
        with warnings.catch_warnings(), default_recursion_limit():
            warnings.simplefilter("ignore")
            facts = parts[0].facts(parts[1], name, str(path), checksum)
        if facts is not None:
            return facts
    return facts_for_source(source, path)


_SINGLE_FILE_CACHE: dict[Path, tuple[tuple[tuple[str, int], ...], ProjectIndex]] = {}


def index_for_file(filename: str) -> ProjectIndex:
    """Single-file and stdin mode: the index of the package ``filename`` belongs to
    (cached while none of the package's files changes)."""
    path = Path(os.path.abspath(filename))
    root = package_root(path)
    if root is None or not root.is_dir():
        return ProjectIndex()
    stamp = tuple((str(p), _mtime(p)) for p in _package_files(root))
    cached = _SINGLE_FILE_CACHE.get(root)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    index = build_index([path])
    _SINGLE_FILE_CACHE[root] = (stamp, index)
    return index


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


__all__ = [
    "FileSystemMemo",
    "ProjectIndex",
    "build_index",
    "current_module_facts",
    "facts_for_source",
    "index_files",
    "index_for_file",
    "module_name",
]
