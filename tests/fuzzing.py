"""Program generators and the checks the fuzz tests run on every program.

The programs come from hypothesmith (grammar- and node-based) or from the fixtures, then get
Dask calls that trigger fixable rules inserted in odd places: class bodies, nested functions,
``try``/``except``, ``with`` and ``match`` blocks, decorators, default arguments, lambdas'
neighbours, after ``if __name__ == "__main__":``. The snippets are the statements the
fixtures mark as findings plus a few hand-written ones, so new rules are fuzzed as soon as
they have fixtures.

:func:`check` is the property: linting never raises nor reports a DSK003 internal error
(a rule or the semantic model failing); when the program parses, fixing with
every rule and unsafe fixes never raises, no fix breaks the code (the fix loop would drop
it), the result parses, compiles when the input did, converges, and fixing it again
changes nothing. The safe fixes alone must also keep behaviour where that can be seen
without running the program (:func:`check_safe_fixes_keep_behaviour`): no new unbound
locals, no statements merged inside ``try``, no keyword Dask fills in bound as a default.
"""

from __future__ import annotations

import ast
import json
import random
import re
import symtable
import textwrap
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import libcst as cst
from conftest import FIXTURES

from dasklint.columns import split_lines
from dasklint.config.settings import Selection, Settings
from dasklint.diagnostics import Diagnostic, FileResult
from dasklint.engine.fix.loop import FixOutcome, fix_source
from dasklint.engine.lint.linter import lint_source
from dasklint.semantic.project import ProjectIndex

NAME = "/nonexistent/fuzz.py"
SETTINGS = Settings(
    root=Path("/nonexistent"), layers=(Selection(select=("ALL",)),), unsafe_fixes=True
).for_file(Path(NAME))
SAFE_SETTINGS = Settings(root=Path("/nonexistent"), layers=(Selection(select=("ALL",)),)).for_file(
    Path(NAME)
)

PREAMBLE = (
    "import dask\n"
    "import dask.array as da\n"
    "import dask.bag as db\n"
    "import dask.dataframe as dd\n"
    "from dask import delayed, compute, persist\n"
    "from dask.distributed import Client, LocalCluster, wait, as_completed\n"
)

# Fixable findings written by hand (the fixtures add many more).
HAND_SNIPPETS = (
    'dask.compute(x, scheduler="processes")',
    'x.compute(scheduler="multiprocessing", chunksize=-1)',
    'dask.compute(*parts, scheduler="processes", chunksize=-1)',
    'dask.config.set(scheduler="processes", chunksize=-1)',
    'dask.config.set({"scheduler": "processes", "chunksize": -1})',
    "delayed(f(x))",
    "total = delayed(sum)(delayed(f)(x))",
    "x.persist()",
    "ddf.persist()",
    "client = Client()",
    "client.submit(f, x)",
    "a, b = delayed(pair)(x)",
    "for i in range(3):\n    dask.compute(delayed(f)(i))",
    "futures = [client.submit(f, i, pure=True) for i in range(3)]",
    'with dask.config.set(scheduler="processes"):\n    dask.compute(x)',
    "arr = da.ones((1000, 1000), chunks=(1, 1))",
    "delayed(f, pure=True)(x)",
    "dask.compute(x, get=dask.threaded.get)",
)

