"""The audit trail's chain: typed events appended in the caller's transaction, numbered
without gaps and hashed one after the other (``paxwatch.privacy.audit`` is the trail's
entry point and describes it)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from paxwatch.privacy.audit_events import EVENT_TYPES, AuditEvent, E
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import audit_anchor, audit_event

GENESIS_HASH = "0" * 64
"""``prev_hash`` of the first entry ever written."""

ANCHOR_ID = 1
"""The id of the one ``audit_anchor`` row."""

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
class Anchor:
    """The chain's anchor row: where the chain starts (``first_seq`` and the hash before
    it) and its head (last ``seq`` and hash)."""

    first_seq: int
    first_prev_hash: str
    head_seq: int
    head_hash: str


_GENESIS = Anchor(1, GENESIS_HASH, 0, GENESIS_HASH)


# Built once: building a statement costs more than running it on SQLite (every read of
# personal data appends to the trail).
_ANCHOR_READ = select(audit_anchor).where(audit_anchor.c.id == ANCHOR_ID)
_ANCHOR_LOCKED = _ANCHOR_READ.with_for_update()
_ENTRY_INSERT = insert(audit_event)
_HEAD_UPDATE = (
    update(audit_anchor)
    .where(audit_anchor.c.id == ANCHOR_ID)
    .values(
        head_seq=bindparam("new_head_seq"),
        head_hash=bindparam("new_head_hash"),
        updated_at=bindparam("new_updated_at"),
    )
)


def read_anchor(conn: Connection, *, lock: bool = False, create: bool = False) -> Anchor:
    """The anchor row (the migration writes it; ``create`` writes it when absent)."""
    row = conn.execute(_ANCHOR_LOCKED if lock else _ANCHOR_READ).one_or_none()
    if row is None:
        if create:
            conn.execute(
                insert(audit_anchor).values(
                    id=ANCHOR_ID,
                    first_seq=_GENESIS.first_seq,
                    first_prev_hash=_GENESIS.first_prev_hash,
                    head_seq=_GENESIS.head_seq,
                    head_hash=_GENESIS.head_hash,
                    updated_at=utcnow(),
                )
            )
        return _GENESIS
    return Anchor(
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


def append_events(
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
    anchor = read_anchor(conn, lock=True, create=True)
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
    return append_events(conn, (event,), at)[0]


def record_all(conn: Connection, events: Sequence[AuditEvent]) -> list[AuditEntry]:
    """Append several events in order (in the caller's write transaction)."""
    return append_events(conn, events)


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
