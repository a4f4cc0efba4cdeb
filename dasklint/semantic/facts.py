"""What each function body does, read once with the standard library's ``ast``.

Task functions are often defined in another module of the project than the one that
turns them into tasks, so their facts are needed across modules. The project index
(:mod:`dasklint.semantic.project`) already reads every Dask-related module with ``ast``
in its cheap first pass; the facts are extracted there, once per function, and the
per-file libcst pass only looks them up. The extractor never runs the code.

The facts are raw observations (names read, calls made, loops written); the judgements
that combine them through callees ("is it trivial", "does it hold the GIL") live in
:mod:`dasklint.semantic.summaries`.
"""

from __future__ import annotations

import ast
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from dasklint.semantic.astvisit import DispatchingVisitor
from dasklint.semantic.effects import NO_EFFECTS, Effects, function_effects, module_variables

# Re-exported: the facts cache stores the dataclasses this module names.
from dasklint.semantic.effects import Mutation as Mutation
from dasklint.semantic.gil import global_numpy_draw
from dasklint.semantic.names import canonical_name

# Calls that let a function read its parameters without naming them.
DYNAMIC_READS = frozenset(
    {"locals", "vars", "eval", "exec", "globals", "sys._getframe", "inspect.currentframe"}
)

# Calls that only wait: what their arguments compute decides how long, never a result.
WAIT_FUNCTIONS = frozenset({"time.sleep", "asyncio.sleep"})

LiteralValue = bool | int | float | str | None


@dataclass(frozen=True, slots=True)
class Decorator:
    """A decorator as written: the name it resolves to and its literal keywords."""

    name: str | None  # qualified through imports, or the bare local name
    keywords: tuple[tuple[str, LiteralValue], ...] = ()

    def keyword(self, key: str) -> LiteralValue:
        return dict(self.keywords).get(key)


@dataclass(frozen=True, slots=True)
class FunctionFacts:
    """Raw facts about one ``def``, in a picklable form."""

    qualname: str  # "f", "Class.method", "outer.inner"
    module: str
    params: tuple[str, ...]  # positional parameters in order (positional-only included)
    kwonly: tuple[str, ...]
    vararg: str | None
    kwarg: str | None
    decorators: tuple[Decorator, ...]
    reads: frozenset[str]  # names loaded anywhere in the body (nested functions included)
    # For parameters whose every use is ``param[name]``: the names used as the index.
    subscript_only: tuple[tuple[str, frozenset[str]], ...]
    dynamic_reads: bool  # locals(), vars(), eval(), ...: parameters may be read unnamed
    loops: int  # for/while loops and comprehensions, except over short literal sequences
    calls: tuple[str, ...]  # callees: "numpy.sum" (import), "len"/"helper" (bare), ".split"
    statements: int  # statements in the body, nested ones included, docstring excluded
    simple_statements: bool  # only return/assign/pass/if statements
    computes: bool  # calls .compute()/.persist() or dask.compute inside
    is_method: bool = False
    is_async: bool = False
    recursive: bool = False
    returns_value: bool = field(default=True)
    effects: Effects = NO_EFFECTS  # changes to its inputs and to outer state
    # Callees whose every call only decides how long to wait: inside the arguments of
    # ``time.sleep(...)``, or bound to a name that only such arguments read
    # (``time.sleep(random.random())``: the wait is random, the result is not).
    waits: frozenset[str] = frozenset()
    # Per ``return <value>`` of the function itself: the qualified name of the call the
    # value comes from (``return dd.read_csv(p).persist()`` gives ``dask.dataframe.read_csv``),
    # or "" when it is not a call the imports name. Empty when it returns nothing.
    returned_calls: tuple[str, ...] = ()
    # Names the body reads but never binds (no parameter, assignment or import of that
    # name anywhere in it): module globals, closure variables and builtins.
    free_reads: frozenset[str] = frozenset()
    # A ``return`` of the function itself gives a list, set or dict it builds (alone or
    # in a tuple): a comprehension, or a name bound to one or to an empty display
    # (``out = []``) in a function with loops. Such a result grows with the work.
    returns_built: bool = False
    # Parameters whose ``.load()`` the body calls (xarray's in-place compute): a task run
    # by ``client.submit`` receives Dask-backed arguments unmaterialised.
    loaded_params: frozenset[str] = frozenset()
    # Draws arrays (``size=...``) from NumPy's global random generator: one lock for all
    # threads (see ``dasklint.semantic.gil.GLOBAL_NUMPY_DRAWS``). Single numbers are cheap.
    sized_global_draws: bool = False

    def subscripts(self, param: str) -> frozenset[str] | None:
        return dict(self.subscript_only).get(param)


