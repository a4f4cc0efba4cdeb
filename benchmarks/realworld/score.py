#!/usr/bin/env python3
"""Score dasklint on the real-code corpus in ``benchmarks/realworld/``.

Reads every ``sites/*.csv`` manifest and ``clean-trees.csv``, exports each (repo, commit) tree
from the local git mirrors once, runs dasklint on each tree and prints a Markdown table:
recall per family on the labelled positives, false alarms on the labelled traps, and findings
per 1,000 lines on the clean idiomatic trees. See README.md for the matching rules.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import datetime as _dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Rule codes that count as finding each family. A row's own ``rule`` column is added to these.
FAMILY_RULES: dict[str, frozenset[str]] = {
    "processes-scheduler": frozenset({"DSK101", "DSK102", "DSK103", "DSK108"}),
    "fine-grained": frozenset({"DSK401", "DSK402", "DSK901", "DSK902"}),
    "gil-threads": frozenset({"DSK501", "DSK502"}),
    "compute-in-loop": frozenset({"DSK303", "DSK108", "DSK304", "DSK702", "DSK703"}),
    "nested-compute": frozenset({"DSK310", "DSK307", "DSK706"}),
    "missing-main-guard": frozenset({"DSK201"}),
    "other": frozenset(),
}
FAMILY_ORDER = list(FAMILY_RULES)
SITE_FIELDS = ["repo", "commit", "path", "line", "family", "label", "rule", "reason"]
CLEAN_FIELDS = ["repo", "commit", "subdir", "reason"]
LINE_RE = re.compile(r"^(?:(?P<cell>\d+):)?(?P<lo>\d+)(?:-(?P<hi>\d+))?$")
MAGIC_RE = re.compile(r"^\s*[%!]")


@dataclass
class Site:
    """One labelled manifest row."""

    repo: str
    commit: str
    path: str
    line: str
    family: str
    label: str
    rule: str
    reason: str
    source: str
    cell: int | None = None
    lo: int = 0
    hi: int = 0
    span: tuple[int, int] = (0, 0)
    hits: list[str] = field(default_factory=list)
    nearby: list[str] = field(default_factory=list)
    status: str = "ok"

    @property
    def rules(self) -> frozenset[str]:
        """Codes that count for this site: its family's rules plus its own ``rule``."""
        own = {c.strip() for c in re.split(r"[ ;/|]+", self.rule) if c.strip()}
        return FAMILY_RULES.get(self.family, frozenset()) | own

    def where(self) -> str:
        """``repo:path:line`` for messages."""
        return f"{self.repo}:{self.path}:{self.line}"


@dataclass
class Finding:
    """One dasklint diagnostic, located by code-cell index (notebooks) and row."""

    code: str
    path: str
    row: int
    cell: int | None


@dataclass
class CleanTree:
    """One row of clean-trees.csv and its measurements."""

    repo: str
    commit: str
    subdir: str
    reason: str
    py_lines: int = 0
    nb_lines: int = 0
    py_findings: int = 0
    nb_findings: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    status: str = "ok"


