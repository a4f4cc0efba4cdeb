"""DSK313 impure-function-marked-pure."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, safe
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.rules._edits import keyword
from dasklint.semantic.facts import FunctionFacts
from dasklint.semantic.impurity import (
    Impurity,
    Source,
    expression_impurity,
    random_draw,
    returned_clock,
)
from dasklint.semantic.impurity import (
    source_of as impurity_source,
)
from dasklint.semantic.names import BindingKind, dotted_parts
from dasklint.semantic.task_call import DELAYED


class ImpureFunctionMarkedPure(Rule):
    """
    ## What it does
    Checks for `pure=True` on a function whose result changes from call to call with the
    same arguments: `dask.delayed(f, pure=True)`, `@dask.delayed(pure=True)`, and
    `f(..., pure=True)` where `f` is a `@dask.delayed` function or a name bound to
    `dask.delayed(g)`. A function counts as impure when it is, or its body (or the body of
    a function of the project it calls) draws from, a random source (`random`,
    `numpy.random`, `secrets`, `os.urandom`, `uuid.uuid1`/`uuid4`), or when it is a clock
    (`time.time`, `datetime.datetime.now`, ...), a lambda reading one, or a function of
    the same module that returns a clock reading.

    Not reported: functions that seed the generator they use (`random.seed`,
    `numpy.random.seed`), generators passed in or built from a seed
    (`rng = numpy.random.default_rng(0)`), functions that read the clock only to time or
    log their work, functions that read files or the network (`pure=True` is how one
    load is shared between the tasks that need it), and
    `dask.delayed(f)(..., pure=True)` written inline (each `dask.delayed(f)` gets a new
    random token, so such calls never share a key).

    ## Why is this bad?
    `pure=True` makes Dask name the task after a hash of the function and its arguments.
    Two calls with the same arguments get the same key: they become one task, run once,
    and return the same value. `dask.delayed(random.random, pure=True)()` called twice and
    computed together gives one number twice. The `dask.delayed` docstring keeps
    `pure=False` for "non-pure functions (such as `time` or `random`)".

    ## Example
    ```python
    import random

    import dask

    a = dask.delayed(random.random, pure=True)()
    b = dask.delayed(random.random, pure=True)()
    print(dask.compute(a, b))
    ```

    Use instead:
    ```python
    import random

    import dask

    a = dask.delayed(random.random, pure=False)()
    b = dask.delayed(random.random, pure=False)()
    print(dask.compute(a, b))
    ```

    ## Fix safety
    The fix replaces `pure=True` with `pure=False`, which gives every call its own random
    key (`uuid4`), so calls that were merged run separately and return their own values,
    which is what the function's nature requires. Dropping the keyword would not be enough:
    with the `delayed_pure` configuration set (in YAML, an environment variable or
    `dask.config.set`), calls without `pure=` are pure again. Results change only where
    calls were merged; keys are no longer stable between runs, so a result kept on a
    cluster under the old key is not found again.

    ## References
    - [Dask: `dask.delayed` (the `pure` parameter)](https://docs.dask.org/en/stable/delayed-api.html#dask.delayed.delayed)
    - [Dask: Delayed, `pure=True`](https://docs.dask.org/en/stable/delayed.html)
    - [Distributed: Client, pure functions by default](https://distributed.dask.org/en/stable/client.html#pure-functions-by-default)
    """

    code = "DSK313"
    name = "impure-function-marked-pure"
    summary = "`pure=True` on a function whose result changes between calls"
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "safe: replace `pure=True` with `pure=False`"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            expr = decorator.decorator
            if not isinstance(expr, cst.Call):
                continue
            if self.model.qualified_name(expr.func) != DELAYED:
                continue
            arg = _pure_true(self, expr)
            if arg is None:
                continue
            facts = self.model.tasks.function_facts(node.name)
            found = self._function_impurity(node, facts)
            if found is not None:
                self._report(arg, node.name.value, found)

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.qualified_name(node.func) == DELAYED:
            arg = _pure_true(self, node)
            positional = [a for a in node.args if a.keyword is None and not a.star]
            if arg is not None and positional:
                callee = positional[0].value
                found = self._callee_impurity(callee)
                if found is not None:
                    self._report(arg, source_of(callee), found)
            return
        arg = _pure_true(self, node)
        if arg is None or not isinstance(node.func, cst.Name):
            return
        binding = self.model.scopes.lookup(node.func.value)
        if binding is None:
            return
        if binding.kind is BindingKind.FUNCTION and binding.is_delayed_function:
            assert isinstance(binding.node, cst.FunctionDef)
            facts = self.model.tasks.function_facts(node.func)
            found = self._function_impurity(binding.node, facts)
        elif (
            binding.kind is BindingKind.VALUE
            and isinstance(binding.value, cst.Call)
            and self.model.qualified_name(binding.value.func) == DELAYED
            and keyword(binding.value, "pure") is None
        ):
            positional = [a for a in binding.value.args if a.keyword is None and not a.star]
            found = self._callee_impurity(positional[0].value) if positional else None
        else:
            return
        if found is not None:
            self._report(arg, node.func.value, found)

    def _callee_impurity(self, callee: cst.BaseExpression) -> Impurity | None:
        if isinstance(callee, cst.Lambda):
            return expression_impurity(callee.body, self.model.qualified_name)
        if dotted_parts(callee) is None:
            return None
        if isinstance(callee, cst.Name):
            binding = self.model.scopes.lookup(callee.value)
            if binding is not None and binding.kind is BindingKind.FUNCTION:
                assert isinstance(binding.node, cst.FunctionDef)
                facts = self.model.tasks.function_facts(callee)
                return self._function_impurity(binding.node, facts)
        facts = self.model.tasks.function_facts(callee)
        if facts is not None:
            return self._facts_impurity(facts)
        name = self.model.tasks.external_name(callee)
        source = impurity_source(name)
        if source is not None and name is not None:
            return Impurity(name, source)
        return None

    def _function_impurity(
        self, node: cst.FunctionDef, facts: FunctionFacts | None
    ) -> Impurity | None:
        """A function of this module: random draws through its callees, or a clock in
        what it returns."""
        if facts is not None:
            found = self._facts_impurity(facts)
            if found is not None:
                return found
        clock = returned_clock(node, self.model.qualified_name)
        if clock is not None:
            return Impurity(clock, Source.CLOCK, node.name.value)
        return None

    def _facts_impurity(self, facts: FunctionFacts) -> Impurity | None:
        summarizer = self.model.tasks.summarizer()
        return random_draw(facts, summarizer.resolve)

    def _report(self, arg: cst.Arg, shown: str, found: Impurity) -> None:
        if found.via is None:
            why = f"`{found.callee}` returns {_what(found)}"
        elif found.source is Source.CLOCK:
            why = f"`{found.via}` returns a reading of `{found.callee}`"
        else:
            why = f"`{found.via}` draws from `{found.callee}`"
        fix: Fix | None = None
        if isinstance(arg.value, cst.Name) and arg.value.value == "True":
            fix = safe(
                "Replace `pure=True` with `pure=False`",
                arg.value,
                cst.Name("False"),
            )
        self.report(
            arg,
            f"`pure=True` on `{shown}`, which is not pure",
            fix=fix,
            help="use `pure=False`",
            notes=[
                f"{why}: calls with equal arguments get one key, so they run once and share "
                "one value"
            ],
        )


def _what(found: Impurity) -> str:
    return (
        "a new random value on each call" if found.source is Source.RANDOM else ("the current time")
    )


def _pure_true(rule: Rule, call: cst.Call) -> cst.Arg | None:
    """The ``pure=`` argument of ``call`` when it is (a name bound to) ``True``."""
    arg = keyword(call, "pure")
    if arg is None:
        return None
    constant = rule.model.constant(arg.value)
    return arg if constant is not None and constant.value is True else None