@dataclass(frozen=True, slots=True)
class ModuleFacts:
    """A module's functions (in definition order per qualified name) and imports."""

    name: str
    path: str
    digest: int
    functions: tuple[tuple[str, tuple[FunctionFacts, ...]], ...]
    imports: tuple[tuple[str, str], ...]  # local name -> qualified name
    variables: frozenset[str] = frozenset()  # names assigned at the module's top level
    # Top-level ``name = <call>(...)``: the name and the qualified name of the call
    # (``rng = np.random.default_rng(0)`` gives ``("rng", "numpy.random.default_rng")``).
    bound_calls: tuple[tuple[str, str], ...] = ()

    def function(self, qualname: str, occurrence: int = -1) -> FunctionFacts | None:
        # A scan, not ``dict(self.functions)``: building the mapping on every call cost
        # more than the scan (the model asks several hundred times per module).
        found = next((facts for name, facts in self.functions if name == qualname), None)
        if not found:
            return None
        try:
            return found[occurrence]
        except IndexError:
            return found[-1]


def module_facts(tree: ast.Module, name: str, path: str, digest: int) -> ModuleFacts:
    """Facts about every function of a parsed module."""
    imports = _imports(tree, name, path.endswith("__init__.py"))
    found: dict[str, list[FunctionFacts]] = {}
    _collect(tree.body, "", False, name, imports, found)
    return ModuleFacts(
        name=name,
        path=path,
        digest=digest,
        functions=tuple((q, tuple(fs)) for q, fs in found.items()),
        imports=tuple(sorted(imports.items())),
        variables=module_variables(tree),
        bound_calls=module_bound_calls(tree, imports),
    )


_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(slots=True)
class _Part:
    tree: ast.Module
    first_line: int  # the line its tree's line numbers start at
    # (module name, is package, imports) -> what ``_collect`` found in this part, at
    # ``first_line`` (facts hold line numbers: a part that moves is read again)
    found: dict[tuple[str, bool, tuple[tuple[str, str], ...]], dict[str, list[FunctionFacts]]]


