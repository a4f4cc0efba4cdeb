"""DSK301 delayed-on-result."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import unsafe
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.semantic.collections import CollectionKind
from dasklint.semantic.factories import called_later, returns_function
from dasklint.semantic.names import BindingKind

# Calls whose result is data or a callable, where wrapping the value is the intent:
# ``delayed(np.load(path))`` delays data once, ``delayed(partial(f, 1))`` wraps a callable.
_VALUE_PREFIXES = (
    "numpy.", "pandas.", "xarray.", "scipy.", "pyarrow.", "polars.", "h5py.", "zarr.",
    "json.", "pickle.", "functools.", "operator.", "toolz.", "cytoolz.", "dask.",
    "distributed.", "joblib.", "torch.", "sklearn.",
)  # fmt: skip
_VALUE_BUILTINS = frozenset(
    {"list", "dict", "tuple", "set", "frozenset", "range", "str", "bytes", "int", "float",
     "bool", "open", "zip", "enumerate", "map", "filter", "sorted", "reversed", "iter",
     "getattr", "vars", "type", "object", "slice", "bytearray", "memoryview", "complex"}
)  # fmt: skip


class DelayedOnResult(Rule):
    """
    ## What it does
    Checks for `dask.delayed(f(x))`: `dask.delayed` applied to the result of calling a
    function, where `dask.delayed(f)(x)` was meant. It reports calls of functions defined
    in the linted project and of imported functions outside the data libraries.

    Not reported: `dask.delayed(f)(g(x))` (the argument `g(x)` is meant to be computed
    now, and that is correct), calls whose result is data or a callable by design
    (`dask.delayed(np.load(path))`, `dask.delayed(pd.read_csv(path))`,
    `dask.delayed(functools.partial(f, 1))`, builtins such as `list(...)`; file readers
    delayed this way are reported by `load-data-client-side` (DSK806) instead), a
    `dask.delayed(make_function(...))` whose result is called (`(...)` right after it, or
    `scorer = dask.delayed(make_scorer(3))` then `scorer(i)`), a call of a function of
    the module that returns a function it builds (a nested `def`, a `lambda`, a
    `functools.partial`), method calls, and calls that already return a Delayed object:
    for these, `dask.delayed(make_scorer)(3)` would make a task that returns a function.

    ## Why is this bad?
    Python evaluates `f(x)` before `dask.delayed` is called, so the work runs immediately,
    one call after another in the calling thread, and only its finished result is wrapped.
    Nothing runs in parallel and the graph holds a constant instead of a task.

    ## Example
    ```python
    import dask

    def inc(x):
        return x + 1

    results = [dask.delayed(inc(i)) for i in range(10)]
    total = dask.delayed(sum)(results).compute()
    ```

    Use instead:
    ```python
    import dask

    def inc(x):
        return x + 1

    results = [dask.delayed(inc)(i) for i in range(10)]
    total = dask.delayed(sum)(results).compute()
    ```

    ## Fix safety
    The fix rewrites `dask.delayed(f(a, b))` as `dask.delayed(f)(a, b)`, keeping the
    keywords of `dask.delayed` (`pure=`, `name=`). It is unsafe: `f` now runs later,
    when the graph is computed (in another thread or process), so its side effects and
    exceptions move there, and it does not run at all if nothing is computed. It is
    offered wherever the finding is reported (a `dask.delayed` of exactly one positional
    argument that is a call of a function, not of a factory whose result is called later),
    except when that call unpacks arguments (`f(*args)`, `f(**kw)`).

    ## References
    - [Dask: Delayed best practices, call delayed on the function, not the result](https://docs.dask.org/en/stable/delayed-best-practices.html#call-delayed-on-the-function-not-the-result)
    - carpentries-incubator/lesson-parallel-python#127
    """

    code = "DSK301"
    name = "delayed-on-result"
    summary = "`dask.delayed(f(x))` runs `f` now; `dask.delayed(f)(x)` was meant"
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    fix_summary = "unsafe: rewrite to `dask.delayed(f)(x)`"

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.qualified_name(node.func) != "dask.delayed":
            return
        positional = [a for a in node.args if a.keyword is None]
        if len(positional) != 1 or positional[0].star:
            return
        inner = positional[0].value
        if not isinstance(inner, cst.Call) or not self._function_call(inner):
            return
        parent = self.model.parent(2)  # parent(1) is the node being visited
        if isinstance(parent, cst.Call) and parent.func is node:
            return  # ``delayed(make_function(...))(...)``: the result is a callable
        if isinstance(parent, cst.Decorator):
            return
        if self._factory(inner) or self._called_later(node):
            return  # ``scorer = delayed(make_scorer(3))``, then ``scorer(i)``: a function
        shown = source_of(inner.func)
        fix = None
        if not any(a.star for a in inner.args):
            wrapped = node.deep_replace(inner, inner.func)
            assert isinstance(wrapped, cst.Call)
            replacement = cst.Call(
                func=wrapped.with_changes(lpar=(), rpar=()),
                args=inner.args,
                lpar=node.lpar,
                rpar=node.rpar,
                whitespace_before_args=inner.whitespace_before_args,
            )
            fix = unsafe(
                f"Delay the call: `dask.delayed({shown})(...)`",
                node,
                replacement,
                f"`{shown}` then runs when the graph is computed, not now",
            )
        self.report(
            node,
            f"`{shown}(...)` runs now, before `dask.delayed` sees it",
            fix=fix,
            help=f"write `dask.delayed({shown})(...)`",
            notes=["only its result is wrapped: nothing runs in parallel"],
        )

    def _factory(self, call: cst.Call) -> bool:
        """``call`` is of a function of this module that returns a function it builds."""
        if not isinstance(call.func, cst.Name):
            return False
        binding = self.model.scopes.lookup(call.func.value)
        return (
            binding is not None
            and binding.kind is BindingKind.FUNCTION
            and isinstance(binding.node, cst.FunctionDef)
            and returns_function(binding.node)
        )

    def _called_later(self, node: cst.Call) -> bool:
        """``name = dask.delayed(...)`` and ``name(...)`` is called in the same function
        (or module): the delayed value is a function."""
        assign = self.model.parent(2)
        if not isinstance(assign, cst.Assign) or assign.value is not node:
            return False
        targets = [t.target for t in assign.targets]
        if len(targets) != 1 or not isinstance(targets[0], cst.Name):
            return False
        scope = self.model.scopes.current.function_scope().node or self.module
        return called_later(scope, targets[0].value)

    def _function_call(self, call: cst.Call) -> bool:
        func = call.func
        if self.model.collection_kind(call) in (CollectionKind.DELAYED, CollectionKind.CLIENT):
            return False
        if isinstance(func, cst.Name):
            binding = self.model.scopes.lookup(func.value)
            if binding is None:
                return False  # a builtin or an unknown name
            if binding.kind is BindingKind.FUNCTION:
                return not binding.is_delayed_function
            if binding.kind is BindingKind.IMPORT and binding.qualified_name:
                return _function_name(binding.qualified_name)
            return False
        name = self.model.qualified_name(func)
        return name is not None and _function_name(name)


def _function_name(name: str) -> bool:
    if name in _VALUE_BUILTINS or name.startswith(_VALUE_PREFIXES):
        return False
    last = name.rsplit(".", 1)[-1]
    # Classes build objects (data or callables): ``delayed(Model(...))``.
    return not last[:1].isupper()
