"""DSK706 get-client-without-secede.

Its one walk (the name's rebindings in the body) only decides whether the fix is right.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, ImportSpec
from dasklint.fix import unsafe as unsafe_fix
from dasklint.rule import Rule, RuleContext
from dasklint.rules._common import source_of
from dasklint.rules.futures._futures import imported_name
from dasklint.semantic.flow import bound_names, preorder
from dasklint.semantic.futures import (
    AS_COMPLETED,
    GET_CLIENT,
    SECEDE,
    WAIT,
    WORKER_CLIENT,
    client_call,
    future_kind,
)
from dasklint.semantic.names import BindingKind

_FUNCTIONS = (cst.FunctionDef, cst.Lambda)
# Last names of the functions this rule resolves (resolving every call costs time).
_NAMED = frozenset({"get_client", "secede", "wait"})


@dataclass(slots=True)
class _Function:
    """What one function body does with clients, as the traversal sees it."""

    node: cst.FunctionDef | cst.Lambda
    get_clients: list[cst.Call] = field(default_factory=list)
    waits: list[tuple[cst.CSTNode, str]] = field(default_factory=list)
    secedes: bool = False
    worker_client: tuple[str | None, tuple[ImportSpec, ...]] | None = None
    remove: tuple[ImportSpec, ...] = ()


class GetClientWithoutSecede(Rule):
    """
    ## What it does
    Checks for a task function (one passed to `client.submit`/`client.map`,
    `dask.delayed`, `map_partitions`, ... in this module, or decorated with
    `@dask.delayed`) that gets a client with `get_client()` and then blocks until other
    tasks finish (`future.result()`, `client.gather(...)`, `wait(...)`,
    `client.compute(..., sync=True)`, a loop over `as_completed(...)`) without calling
    `secede()` first. Waits inside `with worker_client() as client:` are not reported,
    nor are tasks that submit work without waiting for it, nor `compute()` calls, which
    secede by themselves.

    ## Why is this bad?
    A task occupies one of its worker's threads while it runs. Waiting for other tasks
    keeps the thread occupied, and when every thread of the cluster runs such a waiting
    task, the tasks they wait for can never start: the cluster deadlocks. Verified with
    distributed 2026.8.0 on one worker with one thread: a task doing
    `get_client().submit(inc, x).result()` (or `client.gather(...)`) never finished, while
    the same task calling `secede()` before waiting, or using `worker_client()`, returned
    at once. `secede()` hands the thread back to the worker while the task waits, and
    `rejoin()` takes a thread again afterwards.

    ## Example
    ```python
    from dask.distributed import Client, get_client

    def inc(x):
        return x + 1

    def fan_out(n):
        client = get_client()
        futures = client.map(inc, range(n))
        return sum(client.gather(futures))

    client = Client()
    total = client.submit(fan_out, 10).result()
    ```

    Use instead:
    ```python
    from dask.distributed import Client, worker_client

    def inc(x):
        return x + 1

    def fan_out(n):
        with worker_client() as client:
            futures = client.map(inc, range(n))
            return sum(client.gather(futures))

    client = Client()
    total = client.submit(fan_out, 10).result()
    ```

    ## Fix safety
    The fix is offered only when the function is a `def` with one `get_client()` call,
    without arguments, assigned to a single name (`name = get_client()`, with no comment on
    the line) as a statement of its own body that is not its last, `name` is not bound
    anywhere else in the body, and the name `worker_client` is free or is distributed's.
    It replaces that statement with `with worker_client() as name:` around the rest of the
    body (and removes a `from ... import get_client` once nothing else uses it). It is unsafe:
    `worker_client()` raises `ValueError` outside a worker, where `get_client()` would
    return the current client (a function also called directly, in tests for instance,
    breaks), and the code after the waits also runs outside the worker's thread pool.

    ## References
    - [Distributed: Launch tasks from tasks](https://distributed.dask.org/en/stable/task-launch.html)
    - [Dask: Futures, submit tasks from tasks](https://docs.dask.org/en/stable/futures.html#submit-tasks-from-tasks)
    """

    code = "DSK706"
    name = "get-client-without-secede"
    summary = "Task waits for other tasks via `get_client()` without `secede()`: may deadlock"
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "unsafe: use `with worker_client() as client:`"

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._functions: dict[int, _Function] = {}
        self._tasks: set[int] = set()  # ids of the function nodes that run as tasks
        self._facts: dict[int, int] = {}  # id of a function's facts -> id of its node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            expr = decorator.decorator
            target = expr.func if isinstance(expr, cst.Call) else expr
            if self.model.qualified_name(target) == "dask.delayed":
                self._tasks.add(id(node))
        facts = self.model.tasks.function_facts(node.name)
        if facts is not None:
            self._facts[id(facts)] = id(node)

    def visit_Call(self, node: cst.Call) -> None:
        function = self.model.function_node()
        func = node.func
        last = func.attr.value if isinstance(func, cst.Attribute) else None
        if last in ("submit", "map"):
            self._note_task(node)
        if not isinstance(function, _FUNCTIONS):
            return
        spelled = last if last is not None else func.value if isinstance(func, cst.Name) else None
        name = self.model.qualified_name(func) if spelled in _NAMED else None
        if name == GET_CLIENT:
            record = self._record(function)
            if not record.get_clients:
                self._spell_fix(record)
            record.get_clients.append(node)
        elif name in SECEDE:
            self._record(function).secedes = True
        else:
            wait = self._wait(node, name)
            if wait is not None and not self._in_worker_client():
                self._record(function).waits.append((node, wait))

    def visit_For(self, node: cst.For) -> None:
        function = self.model.function_node()
        iterable = node.iter
        if (
            isinstance(function, _FUNCTIONS)
            and isinstance(iterable, cst.Call)
            and self.model.qualified_name(iterable.func) in AS_COMPLETED
            and not self._in_worker_client()
        ):
            self._record(function).waits.append((iterable, "a loop over `as_completed(...)`"))

    def finish(self) -> None:
        for task in self.model.tasks.task_calls:
            if task.lambda_node is not None:
                self._tasks.add(id(task.lambda_node))
            elif task.facts is not None and id(task.facts) in self._facts:
                self._tasks.add(self._facts[id(task.facts)])
        for key, record in self._functions.items():
            if not record.get_clients or not record.waits or record.secedes:
                continue
            if key not in self._tasks:
                continue
            node, wait = record.waits[0]
            self.report(
                node,
                f"This task waits for other tasks with {wait}, holding its worker thread",
                fix=self._fix(record),
                help="call `secede()` before waiting (and `rejoin()` after), or use "
                "`with worker_client() as client:`",
                notes=[
                    "it got a client with `get_client()`; when every thread waits like this, "
                    "the tasks they wait for never start (deadlock)"
                ],
            )

    # ----------------------------------------------------------------- traversal
    def _record(self, function: cst.FunctionDef | cst.Lambda) -> _Function:
        record = self._functions.get(id(function))
        if record is None:
            record = self._functions[id(function)] = _Function(function)
        return record

    def _spell_fix(self, record: _Function) -> None:
        """How the fix names ``worker_client`` and which import it drops, decided while
        the function's scope is current."""
        if not isinstance(record.node, cst.FunctionDef):
            return
        record.worker_client = imported_name(self.model, "worker_client", WORKER_CLIENT)
        binding = self.model.scopes.lookup("get_client")
        if (
            binding is not None
            and binding.kind is BindingKind.IMPORT
            and binding.qualified_name == GET_CLIENT
            and isinstance(binding.node, cst.ImportFrom)
            and binding.node.module is not None
        ):
            record.remove = (ImportSpec(source_of(binding.node.module), "get_client"),)

    def _note_task(self, call: cst.Call) -> None:
        """``client.submit(f, ...)`` on a client the model does not tag (a parameter
        annotated ``Client``, ``worker_client()``): ``f`` runs as a task."""
        submitted = client_call(self.model, call)
        callee = submitted.callee if submitted is not None else None
        if isinstance(callee, cst.Lambda):
            self._tasks.add(id(callee))
        elif isinstance(callee, cst.Name):
            binding = self.model.scopes.lookup(callee.value)
            if binding is not None and binding.kind is BindingKind.FUNCTION and binding.node:
                self._tasks.add(id(binding.node))

    def _in_worker_client(self) -> bool:
        for node in self.model.ancestors:
            if isinstance(node, cst.With) and any(
                isinstance(item.item, cst.Call)
                and self.model.qualified_name(item.item.func) in WORKER_CLIENT
                for item in node.items
            ):
                return True
        return False

    def _wait(self, call: cst.Call, name: str | None) -> str | None:
        """How ``call`` waits for other tasks, or None when it does not."""
        if name in WAIT:
            return f"`{source_of(call.func)}(...)`"
        func = call.func
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        if method == "result" and future_kind(self.model, func.value) is not None:
            return f"`{source_of(func)}()`"
        if method not in ("gather", "compute"):
            return None
        found = client_call(self.model, call)
        if found is None:
            return None
        if method == "gather":
            return f"`{source_of(func)}(...)`"
        if method == "compute" and found.returns is None:
            sync = found.keyword("sync")
            constant = self.model.constant(sync.value) if sync is not None else None
            if constant is not None and constant.value is True:
                return f"`{source_of(func)}(..., sync=True)`"
        return None

    # ----------------------------------------------------------------- fix
    def _fix(self, record: _Function) -> Fix | None:
        function = record.node
        if not isinstance(function, cst.FunctionDef) or len(record.get_clients) != 1:
            return None
        spelled, imports = record.worker_client or (None, ())
        body = function.body
        if spelled is None or not isinstance(body, cst.IndentedBlock):
            return None
        call = record.get_clients[0]
        if call.args:
            return None
        statements = list(body.body)
        position = next(
            (
                i
                for i, s in enumerate(statements)
                if isinstance(s, cst.SimpleStatementLine)
                and len(s.body) == 1
                and isinstance(s.body[0], cst.Assign)
                and s.body[0].value is call
            ),
            None,
        )
        if position is None or position == len(statements) - 1:
            return None
        line = statements[position]
        assert isinstance(line, cst.SimpleStatementLine)
        assign = line.body[0]
        assert isinstance(assign, cst.Assign)
        if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
            return None
        if line.trailing_whitespace.comment is not None:
            return None
        name = assign.targets[0].target.value
        rebinds = sum(name in bound_names(n) for n in preorder(body))
        if rebinds != 1:
            return None  # rebound elsewhere: the ``with`` target would not cover it
        block = cst.With(
            items=[
                cst.WithItem(cst.Call(func=cst.Name(spelled)), asname=cst.AsName(cst.Name(name)))
            ],
            body=body.with_changes(
                body=statements[position + 1 :], header=cst.TrailingWhitespace()
            ),
            leading_lines=line.leading_lines,
        )
        new_body = body.with_changes(body=[*statements[:position], block])
        return unsafe_fix(
            f"Use `with {spelled}() as {name}:` around the rest of the function",
            body,
            new_body,
            f"`{spelled}()` raises outside a worker, where `get_client()` returned the current "
            "client, and the code after the waits runs outside the worker's thread pool",
            add_imports=imports,
            remove_imports=record.remove,
        )
