"""DSK705 impure-function-submitted-as-pure."""

from __future__ import annotations

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import safe
from dasklint.rule import Rule
from dasklint.rules._common import source_of
from dasklint.rules._edits import add_keyword
from dasklint.semantic.futures import callee_impurity, client_call
from dasklint.semantic.impurity import Impurity, Source


class ImpureFunctionSubmittedAsPure(Rule):
    """
    ## What it does
    Checks for `client.submit(f, ...)` and `client.map(f, ...)` without `pure=` where `f`
    returns a different result each time it is called with the same arguments: a
    random source (`random`, `numpy.random`, `secrets`, `uuid.uuid4`, `os.urandom`), a
    function of the project (or a lambda) that draws from one, a clock
    (`time.time`, `datetime.datetime.now`, ...), or a function or lambda that returns a
    clock reading. The judgement is DSK313's: a function that seeds the generator it
    draws from (`random.seed`, `numpy.random.seed`) is not reported, nor are generator
    objects (`rng.normal`), functions that read the clock only to time or log their
    work, and functions that read files.

    ## Why is this bad?
    `Client.submit` and `Client.map` assume that functions are pure (`pure=True` by
    default): the task key is computed from the function and its arguments, so calls
    with the same arguments get the same key, run once, and share one result. Verified
    with distributed 2026.8.0: three `client.submit(random_draw, 1)` calls returned three
    futures with one key and the same number, and `client.map(random_draw, [1, 1, 1])`
    did the same; with `pure=False` each call got its own key and value. `dask.delayed`
    defaults the other way (`pure=False`), which makes this easy to miss when moving
    code between the two.

    ## Example
    ```python
    import random

    from dask.distributed import Client

    def draw(scale):
        return random.random() * scale

    client = Client()
    samples = [client.submit(draw, 10) for _ in range(100)]
    ```

    Use instead:
    ```python
    import random

    from dask.distributed import Client

    def draw(scale):
        return random.random() * scale

    client = Client()
    samples = [client.submit(draw, 10, pure=False) for _ in range(100)]
    ```

    ## Fix safety
    The fix adds `pure=False`. It is safe: each call then gets a fresh, random key and
    runs on its own, as the function's results already assumed; the only visible change
    is that calls with equal arguments stop sharing one result. It is not offered when
    the call passes `**kwargs` (they may hold `pure=`), in which case nothing is reported.

    ## References
    - [Distributed: Client, pure functions by default](https://distributed.dask.org/en/stable/client.html#pure-functions-by-default)
    - [Distributed API: `Client.submit` (`pure`)](https://distributed.dask.org/en/stable/api.html#distributed.Client.submit)
    """

    code = "DSK705"
    name = "impure-function-submitted-as-pure"
    summary = "Impure function submitted with the default `pure=True`: equal calls share one result"
    severity = Severity.WARNING
    fix_availability = FixAvailability.ALWAYS
    fix_summary = "safe: add `pure=False`"

    def leave_Call(self, original_node: cst.Call) -> None:
        found = client_call(self.model, original_node)
        if found is None or found.method not in ("submit", "map") or found.callee is None:
            return
        if found.has_double_star or found.keyword("pure") is not None:
            return
        if found.keyword("actor") is not None or found.keyword("actors") is not None:
            return  # actors are never pure
        impurity = callee_impurity(self.model, found.callee)
        if impurity is None:
            return
        callee = source_of(found.callee)
        receiver = source_of(found.receiver)
        self.report(
            original_node,
            f"`{receiver}.{found.method}` treats `{callee}` as pure, but it is not",
            help="pass `pure=False`",
            notes=[
                "by default, calls with the same arguments get the same key and share one "
                f"result, but {_why(impurity)}"
            ],
            fix=safe(
                "Add `pure=False`",
                original_node,
                add_keyword(original_node, "pure", cst.Name("False")),
            ),
        )


def _why(found: Impurity) -> str:
    if found.via is None:
        what = "a new random value" if found.source is Source.RANDOM else "the current time"
        return f"`{found.callee}` returns {what} on each call"
    if found.source is Source.CLOCK:
        return f"`{found.via}` returns a reading of `{found.callee}`"
    return f"`{found.via}` draws from `{found.callee}`"