# Templates with `{}` for a block of statements (indented to the placeholder's column).
BLOCK_WRAPPERS = (
    "class Holder:\n    {}\n",
    "class Holder(Base):\n    attribute = 1\n\n    def method(self):\n        {}\n",
    "def outer(x):\n    def inner(y):\n        {}\n\n    return inner\n",
    "try:\n    {}\nexcept Exception as exc:\n    {}\nelse:\n    {}\nfinally:\n    {}\n",
    "try:\n    pass\nexcept* ValueError:\n    {}\n",
    'with dask.config.set(scheduler="threads"):\n    {}\n',
    "with Client() as client, open(path) as handle:\n    {}\n",
    "match command:\n    case [first, *rest]:\n        {}\n    case {{'k': v}}:\n        {}\n"
    "    case _:\n        {}\n",
    'if __name__ == "__main__":\n    {}\n',
    'if __name__ == "__main__":\n    main()\n{}\n',
    "async def main():\n    {}\n",
    "async def main():\n    async with session() as s:\n        {}\n",
    "for i in range(3):\n    {}\nelse:\n    {}\n",
    "while running:\n    {}\n    break\n",
    "square = lambda v: v * v\n{}\ncube = lambda v: v**3\n",
    "@delayed\ndef task(a):\n    {}\n",
    "@dask.delayed(pure=True)\ndef task(a, b=1):\n    {}\n    return a\n",
    "@property\ndef value(self):\n    {}\n",
    "if flag:\n    pass\nelif other:\n    {}\nelse:\n    {}\n",
    "def generator():\n    yield 1\n    {}\n",
    "{}\n{}\n",
)

# Templates with `{}` for one expression.
EXPRESSION_WRAPPERS = (
    "@({})\ndef decorated():\n    pass\n",
    "def defaults(a={}):\n    return a\n",
    "handler = lambda: {}\n",
    "handler = lambda item=({}): item\n",
    "values = [{} for item in items]\n",
    "result = ({}) if flag else None\n",
    "assert {}, 'message'\n",
    "print({}, end='')\n",
    "label = f'{{{}!r:>10}}'\n",
    "class Meta(Base, metaclass={}):\n    pass\n",
    "async def main():\n    return await {}\n",
    "def gen():\n    yield {}\n",
    "pair = ({}, {})\n",
    "if (found := {}):\n    pass\n",
    "return {}\n",
    "global_value: int = {}\n",
)


@dataclass(frozen=True)
class Snippet:
    """Statements that trigger a finding, and the imports they need."""

    code: str
    imports: str


@cache
def snippets() -> tuple[Snippet, ...]:
    """The hand-written snippets and every statement the fixtures mark as a finding."""
    found = [Snippet(code, PREAMBLE) for code in HAND_SNIPPETS]
    for path in sorted(FIXTURES.rglob("*.py")):
        if path.name.startswith("ok_") or "DSK00" in path.parent.name:
            continue
        try:
            module = cst.parse_module(path.read_bytes())
        except Exception:  # fixtures of syntax errors
            continue
        collector = _MarkedStatements(module)
        module.visit(collector)
        imports = "".join(
            module.code_for_node(statement)
            for statement in module.body
            if isinstance(statement, cst.SimpleStatementLine)
            and all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body)
        )
        found.extend(Snippet(code, imports) for code in collector.found)
    return tuple(found)


