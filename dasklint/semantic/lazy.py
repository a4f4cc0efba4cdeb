"""What a value that runs later holds: a Delayed, a future, a list of either, or a collection.

The data flow finds it (:mod:`dasklint.semantic.dataflow`); the model, its analyses and the
rules name it, so it sits below them all.
"""

from __future__ import annotations

import enum


class Lazy(enum.Enum):
    DELAYED = "Delayed"
    DELAYED_LIST = "list of Delayed"
    FUTURE = "Future"
    FUTURE_LIST = "list of Future"
    COLLECTION = "collection"

    @property
    def is_list(self) -> bool:
        return self in (Lazy.DELAYED_LIST, Lazy.FUTURE_LIST)

    @property
    def element(self) -> Lazy:
        return {Lazy.DELAYED_LIST: Lazy.DELAYED, Lazy.FUTURE_LIST: Lazy.FUTURE}.get(self, self)

    @property
    def as_list(self) -> Lazy:
        return {Lazy.DELAYED: Lazy.DELAYED_LIST, Lazy.FUTURE: Lazy.FUTURE_LIST}.get(self, self)


__all__ = ["Lazy"]
