"""DSK1009 pub-sub-removed."""

from __future__ import annotations

from typing import ClassVar

from dasklint.diagnostics import Severity
from dasklint.rules.deprecations._deprecations import DeprecatedNameRule, Deprecation, distributed

PUB = Deprecation(
    "`distributed.Pub`",
    deprecated=distributed("2024.7.0"),
    removed=distributed("2025.4.0"),
    advice="publish with `Client.log_event(topic, msg)` or `Worker.log_event(topic, msg)`",
)
SUB = Deprecation(
    "`distributed.Sub`",
    deprecated=distributed("2024.7.0"),
    removed=distributed("2025.4.0"),
    advice="subscribe with `Client.subscribe_topic(topic, handler)`",
)


class PubSubRemoved(DeprecatedNameRule):
    """
    ## What it does
    Checks for calls of `distributed.Pub` and `distributed.Sub` (also imported from
    `dask.distributed` or `distributed.pubsub`), and for their imports where no reported
    call accounts for the import.

    ## Why is this bad?
    distributed 2024.7.0 deprecated the publish-subscribe classes in favour of structured
    events, and distributed 2025.4.0 removed them with the `distributed.pubsub` module:
    `from distributed import Pub, Sub` raises `ImportError` (the test suite checks the
    installed distributed). Events are published with `Client.log_event` or
    `Worker.log_event` and received with `Client.subscribe_topic` or
    `Client.get_events`.

    The rule follows `target-dask-version` (distributed has the same version numbers as
    Dask): a warning from 2024.7.0, an error from 2025.4.0.

    ## Example
    ```python
    from distributed import Pub

    def task(x):
        Pub("progress").put(x)
        return x
    ```

    Use instead:
    ```python
    from distributed import get_worker

    def task(x):
        get_worker().log_event("progress", x)
        return x
    ```

    ## Fix safety
    No fix is offered: events are delivered to subscribers differently from a `Sub`
    queue (a handler is called per event), so the receiving side has to be rewritten.

    ## References
    - [distributed: API, `Client.log_event`, `Client.subscribe_topic`](https://distributed.dask.org/en/stable/api.html)
    - dask/distributed#9039 (removal, 2025.4.0); `distributed/pubsub.py` in 2025.3.0
      (`@_deprecated(use_instead="Client.log_event() or Worker.log_event()")`)
    """

    code = "DSK1009"
    name = "pub-sub-removed"
    summary = "`distributed.Pub`/`Sub` were removed in distributed 2025.4.0; use events"
    severity = Severity.ERROR
    fix_summary = "none"

    deprecated_names: ClassVar[dict[str, Deprecation]] = {
        "distributed.Pub": PUB,
        "distributed.Sub": SUB,
        "distributed.pubsub.Pub": PUB,
        "distributed.pubsub.Sub": SUB,
    }

    def consequence(self, qualified: str) -> str:
        return "importing it raises `ImportError`"