class _MarkedStatements(cst.CSTVisitor):
    """Statements of at most 25 lines whose code holds an ``# error:`` marker."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.found: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            code = self.module.code_for_node(node.with_changes(leading_lines=()))
            if "# error:" in code and code.count("\n") <= 25:
                self.found.append(textwrap.dedent(code).rstrip("\n"))
        return True


def _indent_fill(template: str, parts: Sequence[str]) -> str:
    """``template`` with each ``{}`` replaced by a part, indented like the placeholder."""
    pieces = [piece.replace("{{", "{").replace("}}", "}") for piece in template.split("{}")]
    out = [pieces[0]]
    for piece, part in zip(pieces[1:], parts, strict=True):
        column = len(out[-1]) - (out[-1].rfind("\n") + 1)
        out.append(part.replace("\n", "\n" + " " * column))
        out.append(piece)
    return "".join(out)


def _expression(code: str) -> str | None:
    """The snippet as one expression, when it is one (or the value of one assignment)."""
    try:
        statements = cst.parse_module(code).body
    except Exception:
        return None
    if len(statements) != 1 or not isinstance(statements[0], cst.SimpleStatementLine):
        return None
    (small,) = statements[0].body if len(statements[0].body) == 1 else (None,)
    if isinstance(small, cst.Expr):
        return cst.Module([]).code_for_node(small.value)
    if isinstance(small, cst.Assign):
        return cst.Module([]).code_for_node(small.value)
    return None


def odd_place(rng: random.Random, depth: int = 0) -> tuple[str, str]:
    """A snippet in a random wrapper (nested up to three deep), and its imports."""
    snippet = rng.choice(snippets())
    expression = _expression(snippet.code)
    if expression is not None and rng.random() < 0.3:
        template = rng.choice(EXPRESSION_WRAPPERS)
        if template.startswith("label = f"):  # no quote of the f-string's own kind inside
            expression = expression.replace("'", '"')
        code = _indent_fill(template, [expression] * template.count("{}"))
        return code.rstrip("\n"), snippet.imports
    code, imports = snippet.code, snippet.imports
    if depth < 3 and rng.random() < 0.7:
        template = rng.choice(BLOCK_WRAPPERS)
        parts = [code]
        for _ in range(template.count("{}") - 1):
            inner, more = odd_place(rng, depth + 1) if rng.random() < 0.5 else ("pass", "")
            parts.append(inner)
            imports += more
        rng.shuffle(parts)
        code = _indent_fill(template, parts).rstrip("\n")
    return code, imports


class _Blocks(cst.CSTVisitor):
    """Counts the blocks (module and indented blocks) and decoratable definitions."""

    def __init__(self) -> None:
        self.blocks = 1  # the module
        self.definitions = 0

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.blocks += 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.definitions += 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.definitions += 1


DECORATORS = ("delayed", "dask.delayed(pure=True)", "delayed(nout=2)", "dask.delayed")


class _Insert(cst.CSTTransformer):
    """Inserts statements into chosen blocks and decorators onto chosen definitions."""

    def __init__(
        self,
        statements: dict[int, list[tuple[int, Sequence[cst.BaseStatement]]]],
        decorators: dict[int, cst.Decorator],
    ) -> None:
        self.statements = statements
        self.decorators = decorators
        self.block = 0
        self.stack: list[int] = []
        self.definition = -1
        self.index_of: dict[int, int] = {}

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.block += 1
        self.stack.append(self.block)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._spliced(self.stack.pop(), updated_node.body))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._spliced(0, updated_node.body))

    def _spliced(self, block: int, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out = list(body)
        for at, statements in sorted(self.statements.get(block, ()), key=lambda p: -p[0]):
            out[min(at, len(out)) : min(at, len(out))] = statements
        return out

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._count(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._count(node)

    def _count(self, node: cst.CSTNode) -> None:
        self.definition += 1
        self.index_of[id(node)] = self.definition

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        decorator = self.decorators.get(self.index_of[id(original_node)])
        if decorator is None:
            return updated_node
        return updated_node.with_changes(decorators=[*updated_node.decorators, decorator])

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        decorator = self.decorators.get(self.index_of[id(original_node)])
        if decorator is None:
            return updated_node
        return updated_node.with_changes(decorators=[decorator, *updated_node.decorators])


def insert_snippets(source: str, rng: random.Random, count: int) -> str:
    """``source`` with ``count`` wrapped snippets inserted into random blocks (a CST edit,
    so the result parses when ``source`` does); text insertion when it does not parse."""
    try:
        module = cst.parse_module(source)
    except Exception:
        return insert_lines(source, rng, count)
    counter = _Blocks()
    module.visit(counter)
    plan: dict[int, list[tuple[int, Sequence[cst.BaseStatement]]]] = {}
    imports = ""
    for _ in range(count):
        code, needed = odd_place(rng)
        imports += needed
        try:
            statements = cst.parse_module(code + "\n").body
        except Exception:  # `return` and the like parse; this guards odd templates only
            continue
        block = rng.randrange(counter.blocks)
        plan.setdefault(block, []).append((rng.randrange(64), statements))
    decorators: dict[int, cst.Decorator] = {}
    if counter.definitions and rng.random() < 0.5:
        decorator = cst.Decorator(cst.parse_expression(rng.choice(DECORATORS)))
        decorators[rng.randrange(counter.definitions)] = decorator
    transformer = _Insert(plan, decorators)
    changed = module.visit(transformer)
    return _with_imports(changed.code, imports, rng)


def _with_imports(source: str, imports: str, rng: random.Random) -> str:
    """The needed imports at the top, or (sometimes) left out or moved to the end."""
    unique = "".join(dict.fromkeys(imports.splitlines(keepends=True)))
    where = rng.random()
    if where < 0.8:
        return unique + source
    if where < 0.9:
        return source + ("\n" if source and not source.endswith("\n") else "") + unique
    return source


def insert_lines(source: str, rng: random.Random, count: int) -> str:
    """Text mutations: delete lines, duplicate lines, insert snippets at random lines with
    a neighbour's indentation (or none); the result often does not parse."""
    lines = source.splitlines(keepends=True)
    for _ in range(count):
        action = rng.randrange(4)
        at = rng.randrange(len(lines) + 1)
        if action == 0 and lines:
            del lines[min(at, len(lines) - 1)]
        elif action == 1 and lines:
            lines.insert(at, lines[rng.randrange(len(lines))])
        else:
            code, _ = odd_place(rng) if action == 2 else (rng.choice(snippets()).code, "")
            neighbour = lines[min(at, len(lines) - 1)] if lines else ""
            indent = re.match(r"[ \t]*", neighbour)
            prefix = indent.group() if indent and rng.random() < 0.7 else " " * rng.choice([0, 4])
            lines.insert(at, prefix + code.replace("\n", "\n" + prefix) + "\n")
    return "".join(lines)