class PartsFacts:
    """Facts of successive versions of one module given as its top-level statements' text
    (the language server): a statement whose text, first line and module imports did not
    change keeps its parse and its functions' facts. Equal to :func:`module_facts` of the
    whole text (``tests/test_incremental.py`` checks it)."""

    def __init__(self) -> None:
        self._parts: dict[str, _Part] = {}

    def facts(self, parts: list[str], name: str, path: str, digest: int) -> ModuleFacts | None:
        """None when a part does not parse on its own (the caller parses the whole)."""
        kept: dict[tuple[str, int], _Part] = {}
        ordered: list[_Part] = []
        line = 1
        for text in parts:
            part = kept.get((text, line)) or self._reuse(text, line)
            if part is None:
                try:
                    tree = ast.parse(text)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    return None
                if line > 1:
                    ast.increment_lineno(tree, line - 1)
                part = _Part(tree, line, {})
            kept[(text, line)] = part
            ordered.append(part)
            line += len(_LINE_END.findall(text))
        self._parts = {text: part for (text, _), part in kept.items()}
        whole = ast.Module(body=[s for part in ordered for s in part.tree.body], type_ignores=[])
        is_package = path.endswith("__init__.py")
        imports = _imports(whole, name, is_package)
        key = (name, is_package, tuple(sorted(imports.items())))
        found: dict[str, list[FunctionFacts]] = {}
        for part in ordered:
            own = part.found.get(key)
            if own is None:
                own = part.found[key] = {}
                _collect(part.tree.body, "", False, name, imports, own)
            for qualname, facts in own.items():
                found.setdefault(qualname, []).extend(facts)
        return ModuleFacts(
            name=name,
            path=path,
            digest=digest,
            functions=tuple((q, tuple(fs)) for q, fs in found.items()),
            imports=key[2],
            variables=module_variables(whole),
            bound_calls=module_bound_calls(whole, imports),
        )

    def _reuse(self, text: str, line: int) -> _Part | None:
        part = self._parts.get(text)
        return part if part is not None and part.first_line == line else None


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of ``from <dots><target> import ...`` written in ``module``."""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    if target:
        parts.append(target)
    return ".".join(parts)


# Nodes that hold statements. Imports are statements and expressions hold none, so a
# breadth-first walk over these alone meets the imports in the order ``ast.walk`` does
# (later imports of a name win) without visiting any expression.
_BLOCK_NODES = (ast.stmt, ast.excepthandler, ast.match_case)


def _statements_breadth_first(tree: ast.Module) -> Iterator[ast.AST]:
    todo: deque[ast.AST] = deque(tree.body)
    while todo:
        node = todo.popleft()
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list and value and isinstance(value[0], _BLOCK_NODES):
                todo.extend(value)
        yield node


def _imports(tree: ast.Module, module: str, is_package: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in _statements_breadth_first(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = canonical_name(alias.name)
                else:
                    top = alias.name.split(".", 1)[0]
                    out[top] = top
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = resolve_relative(module, is_package, node.level, node.module)
            for alias in node.names:
                if alias.name != "*":
                    full = f"{base}.{alias.name}" if base else alias.name
                    out[alias.asname or alias.name] = canonical_name(full)
    return out


def _collect(
    body: list[ast.stmt],
    prefix: str,
    in_class: bool,
    module: str,
    imports: dict[str, str],
    found: dict[str, list[FunctionFacts]],
) -> None:
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qualname = prefix + stmt.name
            found.setdefault(qualname, []).append(
                _function_facts(stmt, qualname, module, imports, in_class)
            )
            _collect(stmt.body, qualname + ".", False, module, imports, found)
        elif isinstance(stmt, ast.ClassDef):
            _collect(stmt.body, prefix + stmt.name + ".", True, module, imports, found)
        else:
            for child in _child_blocks(stmt):
                _collect(child, prefix, in_class, module, imports, found)


def _child_blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    blocks: list[list[ast.stmt]] = []
    for name in ("body", "orelse", "finalbody"):
        value = getattr(stmt, name, None)
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            blocks.append(value)
    for handler in getattr(stmt, "handlers", ()):
        blocks.append(handler.body)
    for case in getattr(stmt, "cases", ()):
        blocks.append(case.body)
    return blocks


def dotted(expr: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return parts[::-1]


def qualify(expr: ast.expr, imports: dict[str, str]) -> str | None:
    """``np.sum`` -> ``numpy.sum`` through the module's imports; bare names stay bare."""
    parts = dotted(expr)
    if parts is None:
        return None
    head = imports.get(parts[0])
    if head is None:
        return ".".join(parts) if len(parts) == 1 else None
    return canonical_name(".".join([head, *parts[1:]]))


def _literal(expr: ast.expr) -> LiteralValue:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (bool, int, float, str)):
        return expr.value
    return None


def _decorator(expr: ast.expr, imports: dict[str, str]) -> Decorator:
    if isinstance(expr, ast.Call):
        keywords = tuple((k.arg, _literal(k.value)) for k in expr.keywords if k.arg is not None)
        return Decorator(qualify(expr.func, imports), keywords)
    return Decorator(qualify(expr, imports))


