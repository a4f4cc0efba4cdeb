"""DSK702 result-in-loop."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, unsafe
from dasklint.rule import Rule, RuleContext
from dasklint.rules._common import source_of
from dasklint.rules.futures._futures import iterable_of
from dasklint.semantic.flow import bound_names, exits_early, target_names
from dasklint.semantic.futures import WAIT, client_call, future_kind
from dasklint.semantic.lazy import Lazy
from dasklint.semantic.loops import Loop
from dasklint.semantic.names import Binding, BindingKind


class ResultInLoop(Rule):
    """
    ## What it does
    Checks for `future.result()` called on each element of a list of futures in a `for`
    loop or a comprehension (`[f.result() for f in futures]`), where `client.gather`
    would fetch all of them at once.

    Loops that need one result at a time are not reported: loops over `as_completed(...)`
    (the results arrive in completion order), `.result()` inside a `try` block in the
    loop (error handling per future), and loops that `break` or `return`; nor are loops
    over futures that `client.gather(...)` or `wait(...)` already waited for (their values
    are there).

    ## Why is this bad?
    Each `.result()` waits for its future and then fetches its value in a round trip of
    its own. `client.gather(futures)` fetches all the values together: for 1,000 finished
    futures, the `.result()` loop took 0.7-1.0 s and `client.gather` 0.06 s here
    (distributed 2026.8.0, `Client(processes=False)`); the Dask documentation says
    gathering "can be more efficient than calling `.result()` on each future
    sequentially".

    ## Example
    ```python
    from dask.distributed import Client

    def inc(x):
        return x + 1

    client = Client()
    futures = client.map(inc, range(100))
    results = [f.result() for f in futures]
    ```

    Use instead:
    ```python
    from dask.distributed import Client

    def inc(x):
        return x + 1

    client = Client()
    futures = client.map(inc, range(100))
    results = client.gather(futures)
    ```

    ## Fix safety
    The fix replaces `[f.result() for f in futures]` with `client.gather(futures)`. It is
    offered only for a list comprehension whose element is exactly `f.result()` (no
    arguments) over the futures themselves (one `for`, no `if`, not `async`), when
    `futures` was built in one expression by one client (`client.map(...)`,
    `[client.submit(...) for ...]`) that is still bound to the same name, and the list is
    not changed afterwards (`client.gather` raises `ValueError` for futures of another
    client); like the finding, not inside a `try` in the loop or a loop that exits
    early. The results are the same list. It is unsafe because failures can differ
    when several futures fail: the comprehension raises the exception of the first failed
    future in list order, `client.gather` the exception of whichever failed future it
    checks first (verified: with two failed futures, reversing the list changes what the
    comprehension raises but not what `gather` raises). It also raises as soon as any
    future fails instead of after the futures before it finish.

    ## References
    - [Dask: Futures, move data](https://docs.dask.org/en/stable/futures.html#move-data)
    """

    code = "DSK702"
    name = "result-in-loop"
    deliberate_in_tests = True
    summary = "`.result()` on each future in a loop instead of one `client.gather`"
    severity = Severity.INFO
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "unsafe: replace the comprehension with `client.gather(futures)`"

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        # The binding of each client call's receiver when the call ran (``id(call)``).
        self._receivers: dict[int, Binding] = {}
        self._changed: set[int] = set()  # ids of list bindings changed after creation
        # Lists of futures already waited for (``client.gather(futures)``, ``wait(futures)``):
        # ``.result()`` then only reads finished values.
        self._waited: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        found = client_call(self.model, node)
        if found is not None and isinstance(found.receiver, cst.Name):
            binding = self.model.scopes.lookup(found.receiver.value)
            if binding is not None:
                self._receivers[id(node)] = binding
        if (found is not None and found.method == "gather") or self.model.qualified_name(
            node.func
        ) in WAIT:
            for arg in node.args[:1]:
                waited = (
                    self.model.scopes.lookup(arg.value.value)
                    if isinstance(arg.value, cst.Name)
                    else None
                )
                if waited is not None:
                    self._waited.add(id(waited))
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "result":
            self._check(node, node.func.value)

    # A list changed in place (``futures.append(...)``, ``futures[0] = ...``) may hold
    # futures of another client.
    def leave_Call(self, original_node: cst.Call) -> None:
        self._note_changes(bound_names(original_node))

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        self._note_changes(bound_names(original_node))

    def leave_Assign(self, original_node: cst.Assign) -> None:
        for target in original_node.targets:
            if isinstance(target.target, (cst.Subscript, cst.Attribute)):
                self._note_changes(target_names(target.target))

    def leave_Del(self, original_node: cst.Del) -> None:
        self._note_changes(bound_names(original_node))

    def _note_changes(self, names: set[str]) -> None:
        for name in names:
            binding = self.model.scopes.lookup(name)
            if binding is not None:
                self._changed.add(id(binding))

    def _check(self, call: cst.Call, receiver: cst.BaseExpression) -> None:
        loops = self.model.tasks.loop_context().loops
        if not loops:
            return
        element = self._element_loop(receiver, loops)
        if element is None:
            return
        loop, futures = element
        if isinstance(futures, cst.Name):
            binding = self.model.scopes.lookup(futures.value)
            if binding is not None and id(binding) in self._waited:
                return  # gathered or waited for already: the values are there
        if any(isinstance(each.node, cst.While) or exits_early(each.node) for each in loops):
            return
        if self._in_try(loop.node):
            return
        client = self._client_of(futures)
        self.report(
            call,
            f"`.result()` on each future of `{source_of(futures)}` fetches the values one by one",
            fix=self._fix(call, loop.node, futures, client),
            help=f"`{client or 'client'}.gather({source_of(futures)})` fetches them all together",
            notes=["each call waits for its value and fetches it on its own"],
        )

    def _element_loop(
        self, receiver: cst.BaseExpression, loops: tuple[Loop, ...]
    ) -> tuple[Loop, cst.BaseExpression] | None:
        """The loop (innermost first) whose items ``receiver`` is, and its list of futures."""
        for loop in reversed(loops):
            if isinstance(receiver, cst.Name) and receiver.value in loop.targets:
                iterable = iterable_of(loop.node, receiver.value)
                if iterable is not None and self._futures(iterable):
                    return loop, iterable
                return None
            if (
                isinstance(receiver, cst.Subscript)
                and len(receiver.slice) == 1
                and isinstance(receiver.slice[0].slice, cst.Index)
            ):
                index = receiver.slice[0].slice.value
                if isinstance(index, cst.Name) and index.value in loop.targets:
                    if self._futures(receiver.value):
                        return loop, receiver.value
                    return None
        return None

    def _futures(self, expr: cst.BaseExpression) -> bool:
        return future_kind(self.model, expr) is Lazy.FUTURE_LIST

    def _in_try(self, loop: cst.CSTNode) -> bool:
        """The node being visited is in a ``try`` block inside ``loop``."""
        inside = False
        for node in self.model.ancestors:
            if node is loop:
                inside = True
            elif inside and isinstance(node, cst.Try | cst.TryStar):
                return True
        return False

    def _client_of(self, futures: cst.BaseExpression) -> str | None:
        """The client name that created every future of ``futures``, if it still refers
        to the same client here and the list was not changed since."""
        created: cst.BaseExpression | None = futures
        if isinstance(futures, cst.Name):
            binding = self.model.scopes.lookup(futures.value)
            if (
                binding is None
                or binding.kind is not BindingKind.VALUE
                or id(binding) in self._changed
            ):
                return None
            created = binding.value
        if isinstance(created, cst.ListComp):
            created = created.elt
        if not isinstance(created, cst.Call):
            return None
        found = client_call(self.model, created)
        recorded = self._receivers.get(id(created))
        if found is None or recorded is None or not isinstance(found.receiver, cst.Name):
            return None
        if found.method not in ("submit", "map") and found.returns is not Lazy.FUTURE_LIST:
            return None
        if self.model.scopes.lookup(found.receiver.value) is not recorded:
            return None
        return found.receiver.value

    def _fix(
        self,
        call: cst.Call,
        loop: cst.CSTNode,
        futures: cst.BaseExpression,
        client: str | None,
    ) -> Fix | None:
        if client is None or not isinstance(loop, cst.ListComp) or loop.elt is not call:
            return None
        comp_for = loop.for_in
        if (
            call.args
            or comp_for.inner_for_in is not None
            or comp_for.ifs
            or comp_for.asynchronous is not None
            or comp_for.iter is not futures
            or not isinstance(comp_for.target, cst.Name)
            or not isinstance(call.func, cst.Attribute)
            or not isinstance(call.func.value, cst.Name)
            or call.func.value.value != comp_for.target.value
        ):
            return None
        gather = cst.Call(
            func=cst.Attribute(cst.Name(client), cst.Name("gather")),
            args=[cst.Arg(futures)],
            lpar=loop.lpar,
            rpar=loop.rpar,
        )
        return unsafe(
            f"Replace the comprehension with `{client}.gather({source_of(futures)})`",
            loop,
            gather,
            "when several futures fail, `gather` may raise another one's exception, and "
            "raises before the futures listed earlier finish",
        )