# -- the property --------------------------------------------------------------------------


FORM_FEED_INDENT = re.compile(rb"^[ \t\x0c]*\x0c[ \t\x0c]*[^\s]", re.MULTILINE)


def _parses(source: bytes) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


def _compiles(source: bytes) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, NAME, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


@dataclass
class Checked:
    """What one program did: whether it was fixed, and how many fixes were applied."""

    parsed: bool
    fixes: int


def check(source: str | bytes) -> Checked:
    """The fuzz property for one program (raises AssertionError, or the linter's error)."""
    data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
    result = lint_source(data, NAME, SETTINGS, ProjectIndex())
    assert result.error is None, result.error
    no_internal_error(result)
    _check_locations(data, result.diagnostics)
    outcome = fix_source(data, NAME, SETTINGS, ProjectIndex())
    assert outcome.result.error is None, outcome.result.error
    no_internal_error(outcome.result)
    if any(d.code == "DSK001" for d in result.diagnostics):
        return Checked(False, sum(outcome.fixed.values()))
    _check_fixed(data, outcome)
    if outcome.changed and _compiles(data):
        check_safe_fixes_keep_behaviour(data)
    return Checked(True, sum(outcome.fixed.values()))


def no_internal_error(result: FileResult) -> None:
    """A rule or the semantic model failing is reported as DSK003, and linting returns
    normally: for the property it is a failure all the same."""
    failures = [d.message for d in result.diagnostics if d.code == "DSK003"]
    assert not failures, f"DSK003: {failures}"


def _check_locations(data: bytes, diagnostics: list[Diagnostic]) -> None:
    """Every finding starts and ends inside the text (columns may point just past a
    line's end), and ends where or after it starts."""
    try:
        lines = split_lines(data.decode("utf-8-sig"))
    except UnicodeDecodeError:  # another coding cookie: only the order is checked
        lines = []
    for d in diagnostics:
        start, end = d.location, d.end_location
        assert (1, 1) <= (start.row, start.column) <= (end.row, end.column), d
        if lines and d.code != "DSK002":
            for where in (start, end):
                assert where.row <= len(lines), d
                assert where.column <= len(lines[where.row - 1]) + 1, d