def _short_literal_loop(iterable: ast.expr) -> bool:
    """``for x in (a, b, c)`` or ``range(3)``: a handful of iterations, cheap."""
    if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
        return len(iterable.elts) <= 8 and not any(
            isinstance(e, ast.Starred) for e in iterable.elts
        )
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Name)
        and iterable.func.id == "range"
        and iterable.args
        and all(isinstance(a, ast.Constant) and isinstance(a.value, int) for a in iterable.args)
    ):
        bounds = [
            a.value
            for a in iterable.args
            if isinstance(a, ast.Constant) and isinstance(a.value, int)
        ]
        try:
            return len(range(*bounds)) <= 8
        except (TypeError, ValueError):
            return False
    return False


class _BodyVisitor(DispatchingVisitor):
    """Walks a function body (nested functions and lambdas included)."""

    def __init__(self, imports: dict[str, str], params: set[str], own_name: str) -> None:
        self.imports = imports
        self.params = params
        self.own_name = own_name
        self.reads: set[str] = set()
        # Names bound anywhere in the body (nested scopes included): assignment and loop
        # targets, imports, nested definitions and their parameters, ``except ... as``.
        self.bound: set[str] = set(params)
        self.subscripts: dict[str, set[str]] = {}
        self.other_uses: set[str] = set()
        self.calls: list[str] = []
        self.loops = 0
        self.computes = False
        self.recursive = False
        self.returns_value = False  # a ``return <value>`` anywhere, nested functions included
        self.loaded: set[str] = set()
        self.sized_draws = False
        self._subscript_names: set[int] = set()
        # What decides only a wait: calls inside ``time.sleep(...)`` arguments, and names
        # bound to calls that are read only there (see ``waits``).
        self._in_wait = 0
        self._assigning: str | None = None
        self._occurrences: Counter[str] = Counter()
        self._wait_occurrences: Counter[str] = Counter()
        self._assigned_calls: dict[str, list[str]] = {}
        self._reads_in_wait: Counter[str] = Counter()
        self._reads_elsewhere: Counter[str] = Counter()

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.returns_value = True
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            self.bound.add(node.id)
            return
        self.reads.add(node.id)
        (self._reads_in_wait if self._in_wait else self._reads_elsewhere)[node.id] += 1
        if node.id in self.params and id(node) not in self._subscript_names:
            self.other_uses.add(node.id)

    def visit_arg(self, node: ast.arg) -> None:
        self.bound.add(node.arg)
        self.generic_visit(node)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        self.bound.update((a.asname or a.name).split(".", 1)[0] for a in node.names)

    visit_Import = _import
    visit_ImportFrom = _import

    def _definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.bound.add(node.name)
        self.generic_visit(node)

    visit_FunctionDef = _definition
    visit_AsyncFunctionDef = _definition
    visit_ClassDef = _definition

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.bound.add(node.name)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        value, index = node.value, node.slice
        if (
            isinstance(value, ast.Name)
            and value.id in self.params
            and isinstance(node.ctx, ast.Load)
            and isinstance(index, ast.Name)
        ):
            self._subscript_names.add(id(value))
            self.subscripts.setdefault(value.id, set()).add(index.id)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        target = node.targets[0] if len(node.targets) == 1 else None
        outer = self._assigning
        self._assigning = target.id if isinstance(target, ast.Name) else None
        self.visit(node.value)
        self._assigning = outer
        for item in node.targets:
            self.visit(item)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = qualify(func, self.imports)
        if name is not None:
            self._occurrences[name] += 1
            if self._in_wait:
                self._wait_occurrences[name] += 1
            elif self._assigning is not None:
                self._assigned_calls.setdefault(self._assigning, []).append(name)
            if name in WAIT_FUNCTIONS:
                self.calls.append(name)
                self.visit(func)
                self._in_wait += 1
                for item in [*node.args, *node.keywords]:
                    self.visit(item)
                self._in_wait -= 1
                return
            self.calls.append(name)
            if global_numpy_draw(name) and _sized_draw(name, node):
                self.sized_draws = True
            if name == self.own_name:
                self.recursive = True
            if name in ("dask.compute", "dask.persist"):
                self.computes = True
        elif isinstance(func, ast.Attribute):
            self.calls.append("." + func.attr)
            if func.attr in ("compute", "persist") and not node.args:
                self.computes = True
            if (
                func.attr == "load"
                and not node.args
                and isinstance(func.value, ast.Name)
                and func.value.id in self.params
            ):
                self.loaded.add(func.value.id)
        self.generic_visit(node)

    def _loop(self, iterable: ast.expr | None) -> None:
        if iterable is None or not _short_literal_loop(iterable):
            self.loops += 1

    def visit_For(self, node: ast.For) -> None:
        self._loop(node.iter)
        self.generic_visit(node)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._loop(node.iter)
        self.generic_visit(node)

    def visit_While(self, node: ast.While) -> None:
        self._loop(None)
        self.generic_visit(node)

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
    ) -> None:
        self._loop(node.generators[0].iter if len(node.generators) == 1 else None)
        self.generic_visit(node)

    visit_ListComp = _comprehension
    visit_SetComp = _comprehension
    visit_DictComp = _comprehension
    visit_GeneratorExp = _comprehension

    def waits(self) -> frozenset[str]:
        """Callees whose every call only decides the length of a wait."""
        in_wait = Counter(self._wait_occurrences)
        for bound, callees in self._assigned_calls.items():
            if self._reads_in_wait[bound] and not self._reads_elsewhere[bound]:
                in_wait.update(callees)
        return frozenset(c for c, n in self._occurrences.items() if in_wait[c] >= n)


