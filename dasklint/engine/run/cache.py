"""The on-disk cache: results of unchanged files and the project index, as JSON.

Layout (``.dasklint_cache/`` by default, ``--cache-dir``/``DASKLINT_CACHE_DIR``)::

    .dasklint_cache/
        CACHEDIR.TAG                  # backup and search tools skip the directory
        .gitignore                    # "*"
        <dasklint version>/
            index-<code key>.json     # per file: stat, content hash, imports
            facts-<code key>.json     # per file: project-index facts (read only to lint)
            rules-<code key>.json     # the rules' codes, names and defaults
            <settings key>/files.json # per file: content hash, dependency key, findings

``<code key>`` hashes the rule set, dasklint's own sources and the Python version;
``<settings key>`` hashes those and one file's resolved settings, so files linted with
different settings (per-file ignores, test files) have separate directories. Whether
fixes carry their text edits (``fix-edits``: the full, JSON and SARIF formats) changes no
finding, so it is not part of the key: an entry records whether it holds the edits, one
with them serves every format (the edits dropped where none are asked for), and one
without them is linted again by a run that needs them.

A file's findings are reused when its content hash, its display name and its
*dependency key* are unchanged. The dependency key hashes the content of every indexed
module the file can reach through imports (transitively: task functions are followed
across modules), so a change to one module re-lints the modules that import it. The
stat (size, modification and status-change times, inode) only saves reading and hashing
a file whose stat is unchanged: an edit changes the status-change time, which no tool
can set back, and a file changed in the last seconds is always read again. Findings are
stored under the hash of the bytes the linter read (a file saved while the run goes on
is linted again next time), never under an earlier read's.

A run that finds every file unchanged reads only the index, the rule catalog and the
findings: it never parses a file, decodes the facts or imports the rules (and libcst).

Everything is plain JSON (never pickle): a corrupt, truncated, too deeply nested or
foreign file, or an entry of another shape or type (each value is checked on reading),
is ignored with one warning and rebuilt, and a cache that cannot be written is skipped.
The entries' encoding is :mod:`dasklint.engine.run.encoding` (also the cluster runner's
wire format); the dependency keys come from :mod:`dasklint.engine.run.reach`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dasklint
from dasklint import __version__, registry
from dasklint.config.loader import project_root
from dasklint.config.settings import FileSettings
from dasklint.diagnostics import (
    Confidence,
    FileResult,
    Severity,
)
from dasklint.engine.run.encoding import decode_facts, decode_result, encode_facts, encode_result
from dasklint.engine.run.reach import dependency_keys, hash_text
from dasklint.prefilter import may_use_dask
from dasklint.registry import RuleInfo
from dasklint.semantic.project import (
    FileSystemMemo,
    ProjectIndex,
    facts_for_source,
    index_files,
    module_name,
)
from dasklint.sourcefiles import content_hash, read_regular

FORMAT = 1
DEFAULT_DIR = ".dasklint_cache"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by dasklint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
# A file modified this recently may be modified again within the file system's
# timestamp resolution: its stat is not trusted next time, its content is hashed.
_RACY_SECONDS = 2.0

Job = tuple[Path, str, FileSettings]
# Lints jobs with the project index; results in any order (runner.run, or a cluster).
Execute = Callable[[list[Job], ProjectIndex], Iterable[FileResult]]


def default_cache_dir(cwd: Path, config_file: Path | None = None) -> Path:
    """``DASKLINT_CACHE_DIR``, or ``.dasklint_cache`` at the project's root (the directory
    of the configuration file, or the closest one above ``cwd`` with a configuration
    file or ``.git``: :func:`dasklint.config.loader.project_root`), as ruff places its own:
    one cache per project, wherever in it the linter runs."""
    env = os.environ.get("DASKLINT_CACHE_DIR")
    return Path(env) if env else project_root(cwd, config_file) / DEFAULT_DIR


def _plain(value: Any) -> Any:
    """Settings as JSON-ready data with a stable order (sets sorted, enums by value)."""
    if isinstance(value, (frozenset, set)):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, (Severity, Confidence)):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def code_key() -> str:
    """What the results depend on besides files and settings: dasklint's own sources
    (the rules among them; an editable install changes without a version bump) and the
    Python version."""
    package = Path(dasklint.__file__).resolve().parent
    stamps = []
    for directory, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                path = Path(directory, name)
                try:
                    digest = content_hash(path.read_bytes())
                except OSError:
                    continue
                stamps.append(f"{path.relative_to(package)}:{digest}")
    return hash_text(__version__, sys.version, *stamps)


# --- the cache ----------------------------------------------------------------------


@dataclass
class CacheStats:
    """What the last run did; tests and ``DASKLINT_CACHE_DEBUG=1`` look at it."""

    hits: list[str] = field(default_factory=list)  # display names served from the cache
    linted: list[str] = field(default_factory=list)  # display names linted
    indexed: list[str] = field(default_factory=list)  # paths read for the project index


@dataclass
class IndexState:
    """The project index as the cache sees it: per module its content hash, and per
    module a dependency key; the :class:`ProjectIndex` itself is decoded only on demand.

    An entry's ``facts`` is None (no facts: not Dask, or not parsed), ``True`` (stored in
    the facts file, read by :meth:`index` only) or the facts computed in this run."""

    files: dict[str, dict[str, Any]]  # resolved path -> index entry
    modules: dict[str, str]  # module name -> resolved path of the file indexed under it
    state: str  # hash of every indexed module's name and content
    dep_keys: dict[str, str]  # resolved path -> hash of what the file can reach
    cache: Cache | None = None  # where stored facts are read (and repaired)
    drifted: bool = False  # a module changed between indexing and linting
    _index: ProjectIndex | None = None

    def index(self) -> ProjectIndex:
        if self._index is None:
            stored = self.cache.load_facts() if self.cache is not None else {}
            repaired: dict[str, Any] = {}
            index = ProjectIndex()
            for path in self.modules.values():
                entry = self.files[path]
                facts = _stored_facts(entry, stored.get(path))
                if facts is None:
                    if self.cache is not None:
                        self.cache.warn("ignoring malformed facts; they are computed again")
                    try:
                        source = read_regular(path)
                    except OSError:
                        continue
                    facts = facts_for_source(source, Path(path))
                    if content_hash(source) != entry["hash"]:
                        # Changed since it was indexed: the dependency keys describe the
                        # old content, so no result of this run may be stored.
                        self.drifted = True
                    elif facts is not None:
                        repaired[path] = {"hash": entry["hash"], "facts": encode_facts(facts)}
                    if facts is None:
                        continue
                index.add(facts)
            if repaired and self.cache is not None:
                self.cache.store_facts(repaired)
            self._index = index
        return self._index

    def dep_key(self, path: str) -> str | None:
        """The dependency key of a file (None: not known, do not use the cache)."""
        entry = self.files.get(path)
        if entry is None:
            return None
        if not entry["dask"]:
            return ""  # the byte pre-filter skips it whatever the other files say
        # Not parsed by ``ast`` (no facts): it may depend on anything.
        return self.dep_keys.get(path, self.state)


class Cache:
    """One run's view of a cache directory."""

    def __init__(self, root: Path, *, read_only: bool = False) -> None:
        """``read_only``: serve what is there and write nothing (``dasklint trace``
        promises to write only its report)."""
        self.root = root
        self.base = root / __version__
        self.stats = CacheStats()
        self._code_key = code_key()
        self._writable = not read_only
        self._warned: set[str] = set()
        self._loaded: dict[Path, dict[str, Any]] = {}
        self._catalog_loaded = self._load_catalog()

    def warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            print(f"warning: dasklint cache: {message}", file=sys.stderr)

    # -- files -------------------------------------------------------------------------

    def _prepare(self) -> bool:
        if not self._writable:
            return False
        try:
            self.base.mkdir(parents=True, exist_ok=True)
            for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "*\n")):
                if not (self.root / name).is_file():  # written anew: it may be a FIFO
                    _write_atomically(self.root / name, text)
        except OSError as exc:
            self._unwritable(exc)
            return False
        return True

    def _unwritable(self, exc: OSError) -> None:
        self._writable = False
        self.warn(f"cannot write to {self.root} ({exc.strerror or exc}); continuing without it")

    def _load(self, path: Path) -> dict[str, Any]:
        try:
            text = read_regular(path)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.warn(f"cannot read {path} ({exc.strerror or exc}); ignoring it")
            return {}
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: nested too deeply
            self.warn(f"ignoring corrupt cache file {path}; it will be rebuilt")
            return {}
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("version") != __version__
            or not isinstance(data.get("entries"), dict)
        ):
            self.warn(f"ignoring cache file {path} written by another dasklint; it will be rebuilt")
            return {}
        entries: dict[str, Any] = data["entries"]
        return entries

    def _store(self, path: Path, entries: dict[str, Any]) -> None:
        if not self._prepare():
            return
        payload = json.dumps(
            {"format": FORMAT, "version": __version__, "entries": entries},
            separators=(",", ":"),
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, payload)
        except OSError as exc:
            self._unwritable(exc)

    # -- the project index ---------------------------------------------------------------

    def index_state(self, paths: Iterable[Path]) -> IndexState:
        """The project index of ``paths`` (see :func:`build_index`), reusing the facts of
        files whose content is unchanged."""
        location = self.base / f"index-{self._code_key}.json"
        old = self._load(location)
        files: dict[str, dict[str, Any]] = {}
        modules: dict[str, str] = {}
        changed = False
        now = time.time()
        memo = FileSystemMemo()
        for path in index_files(paths, memo):
            key = str(path)
            try:
                st = path.stat()
            except OSError:
                continue
            found = old.get(key)
            entry: dict[str, Any] = found if isinstance(found, dict) else {}
            valid = _valid_index_entry(entry)
            if found is not None and not valid:
                self.warn(f"ignoring malformed entries in {location}; they will be rebuilt")
            if not (valid and all(entry[k] == v for k, v in _stat_key(st).items())):
                try:
                    source = read_regular(path)
                except OSError:
                    continue
                digest = content_hash(source)
                if not (valid and entry["hash"] == digest):
                    self.stats.indexed.append(key)
                    entry = _index_entry(source, path, digest)
                else:
                    entry = dict(entry)
                entry.update(_stat_key(st))
                if now - max(st.st_mtime_ns, st.st_ctime_ns) / 1e9 <= _RACY_SECONDS:
                    entry["mtime"] = -1  # may change again unseen: read it next time
                changed = True
            if entry["facts"] is not None:
                name = module_name(path, memo)[0]
                if entry["name"] != name:  # an __init__.py appeared or went away
                    self.stats.indexed.append(key)
                    try:
                        source = read_regular(path)
                    except OSError:
                        continue
                    entry = dict(entry, **_index_entry(source, path, content_hash(source)))
                    changed = True
                if entry["facts"] is not None:
                    modules[entry["name"]] = key
            files[key] = entry
        state = hash_text(
            *(f"{p}={e['name']}={e['hash']}" for p, e in files.items() if e["facts"] is not None)
        )
        stored = old.get("", {}) if isinstance(old.get(""), dict) else {}
        if stored.get("state") == state and _validdependency_keys(stored.get("deps")):
            dep_keys = stored["deps"]
        else:
            if stored.get("state") == state:
                self.warn(f"ignoring malformed entries in {location}; they will be rebuilt")
            dep_keys = dependency_keys(files, modules)
            changed = True
        if changed or set(old) - set(files) - {""}:
            # Facts computed in this run go to the facts file; the index says only "stored".
            fresh = {
                key: {"hash": entry["hash"], "facts": entry["facts"]}
                for key, entry in files.items()
                if entry["facts"] is not None and entry["facts"] is not True
            }
            if fresh:
                self.store_facts(fresh)
            merged = {
                k: v
                for k, v in old.items()
                if k != "" and isinstance(v, dict) and _valid_index_entry(v)
            }
            merged.update(
                (key, dict(entry, facts=True) if key in fresh else entry)
                for key, entry in files.items()
            )
            merged[""] = {"state": state, "deps": dep_keys}
            self._store(location, merged)
        return IndexState(files, modules, state, dep_keys, self)

    def load_facts(self) -> dict[str, Any]:
        """The stored facts, by resolved path (each with the content hash it is of)."""
        return self._load(self.base / f"facts-{self._code_key}.json")

    def store_facts(self, facts: dict[str, Any]) -> None:
        location = self.base / f"facts-{self._code_key}.json"
        merged = self._load(location)
        merged.update(facts)
        self._store(location, merged)

    # -- the rule catalog ------------------------------------------------------------------

    def _load_catalog(self) -> bool:
        """Install the rule catalog stored by an earlier run of the same sources, so that
        choosing the enabled rules does not import them (see :mod:`dasklint.registry`)."""
        entries = self._load(self.base / f"rules-{self._code_key}.json")
        infos = []
        for code, entry in entries.items():
            if not (
                re.fullmatch(r"[A-Z]+[0-9]+", code, re.ASCII)
                and isinstance(entry, dict)
                and isinstance(entry.get("name"), str)
                and isinstance(entry.get("default"), bool)
                and isinstance(entry.get("tests"), bool)
            ):
                self.warn("ignoring a malformed rule catalog; it will be rebuilt")
                return False
            infos.append(RuleInfo(code, entry["name"], entry["default"], entry["tests"]))
        if not infos:
            return False
        registry.install_catalog(sorted(infos, key=lambda info: registry.code_order(info.code)))
        return True

    def _store_catalog(self) -> None:
        if self._catalog_loaded or not registry.rules_imported():
            return
        entries = {
            info.code: {
                "name": info.name,
                "default": info.default_enabled,
                "tests": info.deliberate_in_tests,
            }
            for info in registry.catalog()
        }
        self._store(self.base / f"rules-{self._code_key}.json", entries)
        self._catalog_loaded = True

    # -- lint results ----------------------------------------------------------------------

    def _settings_dir(self, fingerprint: str) -> Path:
        return self.base / hash_text(self._code_key, fingerprint)

    def lookup(
        self, jobs: list[Job], state: IndexState
    ) -> tuple[list[FileResult], list[tuple[Job, Path, dict[str, Any]]]]:
        """Split ``jobs`` into results served from the cache and jobs to lint (each with
        the results file it belongs in and what its entry must record)."""
        loaded: dict[Path, dict[str, Any]] = {}
        dirs: dict[str, Path] = {}
        locations: dict[int, Path] = {}  # id(settings) -> results file (jobs keep them alive)
        hits: list[FileResult] = []
        misses: list[tuple[Job, Path, dict[str, Any]]] = []
        for job in jobs:
            path, display, settings = job
            key = os.path.realpath(path)  # never raises on a symlink loop
            index_entry = state.files.get(key)
            deps = state.dep_key(key)
            # Files alike share one settings object (Settings.for_file): serialize it once.
            location = locations.get(id(settings))
            if location is None:
                fingerprint = _settings_fingerprint(settings)
                directory = dirs.get(fingerprint)
                if directory is None:
                    directory = dirs[fingerprint] = self._settings_dir(fingerprint)
                location = locations[id(settings)] = directory / "files.json"
            if location not in loaded:
                loaded[location] = self._load(location)
            if index_entry is None or deps is None:
                misses.append((job, location, {}))
                continue
            want = {
                "hash": index_entry["hash"],
                "display": display,
                "deps": deps,
                "edits": settings.fix_edits,
            }
            entry = loaded[location].get(key)
            if isinstance(entry, dict) and _matches(entry, want):
                try:
                    result = decode_result(entry["result"], display)
                    hits.append(result if settings.fix_edits else _without_edits(result))
                    self.stats.hits.append(display)
                    continue
                except (KeyError, TypeError, ValueError, IndexError):
                    self.warn(f"ignoring a malformed entry in {location}")
            misses.append((job, location, want))
        self._loaded = loaded
        return hits, misses

    def record(self, results: list[tuple[FileResult, Path, str, dict[str, Any]]]) -> None:
        """Store fresh results (``want`` empty: not cacheable) and write changed files."""
        touched: set[Path] = set()
        for result, location, key, want in results:
            self.stats.linted.append(result.filename)
            if not want or result.error is not None or result.source_hash != want["hash"]:
                continue  # not cacheable, or the file changed after the index read it
            try:
                encoded = encode_result(result)
            except TypeError:
                continue
            if key.endswith(".py") and any(d.code in _NO_RULES_RAN for d in result.diagnostics):
                want = dict(want, deps="*")  # not parsed or not decoded: no index was used
            self._loaded.setdefault(location, {})[key] = dict(want, result=encoded)
            touched.add(location)
        for location in sorted(touched):
            self._store(location, self._loaded[location])

    def finish(self) -> None:
        self._store_catalog()
        if os.environ.get("DASKLINT_CACHE_DEBUG"):
            s = self.stats
            print(
                f"dasklint cache: {len(s.hits)} cached, {len(s.linted)} linted, "
                f"{len(s.indexed)} indexed",
                file=sys.stderr,
            )
            for name in sorted(s.linted):
                print(f"dasklint cache: linted {name}", file=sys.stderr)


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` (whatever it is: a FIFO is never opened) with a file of ``text``;
    readers see the old file or the new one, never a part."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# A module with these findings was never analysed, so other modules cannot change them.
_NO_RULES_RAN = ("DSK001", "DSK002")


def _settings_fingerprint(settings: FileSettings) -> str:
    """The settings that change what a file is found to have, as stable JSON: all but
    ``fix_edits`` (whether an entry holds the edits is recorded in the entry)."""
    plain = _plain(settings)
    del plain["fix_edits"]
    return json.dumps(plain, sort_keys=True)


def _matches(entry: dict[str, Any], want: dict[str, Any]) -> bool:
    if entry.get("hash") != want["hash"] or entry.get("display") != want["display"]:
        return False
    if want["edits"] and entry.get("edits") is not True:
        return False  # stored without the fixes' text edits, which this run prints
    return entry.get("deps") in (want["deps"], "*")


def _without_edits(result: FileResult) -> FileResult:
    """A result stored with its fixes' text edits, as a run that asks for none finds it."""
    result.diagnostics = [
        dataclasses.replace(d, fix=dataclasses.replace(d.fix, edits=()))
        if d.fix is not None and d.fix.edits
        else d
        for d in result.diagnostics
    ]
    return result


def _stat_key(st: os.stat_result) -> dict[str, int]:
    """What must be unchanged for a file's stored hash to be trusted without reading it."""
    return {
        "size": st.st_size,
        "mtime": st.st_mtime_ns,
        "ctime": st.st_ctime_ns,
        "inode": st.st_ino,
    }


def _valid_index_entry(entry: dict[str, Any]) -> bool:
    """Whether an index entry has every field, of its type: facts ``True`` (stored) with
    a module name and API hash, or ``None`` (not Dask, or not parsed) with neither."""
    imports = entry.get("imports")
    facts, name, api = entry.get("facts", False), entry.get("name", 0), entry.get("api", 0)
    return (
        all(type(entry.get(field)) is int for field in ("size", "mtime", "ctime", "inode"))
        and type(entry.get("hash")) is str
        and type(entry.get("dask")) is bool
        and type(imports) is list
        and all(type(target) is str for target in imports)
        and (
            (facts is None and name is None and api is None)
            or (facts is True and type(name) is str and type(api) is str)
        )
    )


def _validdependency_keys(value: Any) -> bool:
    return isinstance(value, dict) and all(type(key) is str for key in value.values())


def _stored_facts(entry: dict[str, Any], stored: Any) -> Any:
    """A module's facts from its index entry or the facts file; None when they are
    missing, of other content or malformed."""
    from dasklint.semantic.facts import ModuleFacts

    encoded = entry["facts"]
    if encoded is True:
        if not (isinstance(stored, dict) and stored.get("hash") == entry["hash"]):
            return None
        encoded = stored.get("facts")
    try:
        facts = decode_facts(encoded)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError):
        return None
    return facts if isinstance(facts, ModuleFacts) else None


def _index_entry(source: bytes, path: Path, digest: str) -> dict[str, Any]:
    dask = may_use_dask(source)
    facts = facts_for_source(source, path) if dask else None
    return {
        "hash": digest,
        "dask": dask,
        "name": facts.name if facts is not None else None,
        "imports": sorted({target for _, target in facts.imports}) if facts else [],
        "facts": encode_facts(facts) if facts is not None else None,
        "api": _api_key(facts) if facts is not None else None,
    }


def _api_key(facts: Any) -> str:
    """A hash of what other modules can learn of a module: its facts without the digest
    of its bytes (an edit that changes no facts, a comment say, leaves it the same)."""
    plain = encode_facts(dataclasses.replace(facts, digest=0))
    return hash_text(json.dumps(plain, sort_keys=True))


def lint_cached(
    cache: Cache,
    jobs: list[Job],
    paths: list[Path],
    workers: int | None,
    execute: Execute | None = None,
) -> Iterator[FileResult]:
    """Lint ``jobs`` through the cache: unchanged files are served from it, the others
    are linted (in parallel as usual, or by ``execute``: a Dask cluster) and stored."""
    from dasklint.engine.run import runner

    def local(batch: list[Job], index: ProjectIndex) -> Iterable[FileResult]:
        return runner.run(batch, workers, index)

    state = cache.index_state(paths)
    hits, misses = cache.lookup(jobs, state)
    yield from hits
    if misses:
        where = {id(job): (location, want) for job, location, want in misses}
        by_display = {job[1]: job for job, _, _ in misses}
        fresh = []
        for result in (execute or local)([job for job, _, _ in misses], state.index()):
            job = by_display.get(result.filename)
            if job is not None:
                location, want = where[id(job)]
                fresh.append((result, location, os.path.realpath(job[0]), want))
            yield result
        if state.drifted:  # nothing of this run matches the keys it would be stored under
            fresh = [(result, location, key, {}) for result, location, key, _ in fresh]
        cache.record(fresh)
    cache.finish()


def clean(root: Path) -> bool:
    """Remove a cache directory (only one that dasklint made: it has our CACHEDIR.TAG)."""
    import shutil

    if not root.is_dir():
        return False
    if not is_cache(root):
        raise OSError(f"{root} does not look like a dasklint cache (no CACHEDIR.TAG)")
    shutil.rmtree(root)
    return True


def is_cache(root: Path) -> bool:
    """``root`` is a cache directory that dasklint made (its CACHEDIR.TAG says so)."""
    tag = root / "CACHEDIR.TAG"
    try:
        return tag.is_file() and "dasklint" in tag.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def caches_under(top: Path) -> Iterator[Path]:
    """Every directory named ``.dasklint_cache`` at or below ``top``, as ``ruff clean``
    finds its own: symbolic links are not followed, and a cache is not searched."""
    for folder, subdirs, _ in os.walk(top):
        if DEFAULT_DIR in subdirs:
            subdirs.remove(DEFAULT_DIR)
            yield Path(folder) / DEFAULT_DIR
        subdirs.sort()