def _check_fixed(data: bytes, outcome: FixOutcome) -> None:
    fixed = outcome.source
    assert outcome.converged, "the fix loop did not converge"
    if _parses(data):  # not when libcst knows syntax newer than this Python
        # The fix loop drops a fix whose result does not parse: none may need to, except
        # where a form feed in an indent (the tokenizer restarts the column after it)
        # lands inside a block that a fix moves, such as DSK101's `__main__` guard.
        if not FORM_FEED_INDENT.search(data):
            assert not outcome.dropped, f"fixes that broke the code: {outcome.dropped}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(fixed)
    if _compiles(data):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(fixed, NAME, "exec", dont_inherit=True)
    assert all(d.code != "DSK001" for d in outcome.result.diagnostics)
    again = fix_source(fixed, NAME, SETTINGS, ProjectIndex())
    assert again.result.error is None, again.result.error
    no_internal_error(again.result)
    assert not again.fixed, f"fixing again applied {dict(again.fixed)}"
    assert again.source == fixed


# -- what safe fixes may not do ------------------------------------------------------------

# Keyword names ``map_blocks``/``map_overlap`` (dask/array/core.py) and ``map_partitions``
# (dask/dataframe/dask_expr/_expr.py) fill in themselves when the function declares them;
# ``computing_meta`` is passed while Dask infers metadata (dask/array/utils.py).
RESERVED_KEYWORDS = frozenset(
    {"block_id", "block_info", "partition_info", "computing_meta", "_overlap_trim_info"}
)


def check_safe_fixes_keep_behaviour(data: bytes) -> None:
    """The safe fixes alone (no ``--unsafe-fixes``) keep what the program does, in the
    ways a rewrite can be checked without running it: no name becomes local where it
    was read from an outer scope (UnboundLocalError, or a new class attribute), no
    statements inside a ``try`` are merged (a result kept when a later one raises would
    be lost), and no keyword Dask fills in itself is bound as a default argument."""
    outcome = fix_source(data, NAME, SAFE_SETTINGS, ProjectIndex())
    assert outcome.result.error is None, outcome.result.error
    if not outcome.changed:
        return
    before, after = data, outcome.source
    assert not new_locals(before, after), f"names made local: {new_locals(before, after)}"
    tries_before, tries_after = try_statement_counts(before), try_statement_counts(after)
    assert len(tries_after) == len(tries_before), "a safe fix added or removed a try"
    merged = [(b, a) for b, a in zip(tries_before, tries_after, strict=True) if a < b]
    assert not merged, f"statements inside a try merged (before, after): {merged}"
    assert reserved_defaults(after) <= reserved_defaults(before), "a reserved keyword bound"


def _tables(source: bytes) -> dict[tuple[str, ...], symtable.SymbolTable]:
    """Every function and class table by its path (kind, name, index among namesakes)."""
    found: dict[tuple[str, ...], symtable.SymbolTable] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        top = symtable.symtable(source.decode("utf-8-sig", "surrogateescape"), NAME, "exec")
    stack: list[tuple[tuple[str, ...], symtable.SymbolTable]] = [((), top)]
    while stack:
        path, table = stack.pop()
        seen: dict[tuple[str, str], int] = {}
        for child in table.get_children():
            kind = str(child.get_type())  # a str, or a StrEnum from Python 3.13
            label = (kind, child.get_name())
            seen[label] = seen.get(label, -1) + 1
            child_path = (*path, f"{kind}:{child.get_name()}#{seen[label]}")
            if kind in ("function", "class"):
                found[child_path] = child
            stack.append((child_path, child))
    return found


def new_locals(before: bytes, after: bytes) -> list[str]:
    """Names local to a function or class body after the fix that it read from an
    enclosing or the module scope before (``path: name``). A new parameter is bound on
    every call (``lambda i=i: ...``), so it does not count."""
    old, new = _tables(before), _tables(after)
    made: list[str] = []
    for path, table in old.items():
        fixed = new.get(path)
        if fixed is None:
            continue
        local_after = {
            s.get_name() for s in fixed.get_symbols() if s.is_local() and not s.is_parameter()
        }
        for symbol in table.get_symbols():
            name = symbol.get_name()
            if symbol.is_referenced() and not symbol.is_local() and name in local_after:
                made.append(f"{'/'.join(path)}: {name}")
    return made