# ``np.random.rand(1000)``: draws whose positional arguments are the shape.
_SHAPE_FIRST = frozenset({"rand", "randn"})
# ``np.random.random(1000)``: draws whose first positional argument is the size.
_SIZE_FIRST = frozenset(
    {"random", "random_sample", "ranf", "sample", "standard_normal", "standard_exponential",
     "standard_cauchy", "bytes", "permutation", "shuffle"}
)  # fmt: skip


def _sized_draw(name: str, call: ast.Call) -> bool:
    """The draw makes an array (a ``size=``/shape), not one number."""
    function = name.rpartition(".")[2]
    if any(k.arg == "size" for k in call.keywords):
        return True
    if function in _SHAPE_FIRST or function in _SIZE_FIRST:
        return bool(call.args)
    return False


def _count_statements(body: list[ast.stmt]) -> tuple[int, bool]:
    count, simple = 0, True
    for stmt in body:
        count += 1
        if isinstance(stmt, ast.If):
            inner, inner_simple = _count_statements([*stmt.body, *stmt.orelse])
            count += inner
            simple = simple and inner_simple
        elif not isinstance(stmt, (ast.Return, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Pass)):
            simple = False
    return count, simple


def _function_facts(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    qualname: str,
    module: str,
    imports: dict[str, str],
    is_method: bool,
) -> FunctionFacts:
    args = node.args
    params = tuple(a.arg for a in [*args.posonlyargs, *args.args])
    kwonly = tuple(a.arg for a in args.kwonlyargs)
    vararg = args.vararg.arg if args.vararg else None
    kwarg = args.kwarg.arg if args.kwarg else None
    every = {*params, *kwonly, *(n for n in (vararg, kwarg) if n)}
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    visitor = _BodyVisitor(imports, every, node.name)
    for stmt in body:
        visitor.visit(stmt)
    # Defaults and decorators are evaluated outside the body; they read no parameter.
    statements, simple = _count_statements(body)
    subscript_only = tuple(
        (param, frozenset(indices))
        for param, indices in sorted(visitor.subscripts.items())
        if param not in visitor.other_uses
    )
    return FunctionFacts(
        qualname=qualname,
        module=module,
        params=params,
        kwonly=kwonly,
        vararg=vararg,
        kwarg=kwarg,
        decorators=tuple(_decorator(d, imports) for d in node.decorator_list),
        reads=frozenset(visitor.reads),
        subscript_only=subscript_only,
        dynamic_reads=any(call in DYNAMIC_READS for call in visitor.calls),
        loops=visitor.loops,
        calls=tuple(dict.fromkeys(visitor.calls)),
        statements=statements,
        simple_statements=simple,
        computes=visitor.computes,
        is_method=is_method,
        is_async=isinstance(node, ast.AsyncFunctionDef),
        recursive=visitor.recursive,
        returns_value=visitor.returns_value,
        effects=function_effects(node),
        waits=visitor.waits(),
        returned_calls=_returned_calls(body, imports),
        free_reads=frozenset(visitor.reads - visitor.bound),
        returns_built=visitor.loops > 0 and _returns_built(body),
        loaded_params=frozenset(visitor.loaded),
        sized_global_draws=visitor.sized_draws,
    )