def read_csv(path: Path, fields: list[str]) -> list[dict[str, str]]:
    """Rows of a manifest file, checking its header."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != fields:
            raise SystemExit(f"{path}: header must be {','.join(fields)}")
        return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


def load_sites(root: Path) -> list[Site]:
    """All rows of ``sites/*.csv``, validated."""
    sites: list[Site] = []
    for csv_path in sorted((root / "sites").glob("*.csv")):
        for n, row in enumerate(read_csv(csv_path, SITE_FIELDS), start=2):
            where = f"{csv_path.name}:{n}"
            site = Site(**row, source=where)
            m = LINE_RE.match(site.line)
            if not m or not re.fullmatch(r"[0-9a-f]{40}", site.commit):
                raise SystemExit(f"{where}: bad line {site.line!r} or commit {site.commit!r}")
            if site.label not in ("positive", "trap") or site.family not in FAMILY_RULES:
                raise SystemExit(f"{where}: bad label {site.label!r} or family {site.family!r}")
            if site.family == "other" and not site.rule:
                raise SystemExit(f"{where}: family 'other' needs a rule")
            is_nb = site.path.endswith(".ipynb")
            if is_nb != (m["cell"] is not None):
                raise SystemExit(f"{where}: notebooks need cell:row lines, .py files plain lines")
            site.cell = int(m["cell"]) if m["cell"] else None
            site.lo = int(m["lo"])
            site.hi = int(m["hi"] or m["lo"])
            sites.append(site)
    return sites


def git_dir(mirrors: Path, repo: str) -> Path | None:
    """The git directory of a mirror ``owner+name`` (a bare dir or a work tree's ``.git``)."""
    base = mirrors / repo.replace("/", "+", 1)
    for cand in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (cand / "objects").is_dir() and (cand / "HEAD").exists():
            return cand
    if base.is_dir():
        for head in sorted(base.rglob("HEAD")):
            if (head.parent / "objects").is_dir():
                return head.parent
    return None


def tree_dir(workdir: Path, repo: str, commit: str) -> Path:
    """Where the tree of (repo, commit) is exported."""
    return workdir / "trees" / repo.replace("/", "+", 1) / commit[:12]


def _safe_member(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """Tar filter: regular files and folders only, inside ``dest`` (links are skipped)."""
    if member.issym() or member.islnk():
        return None
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def archive(gdir: Path, commit: str, dest: Path) -> bool:
    """``git archive COMMIT | tar -x``; False when the snapshot lacks some objects."""
    with tempfile.TemporaryFile() as tmp:
        proc = subprocess.run(
            ["git", f"--git-dir={gdir}", "archive", "--format=tar", commit],
            stdout=tmp,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        if proc.returncode != 0:
            return False
        tmp.seek(0)
        with tarfile.open(fileobj=tmp) as tar:
            tar.extractall(dest, filter=_safe_member)
    return True


def copy_blobs(gdir: Path, commit: str, dest: Path) -> bool:
    """Export the blobs of COMMIT that the mirror has (snapshots omit large and LFS files)."""
    ls = subprocess.run(
        ["git", f"--git-dir={gdir}", "ls-tree", "-r", "-z", "--full-tree", commit],
        capture_output=True,
        check=False,
    )
    if ls.returncode != 0:
        return False
    entries = []
    for rec in ls.stdout.split(b"\0"):
        if not rec:
            continue
        meta, _, name = rec.partition(b"\t")
        mode, kind, sha = meta.split()
        rel = Path(name.decode("utf-8", "surrogateescape"))
        if kind == b"blob" and mode != b"120000" and ".." not in rel.parts:
            entries.append((sha.decode(), rel))
    proc = subprocess.Popen(
        ["git", f"--git-dir={gdir}", "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    for sha, rel in entries:
        proc.stdin.write(sha.encode() + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            continue
        data = proc.stdout.read(int(header[2]))
        proc.stdout.read(1)
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    proc.stdin.close()
    proc.wait()
    return True


def export_tree(mirrors: Path, workdir: Path, repo: str, commit: str) -> Path | None:
    """Export (repo, commit) with ``git archive`` unless already done; None if impossible."""
    dest = tree_dir(workdir, repo, commit)
    if (dest / ".exported").exists():
        return dest
    gdir = git_dir(mirrors, repo)
    if gdir is None:
        print(f"warning: no mirror of {repo} under {mirrors}", file=sys.stderr)
        return None
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if not archive(gdir, commit, dest) and not copy_blobs(gdir, commit, dest):
        print(f"warning: cannot export {repo}@{commit}", file=sys.stderr)
        shutil.rmtree(dest)
        return None
    (dest / ".exported").write_text(f"{repo} {commit}\n")
    return dest


def notebook_cells(path: Path) -> list[tuple[str, str]] | None:
    """(cell_type, source) of every cell of a notebook, or None if it is not JSON."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cells = []
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        cells.append((cell.get("cell_type", ""), "".join(src) if isinstance(src, list) else src))
    return cells


def code_cell_index(cells: list[tuple[str, str]]) -> dict[int, int]:
    """Map dasklint's 1-based index over all cells to the 1-based index over code cells."""
    out, k = {}, 0
    for i, (kind, _) in enumerate(cells, start=1):
        if kind == "code":
            k += 1
            out[i] = k
    return out


def run_dasklint(
    dasklint: list[str], tree: Path, target: str, extra: list[str]
) -> tuple[list[dict], str]:
    """Run dasklint on ``target`` inside ``tree``; the JSON diagnostics and stderr."""
    cmd = [*dasklint, "check", "--output-format", "json", "--isolated", "--no-cache"]
    cmd += ["--exit-zero", *extra, target]
    proc = subprocess.run(cmd, cwd=tree, capture_output=True, text=True, check=False)
    try:
        return json.loads(proc.stdout or "[]"), proc.stderr
    except ValueError:
        return [], f"unparsable output (exit {proc.returncode}): {proc.stderr[-2000:]}"


def findings_of(diags: list[dict], tree: Path) -> list[Finding]:
    """Normalise diagnostics: paths relative to the tree, notebook cells as code-cell indices."""
    cache: dict[str, dict[int, int]] = {}
    out = []
    for d in diags:
        fname = Path(d.get("filename", ""))
        rel = (
            str(fname.resolve().relative_to(tree.resolve())) if fname.is_absolute() else str(fname)
        )
        rel = rel.replace(os.sep, "/").removeprefix("./")
        row = int((d.get("location") or {}).get("row") or 0)
        cell = d.get("cell")
        if cell is not None and rel.endswith(".ipynb"):
            if rel not in cache:
                cache[rel] = code_cell_index(notebook_cells(tree / rel) or [])
            cell = cache[rel].get(int(cell), -1)
        out.append(Finding(str(d.get("code", "")), rel, row, cell))
    return out


def header_end(node: ast.stmt) -> int:
    """Last line of a statement, or of a compound statement's header only."""
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return max(getattr(i.context_expr, "end_lineno", node.lineno) or 0 for i in node.items)
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return node.iter.end_lineno or node.lineno
    if isinstance(node, (ast.If, ast.While)):
        return node.test.end_lineno or node.lineno
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return max(node.lineno, node.body[0].lineno - 1) if node.body else node.lineno
    if isinstance(node, (ast.Try, ast.Match)) or hasattr(node, "body"):
        return node.lineno
    return node.end_lineno or node.lineno


def statement_span(source: str, lo: int, hi: int) -> tuple[int, int]:
    """Widen [lo, hi] to the full extent of the statements (headers) starting in it."""
    lines = [("pass" if MAGIC_RE.match(ln) else ln) for ln in source.split("\n")]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return lo, hi
    end = hi
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and lo <= node.lineno <= hi:
            end = max(end, header_end(node))
    return lo, end


def site_span(site: Site, tree: Path) -> tuple[int, int]:
    """The rows a finding may sit on for ``site`` (statement extent; see README)."""
    path = tree / site.path
    if site.cell is not None:
        cells = [src for kind, src in (notebook_cells(path) or []) if kind == "code"]
        if not 1 <= site.cell <= len(cells):
            site.status = "no such cell"
            return site.lo, site.hi
        return statement_span(cells[site.cell - 1], site.lo, site.hi)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        site.status = "no such file"
        return site.lo, site.hi
    return statement_span(text, site.lo, site.hi)


def match_site(site: Site, findings: list[Finding], slack: int) -> None:
    """Record the findings that count for ``site`` and, for the miss list, those near it."""
    lo, hi = site.span[0] - slack, site.span[1] + slack
    for f in findings:
        if f.path != site.path or f.cell != site.cell:
            continue
        tag = f"{f.code}@{'' if f.cell is None else f'{f.cell}:'}{f.row}"
        if lo <= f.row <= hi and f.code in site.rules:
            site.hits.append(tag)
        elif abs(f.row - site.lo) <= 10 or lo <= f.row <= hi:
            site.nearby.append(tag)


def count_lines(tree: Path, files: list[str]) -> tuple[int, int]:
    """Physical lines of the .py files and code-cell lines of the notebooks."""
    py = nb = 0
    for rel in files:
        p = tree / rel
        if rel.endswith(".ipynb"):
            for kind, src in notebook_cells(p) or []:
                if kind == "code" and src.strip():
                    nb += len(src.rstrip("\n").split("\n"))
        else:
            with contextlib.suppress(OSError):
                py += len(p.read_bytes().splitlines())
    return py, nb


def show_files(dasklint: list[str], tree: Path, target: str, extra: list[str]) -> list[str]:
    """Files dasklint would lint under ``target`` (relative to the tree)."""
    cmd = [*dasklint, "check", "--show-files", "--isolated", *extra, target]
    proc = subprocess.run(cmd, cwd=tree, capture_output=True, text=True, check=False)
    out = []
    for line in proc.stdout.splitlines():
        p = Path(line.strip())
        if not line.strip() or p.suffix not in (".py", ".ipynb", ".pyi"):
            continue
        rel = p.resolve().relative_to(tree.resolve()) if p.is_absolute() else p
        out.append(str(rel).replace(os.sep, "/").removeprefix("./"))
    return out


def dasklint_commit(checkout: Path | None) -> str:
    """``git rev-parse HEAD`` of the dasklint checkout (``+dirty`` when it has changes)."""
    if checkout is None:
        return "unknown"
    head = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    if head.returncode != 0:
        return "unknown"
    dirty = subprocess.run(
        ["git", "-C", str(checkout), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return head.stdout.strip() + ("+dirty" if dirty else "")


def guess_checkout(dasklint: list[str]) -> Path | None:
    """The git checkout that holds the dasklint executable (``<checkout>/.venv/bin``)."""
    exe = Path(dasklint[0]).resolve() if dasklint else None
    for parent in exe.parents if exe else []:
        if (parent / ".git").exists():
            return parent
    return None


def pct(num: int, den: int) -> str:
    """A percentage for the table, or a dash when there is nothing to divide."""
    return f"{100 * num / den:.0f}%" if den else "-"


def per_k(num: int, lines: int) -> str:
    """Findings per 1,000 lines."""
    return f"{1000 * num / lines:.2f}" if lines else "-"


def table(sites: list[Site], clean: list[CleanTree], meta: dict[str, str]) -> str:
    """The Markdown report."""
    out = [
        f"dasklint `{meta['commit']}`, {meta['date']}; args: `{meta['args'] or '(default)'}`; "
        f"slack ±{meta['slack']} line(s)",
        "",
        "| family | positives found | recall | traps reported | false-alarm rate | repositories |",
        "|---|---|---|---|---|---|",
    ]
    scored = [s for s in sites if s.status == "ok"]
    for fam in [*FAMILY_ORDER, "overall"]:
        rows = scored if fam == "overall" else [s for s in scored if s.family == fam]
        if not rows:
            continue
        pos = [s for s in rows if s.label == "positive"]
        trp = [s for s in rows if s.label == "trap"]
        found = sum(1 for s in pos if s.hits)
        fired = sum(1 for s in trp if s.hits)
        repos = len({s.repo for s in rows})
        name = "**overall**" if fam == "overall" else fam
        out.append(
            f"| {name} | {found}/{len(pos)} | {pct(found, len(pos))} | {fired}/{len(trp)} "
            f"| {pct(fired, len(trp))} | {repos} |"
        )
    skipped = [s for s in sites if s.status != "ok"]
    if skipped:
        out += [
            "",
            f"{len(skipped)} site(s) not scored: "
            + "; ".join(f"{s.where()} ({s.status})" for s in skipped),
        ]
    if clean:
        out += [
            "",
            "| clean tree | .py lines | .py findings | per 1,000 | notebook code lines "
            "| notebook findings | per 1,000 |",
            "|---|---|---|---|---|---|---|",
        ]
        tot = CleanTree("**total**", "", "", "")
        for c in clean:
            name = c.repo + (f"/{c.subdir}" if c.subdir else "")
            if c.status != "ok":
                out.append(f"| {name} | {c.status} | | | | | |")
                continue
            for attr in ("py_lines", "nb_lines", "py_findings", "nb_findings"):
                setattr(tot, attr, getattr(tot, attr) + getattr(c, attr))
        for c in [*clean, tot]:
            if c.status != "ok":
                continue
            name = c.repo + (f"/{c.subdir}" if c.subdir else "")
            out.append(
                f"| {name} | {c.py_lines:,} | {c.py_findings} | {per_k(c.py_findings, c.py_lines)} "
                f"| {c.nb_lines:,} | {c.nb_findings} | {per_k(c.nb_findings, c.nb_lines)} |"
            )
    return "\n".join(out)


def misses(sites: list[Site]) -> str:
    """Each missed positive and each reported trap, with its reason and what fired near it."""
    out = []
    for s in sites:
        if s.status != "ok":
            out.append(f"NOT SCORED {s.where()} [{s.family}] {s.status}")
        elif s.label == "positive" and not s.hits:
            near = ", ".join(s.nearby) or "nothing"
            out.append(
                f"MISSED {s.where()} [{s.family}; wants {'/'.join(sorted(s.rules))}] "
                f"{s.reason} (near: {near})"
            )
        elif s.label == "trap" and s.hits:
            out.append(f"FALSE ALARM {s.where()} [{s.family}] {', '.join(s.hits)}: {s.reason}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/dasklint-realworld"))
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--manifest", type=Path, default=HERE, help="folder with sites/")
    ap.add_argument("--dasklint", default=None, help="dasklint executable (default: on PATH)")
    ap.add_argument(
        "--dasklint-checkout",
        type=Path,
        default=None,
        help="dasklint git checkout, for the commit in the report",
    )
    ap.add_argument("--args", default="", help="extra dasklint arguments, e.g. '--select ALL'")
    ap.add_argument("--slack", type=int, default=0, help="extra rows allowed around a site")
    ap.add_argument("--jobs", type=int, default=2, help="dasklint runs at once")
    ap.add_argument("--family", action="append", help="score only these families")
    ap.add_argument("--no-clean", action="store_true", help="skip the clean trees")
    ap.add_argument("--json", type=Path, help="write the raw scores here")
    ap.add_argument(
        "--list-misses",
        action="store_true",
        help="print each missed positive and each reported trap",
    )
    opts = ap.parse_args(argv)

    exe = opts.dasklint or shutil.which("dasklint")
    if not exe:
        raise SystemExit("dasklint not found: put it on PATH or pass --dasklint")
    dasklint = [str(Path(exe).absolute())]
    extra = shlex.split(opts.args)
    checkout = opts.dasklint_checkout or guess_checkout(dasklint)
    meta = {
        "commit": dasklint_commit(checkout),
        "date": _dt.date.today().isoformat(),
        "args": opts.args,
        "slack": str(opts.slack),
    }

    sites = load_sites(opts.manifest)
    if opts.family:
        sites = [s for s in sites if s.family in opts.family]
    clean_csv = opts.manifest / "clean-trees.csv"
    clean = (
        []
        if opts.no_clean or not clean_csv.exists()
        else [CleanTree(**row) for row in read_csv(clean_csv, CLEAN_FIELDS)]
    )

    keys = sorted({(s.repo, s.commit) for s in sites} | {(c.repo, c.commit) for c in clean})
    trees = {k: export_tree(opts.mirrors, opts.workdir, *k) for k in keys}

    def lint(key: tuple[str, str]) -> tuple[tuple[str, str], list[Finding]]:
        tree = trees[key]
        if tree is None:
            return key, []
        diags, err = run_dasklint(dasklint, tree, ".", extra)
        if err.strip() and not diags:
            print(f"warning: dasklint on {key[0]}: {err.strip()[:500]}", file=sys.stderr)
        return key, findings_of(diags, tree)

    site_keys = sorted({(s.repo, s.commit) for s in sites})
    with ThreadPoolExecutor(max(1, opts.jobs)) as pool:
        results = dict(pool.map(lint, site_keys))

    by_file: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for (repo, commit), fs in results.items():
        for f in fs:
            by_file[(repo, commit, f.path)].append(f)
    for s in sites:
        tree = trees[(s.repo, s.commit)]
        if tree is None:
            s.status = "no mirror"
            continue
        if not (tree / s.path).is_file():
            s.status = "no such file"
            continue
        s.span = site_span(s, tree)
        if s.status == "ok":
            match_site(s, by_file[(s.repo, s.commit, s.path)], opts.slack)

    def measure(c: CleanTree) -> None:
        tree = trees[(c.repo, c.commit)]
        if tree is None:
            c.status = "no mirror"
            return
        target = c.subdir or "."
        if not (tree / target).exists():
            c.status = "no such subdir"
            return
        c.py_lines, c.nb_lines = count_lines(tree, show_files(dasklint, tree, target, extra))
        diags, _ = run_dasklint(dasklint, tree, target, extra)
        fs = findings_of(diags, tree)
        c.nb_findings = sum(1 for f in fs if f.path.endswith(".ipynb"))
        c.py_findings = len(fs) - c.nb_findings
        c.codes = dict(Counter(f.code for f in fs).most_common())

    with ThreadPoolExecutor(max(1, opts.jobs)) as pool:
        list(pool.map(measure, clean))

    print(table(sites, clean, meta))
    if opts.list_misses:
        print()
        print(misses(sites) or "no misses and no false alarms")
    if opts.json:
        payload = {
            "meta": meta,
            "family_rules": {k: sorted(v) for k, v in FAMILY_RULES.items()},
            "sites": [
                {k: v for k, v in asdict(s).items() if k != "source"} | {"found": bool(s.hits)}
                for s in sites
            ],
            "clean_trees": [asdict(c) for c in clean],
        }
        opts.json.write_text(json.dumps(payload, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