def _statements(body: Sequence[ast.stmt]) -> int:
    """Statements in ``body`` and the blocks nested in it (not in nested definitions)."""
    count = 0
    stack = list(body)
    while stack:
        statement = stack.pop()
        count += 1
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(statement, field, ()):
                if isinstance(child, (ast.ExceptHandler, ast.match_case)):
                    stack.extend(child.body)
                else:
                    stack.append(child)
    return count


def try_statement_counts(source: bytes) -> list[int]:
    """For each ``try`` in walk order, how many statements its body holds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(source)
    kinds = tuple(k for k in (getattr(ast, "Try", None), getattr(ast, "TryStar", None)) if k)
    return [_statements(node.body) for node in ast.walk(tree) if isinstance(node, kinds)]


def reserved_defaults(source: bytes) -> int:
    """Parameters with a default named like a keyword Dask fills in itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(source)
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            positional = [*args.posonlyargs, *args.args]
            with_defaults = positional[len(positional) - len(args.defaults) :]
            with_defaults += [
                a for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None
            ]
            count += sum(a.arg in RESERVED_KEYWORDS for a in with_defaults)
    return count


# -- notebooks -----------------------------------------------------------------------------

MAGICS = ("%matplotlib inline", "!pip list", "%%time", "%%bash", "x = !ls", "%load_ext autoreload")
TIMERS = ("%time ", "%timeit -n 2 ")


def notebook(source: str, rng: random.Random) -> bytes:
    """``source`` cut into up to four code cells at random lines (a statement may be cut
    in two), with IPython magics and a markdown cell thrown in."""
    lines = source.splitlines(keepends=True)
    cuts = sorted(rng.sample(range(len(lines) + 1), min(len(lines) + 1, rng.randint(0, 3))))
    pieces = [lines[a:b] for a, b in zip([0, *cuts], [*cuts, len(lines)], strict=True)]
    cells: list[dict[str, object]] = []
    for piece in pieces:
        if rng.random() < 0.3:
            piece = [rng.choice(MAGICS) + "\n", *piece]
        if piece and rng.random() < 0.3:  # a statement timed by a line magic
            at = rng.randrange(len(piece))
            line = piece[at]
            indent = line[: len(line) - len(line.lstrip())]
            piece = [*piece[:at], indent + rng.choice(TIMERS) + line.lstrip(), *piece[at + 1 :]]
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": piece,
            }
        )
    if rng.random() < 0.5:
        at = rng.randrange(len(cells) + 1)
        cells.insert(at, {"cell_type": "markdown", "metadata": {}, "source": ["# Notes\n"]})
    document = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return (
        json.dumps(document, indent=rng.choice([1, 2]), ensure_ascii=rng.random() < 0.5) + "\n"
    ).encode()


def check_notebook(data: bytes) -> Checked:
    """The property for a notebook: linting and fixing never raise; a fixed notebook is
    JSON with the same cells and fields, and fixing it again changes nothing."""
    name = NAME.replace(".py", ".ipynb")
    result = lint_source(data, name, SETTINGS, ProjectIndex())
    assert result.error is None, result.error
    no_internal_error(result)
    outcome = fix_source(data, name, SETTINGS, ProjectIndex())
    assert outcome.result.error is None, outcome.result.error
    no_internal_error(outcome.result)
    if outcome.changed:
        before, after = json.loads(data), json.loads(outcome.source)
        for cell in (*before["cells"], *after["cells"]):
            cell.pop("source")
        assert before == after, "a fix changed more than cell sources"
        again = fix_source(outcome.source, name, SETTINGS, ProjectIndex())
        assert again.result.error is None, again.result.error
        no_internal_error(again.result)
        assert not again.fixed, f"fixing again applied {dict(again.fixed)}"
        assert again.source == outcome.source
    parsed = all(d.code != "DSK001" for d in result.diagnostics)
    return Checked(parsed, sum(outcome.fixed.values()))