def module_bound_calls(tree: ast.Module, imports: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Top-level ``name = <call>(...)`` statements (``if``/``try`` blocks included), by
    the qualified name of the call; a later binding of a name wins."""
    found: dict[str, str] = {}
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        stmt = stack.pop(0)
        if isinstance(stmt, (ast.If, ast.Try)):
            for child in _child_blocks(stmt):
                stack.extend(child)
            continue
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        if isinstance(stmt, ast.AnnAssign):
            targets = [stmt.target]
        for target in targets:
            if isinstance(target, ast.Name):
                name = qualify(value.func, imports) if isinstance(value, ast.Call) else None
                if name is None:
                    found.pop(target.id, None)
                else:
                    found[target.id] = name
    return tuple(sorted(found.items()))


_BUILT = (ast.ListComp, ast.SetComp, ast.DictComp)
_EMPTY_BUILDERS = frozenset({"list", "dict", "set"})


def _returns_built(body: list[ast.stmt]) -> bool:
    """A ``return`` of the function itself gives (alone or in a tuple) a comprehension,
    or a name the body binds to a comprehension or to a new list, dict or set."""
    containers: set[str] = set()
    returned: list[ast.expr] = []
    for node in _own_nodes(body):
        if isinstance(node, ast.Return) and node.value is not None:
            returned.append(node.value)
        elif isinstance(node, ast.Assign) and _container(node.value):
            containers.update(t.id for t in node.targets if isinstance(t, ast.Name))
    values = [e for v in returned for e in (v.elts if isinstance(v, ast.Tuple) else [v])]
    return any(
        isinstance(value, _BUILT) or (isinstance(value, ast.Name) and value.id in containers)
        for value in values
    )


def _container(value: ast.expr) -> bool:
    if isinstance(value, _BUILT):
        return True
    if isinstance(value, (ast.List, ast.Set)):
        return not value.elts
    if isinstance(value, ast.Dict):
        return not value.keys
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in _EMPTY_BUILDERS
        and not value.args
        and not value.keywords
    )


# Methods after which a returned value is no longer the collection it was built from.
_RESULT_METHODS = frozenset({"compute", "result", "tolist", "to_numpy", "item", "values"})
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _returned_calls(body: list[ast.stmt], imports: dict[str, str]) -> tuple[str, ...]:
    """What each ``return`` of the function (not of a nested one) returns a call of."""
    return tuple(
        _returned_call(node.value, imports)
        for node in _own_nodes(body)
        if isinstance(node, ast.Return) and node.value is not None
    )


def _own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """The statements of a function's body (and the nodes directly under them), not those
    of functions, classes or lambdas nested in it; a ``return``'s value is not entered."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, _NESTED):
            continue
        yield node
        if isinstance(node, ast.Return):
            continue
        if isinstance(node, ast.stmt):
            stack.extend(ast.iter_child_nodes(node))
        elif isinstance(node, (ast.ExceptHandler, ast.match_case)):
            stack.extend(node.body)


def _returned_call(value: ast.expr, imports: dict[str, str]) -> str:
    """``dd.read_csv(p).query(q)`` -> ``dask.dataframe.read_csv``; "" when not known."""
    while True:
        if isinstance(value, ast.Call):
            name = qualify(value.func, imports)
            if name is not None:
                return name
            func = value.func
            if not isinstance(func, ast.Attribute) or func.attr in _RESULT_METHODS:
                return ""
            value = func.value
        elif isinstance(value, ast.Subscript) or (
            isinstance(value, ast.Attribute) and value.attr not in _RESULT_METHODS
        ):
            value = value.value
        else:
            return ""
