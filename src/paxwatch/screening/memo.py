"""``Memo``: a bounded memo of a one-argument function whose hits write nothing.

``functools.lru_cache`` moves the link of every hit to the front of its list, writing to
the link and its two neighbours: in a worker forked with the screener
(``batch.ScreeningPool``), each such write copies a page that the parent holds (the memos
of the names' tokens are filled when the list is prepared, before the fork). A ``Memo`` is
a dict: a hit is one look-up in C (``dict.__getitem__``), a miss calls the function and
files its value; when ``maxsize`` values are filed, the memo is emptied before the next
one (bounded memory in a long-lived process, as the LRU's bound).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V], Generic[K, V]):
    """``memo[key]``: ``function(key)``, computed once until the memo is emptied."""

    __slots__ = ("function", "maxsize")

    def __init__(self, function: Callable[[K], V], maxsize: int) -> None:
        super().__init__()
        self.function = function
        self.maxsize = maxsize

    def __missing__(self, key: K) -> V:
        if len(self) >= self.maxsize:
            self.clear()
        value = self[key] = self.function(key)
        return value
