"""Group commit of audit entries that go with no change of their own (reads of personal
data): the events of concurrent requests appended in one write transaction."""

from __future__ import annotations

import threading
import weakref

from paxwatch.privacy.audit_chain import AuditEntry, append_events
from paxwatch.privacy.audit_events import AuditEvent
from paxwatch.store.engine import Store


class _Pending:
    """One event handed to the group commit, and what became of it."""

    __slots__ = ("entry", "error", "event")

    def __init__(self, event: AuditEvent) -> None:
        self.event = event
        self.entry: AuditEntry | None = None
        self.error: BaseException | None = None


class GroupCommit:
    """Audit appends of many threads, committed together (group commit).

    An event that describes no change of its own (a read of personal data) needs its own
    write transaction. Under load, one transaction per request serialises every request on
    the store's single writer. Here a request hands its event over and waits: the first
    waiter to get the commit lock (the *leader*) takes every event handed over so far and
    appends them, in the order they were handed over, in **one** write transaction
    (``append_events``: the same chain as :func:`record`, so :func:`verify` is unchanged); the
    others wake up with their entry already committed. There is no timer: a lone request
    commits at once, and the batch grows with the load.

    :meth:`append` returns only once the transaction holding the event has committed, so the
    event is durable before the caller answers (the legal guarantee of Art 13(6)). If the
    batch fails, each of its events is retried alone, so that one bad event fails only its
    own request.
    """

    def __init__(self, store: Store, *, max_batch: int = 500) -> None:
        self._store = store
        self._max_batch = max_batch
        self._queue_lock = threading.Lock()
        self._commit_lock = threading.Lock()
        self._pending: list[_Pending] = []
        self.batches = 0
        """Transactions committed (for tests and metrics)."""

    def append(self, event: AuditEvent) -> AuditEntry:
        """Append ``event`` and return its entry once committed (raises what the append
        raised)."""
        mine = _Pending(event)
        with self._queue_lock:
            self._pending.append(mine)
        while mine.entry is None and mine.error is None:
            with self._commit_lock:
                if mine.entry is None and mine.error is None:
                    with self._queue_lock:
                        batch = self._pending[: self._max_batch]
                        del self._pending[: self._max_batch]
                    self._commit(batch)
        if mine.error is not None:
            raise mine.error
        assert mine.entry is not None
        return mine.entry

    def _commit(self, batch: list[_Pending]) -> None:
        if not batch:
            return
        try:
            with self._store.write() as conn:
                entries = append_events(conn, [p.event for p in batch])
        except BaseException as exc:
            if len(batch) == 1 or not isinstance(exc, Exception):
                for pending in batch:
                    pending.error = exc
                if not isinstance(exc, Exception):
                    raise
                return
            for one in batch:
                self._commit([one])
            return
        self.batches += 1
        for pending, entry in zip(batch, entries, strict=True):
            pending.entry = entry


_GROUPS: weakref.WeakKeyDictionary[Store, GroupCommit] = weakref.WeakKeyDictionary()
_GROUPS_LOCK = threading.Lock()


def group_commit(store: Store) -> GroupCommit:
    """The group commit of ``store`` (one per store object)."""
    with _GROUPS_LOCK:
        found = _GROUPS.get(store)
        if found is None:
            found = _GROUPS[store] = GroupCommit(store)
        return found


def record_committed(store: Store, event: AuditEvent) -> AuditEntry:
    """Append an event that goes with no change of its own (a read) in its own
    transaction, grouped with the events of concurrent requests (:class:`GroupCommit`);
    returns once it has committed."""
    return group_commit(store).append(event)
