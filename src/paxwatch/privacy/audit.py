"""The audit trail (Directive Art 13(6)): an append-only, tamper-evident log of events.

What is recorded: every read of personal data (``PersonalDataRead``: which records, by
whom, for which hit or request, with a purpose), every review decision, every transmission
(disclosure), every change to users, rules, watch lists and settings, logins, deletions,
and the pruning of the trail itself. Events are typed dataclasses (``audit_events``,
re-exported here); :func:`record` appends
one inside the caller's transaction, so that the event and the change it describes commit
together. Events carry ids, codes and digests, never names, document numbers, passwords or
tokens.

Tamper evidence: entries are numbered without gaps (``seq``) and chained: each stores
``hash = SHA-256(prev_hash + canonical JSON of the entry)``. The one ``audit_anchor`` row
holds the head (last ``seq`` and hash) and where the chain starts (first ``seq`` and the
hash before it, which :func:`prune_before` moves). :func:`verify` recomputes the chain and
reports the first entry that was edited, inserted or removed, including removed last
entries (the head no longer matches). A :class:`Checkpoint` (``seq`` and hash printed by
``paxwatch audit head`` and kept outside the database) also detects a rewrite of the whole
chain together with its anchor.

Retention: entries are kept 5 years (Art 13(6)); :func:`prune_before` removes older ones
and re-anchors the chain so that :func:`verify` keeps working.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from paxwatch.privacy.audit_events import (
    EVENT_TYPES,
    AuditEvent,
    AuditPrunedEvent,
    DeletionEvent,
    E,
    HitDecisionEvent,
    LoginEvent,
    PersonalDataRead,
    RuleChangeEvent,
    SettingChangeEvent,
    TransmissionEvent,
    UserEvent,
    WatchlistChangeEvent,
)
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import audit_anchor, audit_event

GENESIS_HASH = "0" * 64
"""``prev_hash`` of the first entry ever written."""

RETENTION_YEARS = 5
"""How long audit entries are kept (Directive Art 13(6))."""

_ANCHOR_ID = 1
_CHUNK = 1000

# -- entries -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """A stored audit entry."""

    seq: int
    at: datetime
    actor: str
    kind: str
    payload: str
    prev_hash: str
    hash: str

    def data(self) -> dict[str, Any]:
        """The event's fields, parsed from the stored JSON."""
        parsed: dict[str, Any] = json.loads(self.payload)
        return parsed

    def event(self) -> AuditEvent | None:
        """The typed event (None for a kind this version does not know)."""
        cls = EVENT_TYPES.get(self.kind)
        if cls is None:
            return None
        names = {f.name for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {"actor": self.actor}
        for key, value in self.data().items():
            if key in names:
                values[key] = tuple(value) if isinstance(value, list) else value
        return cls(**values)


def canonical(value: object) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    prev_hash: str, *, seq: int, at: datetime, actor: str, kind: str, payload: str
) -> str:
    """SHA-256 of the previous hash and the canonical JSON of the entry."""
    body = canonical(
        {
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor,
            "kind": kind,
            "payload": payload,
        }
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=int(row.seq),
        at=row.at,
        actor=row.actor,
        kind=row.kind,
        payload=row.payload,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


@dataclass(frozen=True, slots=True)
class _Anchor:
    first_seq: int
    first_prev_hash: str
    head_seq: int
    head_hash: str


_GENESIS = _Anchor(1, GENESIS_HASH, 0, GENESIS_HASH)


# Built once: building a statement costs more than running it on SQLite (every read of
# personal data appends to the trail).
_ANCHOR_READ = select(audit_anchor).where(audit_anchor.c.id == _ANCHOR_ID)
_ANCHOR_LOCKED = _ANCHOR_READ.with_for_update()
_ENTRY_INSERT = insert(audit_event)
_HEAD_UPDATE = (
    update(audit_anchor)
    .where(audit_anchor.c.id == _ANCHOR_ID)
    .values(
        head_seq=bindparam("new_head_seq"),
        head_hash=bindparam("new_head_hash"),
        updated_at=bindparam("new_updated_at"),
    )
)


def _anchor(conn: Connection, *, lock: bool = False, create: bool = False) -> _Anchor:
    """The anchor row (the migration writes it; ``create`` writes it when absent)."""
    row = conn.execute(_ANCHOR_LOCKED if lock else _ANCHOR_READ).one_or_none()
    if row is None:
        if create:
            conn.execute(
                insert(audit_anchor).values(
                    id=_ANCHOR_ID,
                    first_seq=_GENESIS.first_seq,
                    first_prev_hash=_GENESIS.first_prev_hash,
                    head_seq=_GENESIS.head_seq,
                    head_hash=_GENESIS.head_hash,
                    updated_at=utcnow(),
                )
            )
        return _GENESIS
    return _Anchor(
        int(row.first_seq), str(row.first_prev_hash), int(row.head_seq), str(row.head_hash)
    )


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at,
        "actor": entry.actor,
        "kind": entry.kind,
        "payload": entry.payload,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _append(
    conn: Connection, events: Sequence[AuditEvent], at: datetime | None = None
) -> list[AuditEntry]:
    """Chain ``events`` in order after the head: one anchor read (locked), one multi-row
    insert and one anchor update, whatever the number of events.

    The head is read inside the caller's write transaction, so writers of several processes
    chain one after the other: on SQLite the transaction began with ``BEGIN IMMEDIATE``
    (the file's write lock is held from the start), on PostgreSQL the anchor row is locked
    (``SELECT … FOR UPDATE``)."""
    if not events:
        return []
    anchor = _anchor(conn, lock=True, create=True)
    seq, prev = anchor.head_seq, anchor.head_hash
    entries: list[AuditEntry] = []
    for event in events:
        when = (at or utcnow()).replace(tzinfo=None)
        seq += 1
        payload = canonical(event.payload())
        digest = entry_hash(
            prev, seq=seq, at=when, actor=event.actor, kind=event.kind, payload=payload
        )
        entries.append(
            AuditEntry(
                seq=seq,
                at=when,
                actor=event.actor,
                kind=event.kind,
                payload=payload,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    conn.execute(_ENTRY_INSERT, [_row(e) for e in entries])
    last = entries[-1]
    conn.execute(
        _HEAD_UPDATE,
        {"new_head_seq": last.seq, "new_head_hash": last.hash, "new_updated_at": last.at},
    )
    return entries


def record(conn: Connection, event: AuditEvent, *, at: datetime | None = None) -> AuditEntry:
    """Append ``event`` to the trail in the caller's (write) transaction.

    On PostgreSQL the anchor row is locked (``SELECT ... FOR UPDATE``) so that concurrent
    writers chain one after the other; on SQLite the write transaction began with
    ``BEGIN IMMEDIATE``, which holds the file's write lock for every process.
    """
    return _append(conn, (event,), at)[0]


def record_all(conn: Connection, events: Sequence[AuditEvent]) -> list[AuditEntry]:
    """Append several events in order (in the caller's write transaction)."""
    return _append(conn, events)


# -- group commit ---------------------------------------------------------------------------


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
    (``_append``: the same chain as :func:`record`, so :func:`verify` is unchanged); the
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
                entries = _append(conn, [p.event for p in batch])
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


def list_events(
    conn: Connection,
    *,
    actor: str | None = None,
    kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    event_type: type[E] | None = None,
    limit: int | None = 1000,
    newest_first: bool = True,
) -> list[AuditEntry]:
    """Audit entries, filtered (``kind``: exact kind, or a prefix ending in ``.``)."""
    a = audit_event
    query = select(a)
    if actor is not None:
        query = query.where(a.c.actor == actor)
    if event_type is not None:
        kind = event_type.kind
    if kind is not None:
        query = query.where(
            a.c.kind.startswith(kind, autoescape=True) if kind.endswith(".") else a.c.kind == kind
        )
    if since is not None:
        query = query.where(a.c.at >= since)
    if until is not None:
        query = query.where(a.c.at < until)
    query = query.order_by(a.c.seq.desc() if newest_first else a.c.seq)
    if limit is not None:
        query = query.limit(limit)
    return [_entry(row) for row in conn.execute(query)]


# -- verification -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A head seen earlier (``seq`` and hash), kept outside the database."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse ``SEQ:HASH``."""
        seq, _, digest = text.strip().partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise ValueError("a checkpoint is SEQ:SHA256 (as printed by 'paxwatch audit head')")
        return cls(int(seq), digest.lower())


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyResult:
    """The outcome of :func:`verify`: ``ok``, how many entries were checked, and for a
    broken chain the first bad entry (``seq``) and what is wrong (``problem``)."""

    ok: bool
    checked: int
    first_seq: int
    head_seq: int
    head_hash: str
    seq: int | None = None
    problem: str | None = None


def _rows(conn: Connection, start: int) -> Iterator[Any]:
    last = start - 1
    while True:
        rows = conn.execute(
            select(audit_event)
            .where(audit_event.c.seq > last)
            .order_by(audit_event.c.seq)
            .limit(_CHUNK)
        ).all()
        if not rows:
            return
        yield from rows
        last = int(rows[-1].seq)


def _verify(conn: Connection, checkpoint: Checkpoint | None) -> VerifyResult:
    anchor = _anchor(conn)
    first, head, head_hash = anchor.first_seq, anchor.head_seq, anchor.head_hash

    def bad(seq: int | None, problem: str, checked: int) -> VerifyResult:
        return VerifyResult(
            ok=False,
            checked=checked,
            first_seq=first,
            head_seq=head,
            head_hash=head_hash,
            seq=seq,
            problem=problem,
        )

    before = conn.execute(select(func.min(audit_event.c.seq))).scalar()
    if before is not None and int(before) < first:
        return bad(int(before), "entry before the start of the chain (inserted)", 0)
    expected, prev, checked = first, anchor.first_prev_hash, 0
    seen_checkpoint = checkpoint is None or checkpoint.seq < first
    for row in _rows(conn, first):
        seq = int(row.seq)
        if seq != expected:
            return bad(expected, f"entries {expected}..{seq - 1} are missing (removed)", checked)
        if row.prev_hash != prev:
            return bad(
                seq, "link to the previous entry broken (entry removed or replaced)", checked
            )
        digest = entry_hash(
            prev, seq=seq, at=row.at, actor=row.actor, kind=row.kind, payload=row.payload
        )
        if digest != row.hash:
            return bad(seq, "content changed (hash does not match)", checked)
        if checkpoint is not None and seq == checkpoint.seq:
            if digest != checkpoint.hash:
                return bad(seq, "differs from the checkpoint (chain rewritten)", checked)
            seen_checkpoint = True
        prev, expected, checked = digest, seq + 1, checked + 1
    if expected - 1 != head:
        if expected - 1 < head:
            return bad(expected, f"entries {expected}..{head} are missing (removed)", checked)
        return bad(head + 1, "entries after the recorded head (inserted)", checked)
    if prev != head_hash:
        return bad(head, "the last entry does not match the recorded head", checked)
    if not seen_checkpoint:
        return bad(checkpoint.seq if checkpoint else None, "checkpoint entry not found", checked)
    return VerifyResult(
        ok=True, checked=checked, first_seq=first, head_seq=head, head_hash=head_hash
    )


def verify(store: Store, *, checkpoint: Checkpoint | None = None) -> VerifyResult:
    """Recompute the chain; report the first entry edited, inserted or removed."""
    with store.read() as conn:
        return _verify(conn, checkpoint)


def head(store: Store) -> Checkpoint:
    """The current head of the chain (to keep outside the database, see ``Checkpoint``)."""
    with store.read() as conn:
        anchor = _anchor(conn)
    return Checkpoint(anchor.head_seq, anchor.head_hash)


# -- retention ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PruneResult:
    """What :func:`prune_before` removed and where the chain starts now."""

    removed: int
    first_seq: int


class AuditRetentionError(ValueError):
    """Pruning would remove entries younger than the retention period."""


def retention_cutoff(now: datetime | None = None) -> datetime:
    """The oldest time still inside the retention period (5 years before ``now``)."""
    when = now or utcnow()
    try:
        return when.replace(year=when.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        return when.replace(year=when.year - RETENTION_YEARS, day=28) + timedelta(days=1)


def prune_before(
    store: Store, before: datetime, *, actor: str = "system", allow_recent: bool = False
) -> PruneResult:
    """Remove the entries written before ``before`` (in ``seq`` order: the prefix of the
    chain up to the last such entry), move the anchor's start past them, and record an
    ``audit.pruned`` event. Refuses a cutoff inside the retention period unless
    ``allow_recent``."""
    if not allow_recent and before > retention_cutoff():
        raise AuditRetentionError(
            f"audit entries are kept {RETENTION_YEARS} years; "
            f"cutoff {before:%Y-%m-%d} is too recent"
        )
    with store.write() as conn:
        anchor = _anchor(conn, lock=True, create=True)
        last = conn.execute(
            select(func.max(audit_event.c.seq)).where(audit_event.c.at < before)
        ).scalar()
        if last is None:
            return PruneResult(removed=0, first_seq=anchor.first_seq)
        last_row = conn.execute(select(audit_event).where(audit_event.c.seq == last)).one()
        removed = conn.execute(delete(audit_event).where(audit_event.c.seq <= last)).rowcount
        conn.execute(
            update(audit_anchor)
            .where(audit_anchor.c.id == _ANCHOR_ID)
            .values(
                first_seq=int(last) + 1,
                first_prev_hash=last_row.hash,
                pruned_before=before,
                updated_at=utcnow(),
            )
        )
        record(
            conn,
            AuditPrunedEvent(
                actor=actor,
                before=before.isoformat(),
                removed=int(removed or 0),
                last_removed_seq=int(last),
                last_removed_hash=str(last_row.hash),
            ),
        )
    return PruneResult(removed=int(removed or 0), first_seq=int(last) + 1)


__all__ = [
    "EVENT_TYPES",
    "GENESIS_HASH",
    "RETENTION_YEARS",
    "AuditEntry",
    "AuditEvent",
    "AuditPrunedEvent",
    "AuditRetentionError",
    "Checkpoint",
    "DeletionEvent",
    "GroupCommit",
    "HitDecisionEvent",
    "LoginEvent",
    "PersonalDataRead",
    "PruneResult",
    "RuleChangeEvent",
    "SettingChangeEvent",
    "TransmissionEvent",
    "UserEvent",
    "VerifyResult",
    "WatchlistChangeEvent",
    "canonical",
    "entry_hash",
    "group_commit",
    "head",
    "list_events",
    "prune_before",
    "record",
    "record_all",
    "record_committed",
    "retention_cutoff",
    "verify",
]
