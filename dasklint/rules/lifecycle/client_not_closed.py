"""DSK202 client-not-closed.

Its walks (in ``_fix``, ``_used_after``) only decide whether the ``with`` rewrite keeps
every use of the block's names inside it: they serve the fix.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from dasklint.diagnostics import Applicability, FixAvailability, Severity
from dasklint.fix import Fix, NodeEdit
from dasklint.rule import Rule, RuleContext
from dasklint.rules._local_cluster import (
    _defines_names,
    _unindent_blank_lines,
    has_main_guard,
)
from dasklint.semantic.lifecycle import (
    CLIENT,
    HandleKind,
    binding_of,
    bound_target,
    handle_kind,
    handle_use,
    starts_cluster,
    target_names,
    values_outlive,
)
from dasklint.semantic.names import ScopeKind
from dasklint.semantic.origin import is_main_guard
from dasklint.semantic.tree import walk_subtree

_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


@dataclass(frozen=True, slots=True)
class _Creation:
    call: cst.Call
    kind: HandleKind
    starts: bool  # starts its own cluster (not only a connection)
    scope: cst.FunctionDef | None  # None: module level
    in_main_guard: bool


class ClientNotClosed(Rule):
    """
    ## What it does
    Checks for a `Client` or a cluster (`LocalCluster`, `SubprocessCluster`,
    `SpecCluster`, `SSHCluster`) that is never closed: bound to a name in a function or
    in a script with no `.close()` or `.shutdown()` on that name and no `with` block, or
    created without a name at all. It also reports a cluster passed to `Client(...)`
    that is closed only through the Client: `client.close()` does not close it.

    Not reported: `with Client(...) as client:` (and `with client:` later),
    `contextlib.closing(...)`, `ExitStack.enter_context(...)`, handles that are returned,
    yielded (pytest fixtures), stored in an attribute or container, passed to another
    function, declared `global` or used by a nested function (the code that receives them
    may close them), class attributes, notebooks and files exported from them (the kernel
    keeps the client for the session on purpose) and clients at module level of a module
    that only defines functions (a client shared by the whole process). A `.close()` anywhere in the
    scope counts, even on a path that may not run.

    This rule is not enabled by default: most scripts create one Client for the whole
    run and leave closing it to the interpreter's exit, which is harmless there. Select
    it (`--extend-select DSK202`) for libraries, services and test suites, where a
    function that opens a client runs many times.

    ## Why is this bad?
    Nothing closes a Client for you: garbage collection does not (the client's event-loop
    handlers keep it alive after the last name for it is gone), so a `Client()` created in
    a function keeps its scheduler and workers running until the interpreter exits, and
    every call leaves another one behind. `client.close()` closes the cluster only when the
    Client started it: a cluster passed to `Client(cluster)` keeps running until it is
    closed itself (or `client.shutdown()` is called). The Dask docs use context managers
    for a clean shutdown.

    ## Example
    ```python
    from dask.distributed import Client

    def total(values):
        client = Client(processes=False)
        return client.submit(sum, values).result()
    ```

    Use instead:
    ```python
    from dask.distributed import Client

    def total(values):
        with Client(processes=False) as client:
            return client.submit(sum, values).result()
    ```

    ## Fix safety
    The fix turns `name = Client(...)` into `with Client(...) as name:` around the rest
    of its block. It is unsafe: the client (and the cluster it started) now closes at the
    end of the block, which takes a moment and stops futures and persisted collections
    made with it. The fix is offered only where nothing can use the client after the
    block: every use of the name is inside it, nothing bound in it is used after it, it
    has no `yield`, `global` or `nonlocal`, and no future or persisted collection made in
    it is returned or stored into an attribute, an item or a container from outside the
    block (results brought back with `.result()`, `.gather()`, `.compute()` or
    `dask.compute` are plain values and may leave). It is not offered for
    `await Client(...)` (that needs `async with`), nor at module level when the rest of
    the module defines functions or classes or imports modules.

    ## References
    - [Dask: Python API, use context managers](https://docs.dask.org/en/stable/deploying-python-advanced.html)
    - [Dask: Machine learning, `with LocalCluster() as cluster:`](https://docs.dask.org/en/stable/ml.html)
    - [Distributed: `Client.close`](https://distributed.dask.org/en/stable/api.html#distributed.Client.close)
    """

    code = "DSK202"
    name = "client-not-closed"
    summary = "A Client or cluster is never closed and runs until the interpreter exits"
    severity = Severity.INFO
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "unsafe: wrap the rest of the block in `with Client(...) as client:`"
    default_enabled = False

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._found: list[_Creation] = []

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.model.qualified_name(node.func)
        kind = handle_kind(qualified)
        if kind is None or self.model.scopes.current.kind in (
            ScopeKind.CLASS,
            ScopeKind.COMPREHENSION,
        ):
            return
        scope = self.model.function_node()
        if scope is not None and not isinstance(scope, cst.FunctionDef):
            return  # a lambda: it may never run
        self._found.append(
            _Creation(
                call=node,
                kind=kind,
                starts=starts_cluster(qualified, node),
                scope=scope,
                in_main_guard=any(is_main_guard(a) for a in self.model.ancestors),
            )
        )

    def finish(self) -> None:
        if not self._found or self.context.interactive:
            return
        script = None
        for creation in self._found:
            if creation.scope is None and not creation.in_main_guard:
                if script is None:
                    script = not self.context.is_test_file and self._script_like()
                if not script:
                    continue
            self._check(creation)

    def _script_like(self) -> bool:
        """The module runs work when executed (it is not only definitions)."""
        module = self.module
        if has_main_guard(module) or any(not s.in_function for s in self.model.compute_sites):
            return True
        for statement in module.body:
            if isinstance(statement, (cst.For, cst.While, cst.With, cst.Try)):
                return True
            if isinstance(statement, cst.SimpleStatementLine) and any(
                isinstance(small, cst.Expr) and isinstance(small.value, (cst.Call, cst.Await))
                for small in statement.body
            ):
                return True
        return False

    def _check(self, creation: _Creation) -> None:
        table = self.model.parents.table
        call = creation.call
        scope: cst.CSTNode = creation.scope or self.module
        name, binder = binding_of(call, table)
        if name is None:
            if isinstance(binder, cst.Expr):
                self.report(
                    call,
                    f"{_spelled(creation)} is created without a name, so nothing closes it",
                    help=f"use `with {_short(creation)} as ...:`",
                    notes=[_consequence(creation)],
                )
            elif isinstance(binder, cst.Arg) and creation.kind is HandleKind.CLUSTER:
                self._inline_cluster(creation, binder, table, scope)
            return
        if isinstance(binder, cst.WithItem):
            return
        use = handle_use(scope, name, self.model.qualified_name)
        if use.escapes or use.closed:
            return
        through_client = False
        for fed in use.fed_clients:
            state = self._client_state(fed, table, scope)
            if state in ("escapes", "shutdown"):
                return  # the caller may close it, or ``shutdown()`` closes it
            if state == "closed":
                through_client = True
        if through_client:
            message = f"`{name}` is never closed (closing its Client does not close it)"
            why = (
                "closing the Client connected to it does not close a cluster passed to "
                "`Client(...)`, so its scheduler and workers keep running until the "
                "interpreter exits"
            )
        else:
            message = f"`{name} = {_short(creation)}` is never closed"
            why = _consequence(creation)
        self.report(
            call,
            message,
            fix=self._fix(creation, name, binder, scope, table),
            help=f"use `with {_short(creation)} as {name}:` or call `{name}.close()`",
            notes=[why],
        )

    def _client_state(
        self, client: cst.Call, table: dict[int, cst.CSTNode], scope: cst.CSTNode
    ) -> str:
        """What happens to a Client built from a cluster: escapes, shutdown, closed, open."""
        name, binder = binding_of(client, table)
        if name is None:
            if isinstance(binder, cst.WithItem):
                return "closed"
            return "open" if isinstance(binder, cst.Expr) else "escapes"
        if isinstance(binder, cst.WithItem):
            use = handle_use(scope, name, self.model.qualified_name)
            return "shutdown" if use.shut_down else "closed"
        use = handle_use(scope, name, self.model.qualified_name)
        if use.escapes:
            return "escapes"
        if use.shut_down:
            return "shutdown"
        return "closed" if use.closed else "open"

    def _inline_cluster(
        self,
        creation: _Creation,
        arg: cst.Arg,
        table: dict[int, cst.CSTNode],
        scope: cst.CSTNode,
    ) -> None:
        client = table.get(id(arg))
        if not isinstance(client, cst.Call) or self.model.qualified_name(client.func) != CLIENT:
            return
        if arg.keyword is not None and arg.keyword.value != "address":
            return
        state = self._client_state(client, table, scope)
        if state in ("escapes", "shutdown"):
            return
        self.report(
            creation.call,
            f"The cluster created by {_spelled(creation)} inside `Client(...)` is never closed",
            help=f"create it with `with {_short(creation)} as cluster:` and pass `cluster`",
            notes=[
                "closing the Client does not close a cluster passed to it, so its scheduler "
                "and workers keep running until the interpreter exits"
            ],
        )

    # ----------------------------------------------------------------- the fix
    def _fix(
        self,
        creation: _Creation,
        name: str,
        binder: cst.CSTNode,
        scope: cst.CSTNode,
        table: dict[int, cst.CSTNode],
    ) -> Fix | None:
        if not isinstance(binder, (cst.Assign, cst.AnnAssign)) or binder.value is not creation.call:
            return None  # ``await Client(asynchronous=True)`` needs ``async with``
        statement = table.get(id(binder))
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        block = table.get(id(statement))
        if not isinstance(block, (cst.IndentedBlock, cst.Module)):
            return None
        body = list(block.body)
        index = next(i for i, s in enumerate(body) if s is statement)
        region = body[index + 1 :]
        if not region:
            return None
        if isinstance(block, cst.Module) and any(_defines_names(s) for s in region):
            return None  # definitions must stay importable at module level
        inside = {id(n) for s in region for n in walk_subtree(s)}
        use = handle_use(scope, name, self.model.qualified_name)
        if any(id(load) not in inside for load in use.loads):
            return None
        if values_outlive(region, name, self.model.qualified_name):
            return None
        own_body = block is self.module or table.get(id(block)) is scope
        if not own_body and _used_after(region, scope, inside):
            return None
        moved = [_unindent_blank_lines(s) for s in region]
        item = cst.WithItem(item=creation.call, asname=cst.AsName(name=cst.Name(name)))
        with_node = cst.With(
            items=[item],
            body=cst.IndentedBlock(body=moved, header=statement.trailing_whitespace),
            leading_lines=statement.leading_lines,
        )
        edits = [NodeEdit(statement, with_node)]
        edits.extend(NodeEdit(s, cst.RemoveFromParent()) for s in region)
        return Fix(
            f"Use `with {_short(creation)} as {name}:` around the rest of the block",
            Applicability.UNSAFE,
            tuple(edits),
            caveat="the client closes at the end of the block, and futures made with it stop "
            "working",
        )


def _used_after(region: list[cst.BaseStatement], scope: cst.CSTNode, inside: set[int]) -> bool:
    """A name bound in the region also appears outside it, in the same scope."""
    bound: set[str] = set()
    for statement in region:
        for node in walk_subtree(statement, prune=lambda n: isinstance(n, _SCOPES)):
            target = bound_target(node)
            if target is not None:
                bound |= target_names(target)
            elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                bound.add(node.name.value)
    if not bound:
        return False
    root = scope.body if isinstance(scope, cst.FunctionDef) else scope
    return any(
        isinstance(node, cst.Name) and node.value in bound and id(node) not in inside
        for node in walk_subtree(root)
    )


def _spelled(creation: _Creation) -> str:
    return f"`{_short(creation)}`"


def _short(creation: _Creation) -> str:
    func = creation.call.func
    text = func.attr.value if isinstance(func, cst.Attribute) else None
    if isinstance(func, cst.Name):
        text = func.value
    return f"{text or 'Client'}(...)" if creation.call.args else f"{text or 'Client'}()"


def _consequence(creation: _Creation) -> str:
    if creation.scope is None:
        return (
            "the interpreter's exit hooks are left to close it after the script's last line; "
            "a `with` block closes it as soon as the work is done"
        )
    if creation.kind is HandleKind.CLUSTER:
        return (
            "its scheduler and workers keep running until the interpreter exits (garbage "
            "collection does not close it)"
        )
    if creation.starts:
        return (
            "the Client and the local cluster it started keep running until the interpreter "
            "exits (garbage collection does not close a Client)"
        )
    return (
        "its connection to the scheduler stays open until the interpreter exits (garbage "
        "collection does not close a Client)"
    )
