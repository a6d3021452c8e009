"""What a new version of a list changes: entries added, changed and removed.

Re-screening needs only the added and changed entries (against stored travellers); the
removed ones close their open hits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from paxwatch.model.watchlist import WatchlistEntry


@dataclass(frozen=True, slots=True)
class ListDiff:
    added: tuple[WatchlistEntry, ...]
    changed: tuple[tuple[WatchlistEntry, WatchlistEntry], ...]
    removed: tuple[WatchlistEntry, ...]
    unchanged: int

    @property
    def to_rescreen(self) -> tuple[WatchlistEntry, ...]:
        """The entries stored travellers must be screened against again."""
        return self.added + tuple(new for _old, new in self.changed)


def diff_lists(previous: Iterable[WatchlistEntry], current: Iterable[WatchlistEntry]) -> ListDiff:
    """Compare two versions, entries keyed by (source, entry_id); ``changed`` holds
    (old, new) pairs whose content differs in any field."""
    old = {(e.source, e.entry_id): e for e in previous}
    new = {(e.source, e.entry_id): e for e in current}
    added = tuple(e for k, e in new.items() if k not in old)
    removed = tuple(e for k, e in old.items() if k not in new)
    changed = tuple((old[k], e) for k, e in new.items() if k in old and old[k] != e)
    unchanged = sum(1 for k, e in new.items() if k in old and old[k] == e)
    return ListDiff(added, changed, removed, unchanged)
