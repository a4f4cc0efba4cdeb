"""DSK701 submit-in-loop.

Its walks (``_read_outside``, ``_comments``) only decide whether the fix's rewrite is right.
"""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, unsafe
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.semantic.flow import (
    COMPREHENSIONS,
    carried_names,
    changed_in,
    exits_early,
    loop_body,
    preorder,
    reads,
)
from dasklint.semantic.futures import AS_COMPLETED, ClientCall, client_call, future_kind
from dasklint.semantic.lazy import Lazy
from dasklint.semantic.loops import Loop
from dasklint.semantic.names import BindingKind
from dasklint.semantic.taskcost import WAITS, long_work

# What the fix may change (it is unsafe).
MAP_CAVEAT = (
    "`map` names its tasks differently, submits them all at once, and handles keyword"
    " arguments in its own way"
)

# A loop over this many items or fewer submits too few tasks to matter.
_FEW = 8
_SIZED_CALLS = frozenset({"range", "list", "tuple", "sorted"})


class SubmitInLoop(Rule):
    """
    ## What it does
    Checks for `client.submit(f, ...)` inside a `for` loop or a comprehension, where every
    iteration submits the same function `f`.

    Loops that are not a map over their items are not reported: `while` loops, loops
    over `as_completed(...)`, loops that `break` or `return`, loops that submit a
    different function in each iteration, loops whose submitted arguments depend on the
    previous iteration (`future = client.submit(step, future)`), loops that pass
    different keyword arguments in each iteration with `**kwargs` (`client.map` gives
    every task the same keyword arguments), loops over a literal of at most 8 items, and
    loops submitting a function that sleeps (`time.sleep`, tutorials' stand-in for real
    work; judged through the functions it calls in the project): the client's time per
    `submit` is small next to such tasks.

    ## Why is this bad?
    Each `submit` call does its own round of client-side work (tokenizing the arguments,
    building and sending a one-task graph), so a loop submitting many tasks keeps the
    client busy before it can go on: submitting 2,000 tasks with `submit` in a loop took
    1-2 s here, one `client.map` call for the same 2,000 tasks returned in 0.1 s
    (distributed 2026.8.0, `Client(processes=False)`). Running the tasks then took about
    as long either way, so the gain is the client's time and the finding is
    informational. The Dask documentation recommends `Client.map` to call the same
    function on many inputs, and batching very small tasks (each task costs about 1 ms
    of scheduler overhead).

    ## Example
    ```python
    from dask.distributed import Client

    def inc(x):
        return x + 1

    client = Client()
    futures = [client.submit(inc, x) for x in range(1000)]
    ```

    Use instead:
    ```python
    from dask.distributed import Client

    def inc(x):
        return x + 1

    client = Client()
    futures = client.map(inc, range(1000))
    ```

    ## Fix safety
    A fix is offered for two shapes only: `[client.submit(f, x) for x in items]`, which
    becomes `client.map(f, items)`, and a loop whose whole body is
    `futures.append(client.submit(f, x))`, which becomes
    `futures.extend(client.map(f, items))`; `items` must be a sequence the code shows (a
    list, tuple, `range`, comprehension or a name bound to one), because `client.map`
    rejects iterators. The fix is unsafe: `map` names its tasks differently (keys of the
    form `f-<token>` computed per element), submits everything at once instead of one
    task at a time (an exception raised while submitting no longer leaves earlier tasks
    submitted), and `map` treats keyword arguments and `batch_size` in its own way.

    ## References
    - [Dask: Futures, submit tasks](https://docs.dask.org/en/stable/futures.html#submit-tasks)
    - [Distributed: Efficiency, use larger tasks](https://distributed.dask.org/en/stable/efficiency.html#use-larger-tasks)
    """

    code = "DSK701"
    name = "submit-in-loop"
    deliberate_in_tests = True
    summary = "`client.submit` in a loop submits one task per call instead of `client.map`"
    severity = Severity.INFO
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "unsafe: replace the loop with `client.map`"

    def leave_Call(self, original_node: cst.Call) -> None:
        found = client_call(self.model, original_node)
        if found is None or found.method != "submit" or found.callee is None:
            return
        context = self.model.tasks.loop_context()
        loops = context.loops
        if not loops or any(self._not_a_map(loop) for loop in loops):
            return
        iterations = context.iterations
        if iterations is not None and iterations <= _FEW:
            return
        callee = found.callee
        varying = set(context.targets)
        carried: set[str] = set()
        for loop in loops:
            body = loop_body(loop.node)
            if body is not None:
                varying |= changed_in(body)
            carried |= carried_names(self.model.parents, loop.node, original_node)
        if _callee_reads(callee) & varying:
            return  # a different function in each iteration
        facts = self.model.tasks.function_facts(callee)
        if facts is not None and long_work(self.model, facts, WAITS) is not None:
            return  # each task waits: the client's time per call is lost in it
        arguments = [a for a in original_node.args if a.value is not callee]
        if any(reads(a.value) & carried for a in arguments):
            return  # the previous iteration's result feeds this one
        if any(a.star == "**" and reads(a.value) & varying for a in arguments):
            return  # ``**params`` per item: ``client.map`` broadcasts its keywords
        receiver = source_of(found.receiver)
        spelled = source_of(callee)
        self.report(
            original_node,
            f"`{receiver}.submit({spelled}, ...)` in a loop submits one task per call",
            fix=self._fix(found, loops[-1], len(loops)),
            help=f"`{receiver}.map({spelled}, ...)` submits all of them in one call",
            notes=["each call has its own client-side work"],
        )

    def _not_a_map(self, loop: Loop) -> bool:
        node = loop.node
        if isinstance(node, cst.While) or exits_early(node):
            return True
        iterables: list[cst.BaseExpression] = []
        if isinstance(node, cst.For):
            iterables.append(node.iter)
        elif isinstance(node, COMPREHENSIONS):
            comp_for: cst.CompFor | None = node.for_in
            while comp_for is not None:
                iterables.append(comp_for.iter)
                comp_for = comp_for.inner_for_in
        return any(
            isinstance(i, cst.Call) and self.model.qualified_name(i.func) in AS_COMPLETED
            for i in iterables
        )

    # ----------------------------------------------------------------- fix
    def _fix(self, found: ClientCall, loop: Loop, depth: int) -> Fix | None:
        call = found.call
        callee = found.callee
        if callee is None or not isinstance(found.receiver, (cst.Name, cst.Attribute)):
            return None
        if len(call.args) != 2 or any(a.keyword is not None or a.star for a in call.args):
            return None
        element = call.args[1].value
        if not isinstance(element, cst.Name) or element.value in reads(found.receiver):
            return None
        node = loop.node
        if isinstance(node, cst.ListComp):
            comp_for = node.for_in
            if (
                node.elt is not call
                or comp_for.inner_for_in is not None
                or comp_for.ifs
                or comp_for.asynchronous is not None
                or not _is_name(comp_for.target, element.value)
                or not self._sized(comp_for.iter)
            ):
                return None
            mapped = self._map_call(found, callee, comp_for.iter)
            replacement = mapped.with_changes(lpar=node.lpar, rpar=node.rpar)
            return unsafe(
                f"Replace the comprehension with `{source_of(mapped)}`",
                node,
                replacement,
                MAP_CAVEAT,
            )
        if isinstance(node, cst.For):
            return self._fix_append_loop(found, callee, element, node)
        return None

    def _fix_append_loop(
        self, found: ClientCall, callee: cst.BaseExpression, element: cst.Name, loop: cst.For
    ) -> Fix | None:
        if loop.orelse is not None or loop.asynchronous is not None:
            return None
        if not _is_name(loop.target, element.value) or not self._sized(loop.iter):
            return None
        body = loop.body
        statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
        if len(statements) != 1:
            return None
        line = statements[0]
        small = (
            line.body
            if isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
            else []
        )
        if len(small) != 1 or not isinstance(small[0], cst.Expr):
            return None
        append = small[0].value
        if not (
            isinstance(append, cst.Call)
            and isinstance(append.func, cst.Attribute)
            and append.func.attr.value == "append"
            and isinstance(append.func.value, cst.Name)
            and append.func.value.value != element.value
            and len(append.args) == 1
            and append.args[0].value is found.call
        ):
            return None
        if self._read_outside(loop, element.value):
            return None  # the loop variable keeps its last value after the loop
        mapped = self._map_call(found, callee, loop.iter)
        extend = cst.Call(
            func=cst.Attribute(append.func.value, cst.Name("extend")), args=[cst.Arg(mapped)]
        )
        # The loop's comments move to the new statement: above it, or after it.
        leading = list(loop.leading_lines)
        trailing = cst.TrailingWhitespace()
        if isinstance(body, cst.IndentedBlock):
            if body.header.comment is not None:
                leading.append(cst.EmptyLine(comment=body.header.comment))
            assert isinstance(line, cst.SimpleStatementLine)
            leading.extend(line.leading_lines)
            trailing = line.trailing_whitespace
        elif isinstance(body, cst.SimpleStatementSuite):
            trailing = body.trailing_whitespace
        statement = cst.SimpleStatementLine(
            [cst.Expr(extend)], leading_lines=leading, trailing_whitespace=trailing
        )
        if _comments(statement) != _comments(loop):
            return None  # a comment elsewhere in the loop would be lost
        return unsafe(f"Replace the loop with `{source_of(extend)}`", loop, statement, MAP_CAVEAT)

    def _read_outside(self, loop: cst.For, name: str) -> bool:
        """``name`` appears in the loop's function (or module) outside the loop."""
        scope: cst.CSTNode = self.module
        for node in self.model.parents.ancestors(loop):
            if isinstance(node, (cst.FunctionDef, cst.Lambda)):
                scope = node
                break
        inside = {id(n) for n in preorder(loop)}
        return any(
            isinstance(n, cst.Name) and n.value == name and id(n) not in inside
            for n in preorder(scope)
        )

    def _map_call(
        self, found: ClientCall, callee: cst.BaseExpression, items: cst.BaseExpression
    ) -> cst.Call:
        return cst.Call(
            func=cst.Attribute(found.receiver, cst.Name("map")),
            args=[
                cst.Arg(callee, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                cst.Arg(items),
            ],
        )

    def _sized(self, expr: cst.BaseExpression, hops: int = 1) -> bool:
        """A sequence the source shows (``client.map`` takes no iterators)."""
        if isinstance(expr, (cst.List, cst.Tuple, cst.ListComp)):
            return True
        if (
            isinstance(expr, cst.Call)
            and isinstance(expr.func, cst.Name)
            and expr.func.value in _SIZED_CALLS
            and self.model.scopes.lookup(expr.func.value) is None
        ):
            return True
        if future_kind(self.model, expr) is Lazy.FUTURE_LIST:
            return True
        if isinstance(expr, cst.Name) and hops > 0:
            binding = self.model.scopes.lookup(expr.value)
            if binding is not None and binding.kind is BindingKind.VALUE and binding.value:
                return self._sized(binding.value, hops - 1)
        return False


def _callee_reads(callee: cst.BaseExpression) -> set[str]:
    if isinstance(callee, cst.Lambda):
        params = callee.params
        own = {
            p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)
        }
        return reads(callee.body) - own
    return reads(callee)


def _comments(node: cst.CSTNode) -> list[str]:
    return sorted(n.value for n in preorder(node) if isinstance(n, cst.Comment))


def _is_name(expr: cst.BaseExpression, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name
