"""Writing to the store: archive, booking versions, API lists, quarantine, deletion log.

Every function takes an open ``Connection`` inside a transaction: the caller (the ingest
pipeline) decides the transaction, so that one input is stored all-or-nothing.

Versions (Annex I item 19): a booking is identified by reporting carrier and record locator.
A push whose minimised content (canonical JSON) differs from the booking's current version
creates a new version; an identical push creates none and only refreshes ``last_seen``.

Full pushes (MSG 22): see ``push.py``. A booking marked cancelled becomes active again as
soon as a later push carries it. Change pushes (MSG 141) never cancel anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from paxwatch.model import (
    Finding,
    Flight,
)
from paxwatch.model.jsonable import to_jsonable
from paxwatch.store import schema as s
from paxwatch.store.flight_times import utc_columns
from paxwatch.store.keys import (
    flight_date,
    key_of_flight,
)
from paxwatch.store.rows import (
    allocate_ids,
    insert_ids,
    insert_many,
    run_sql,
    update_rows,
    upsert_for,
)
from paxwatch.store.set_sql import any_of

_CHUNK = 500


# ---------------------------------------------------------------- archive, log, quarantine


def find_raw(conn: Connection, content_hash: str) -> int | None:
    """The archive id of an input with this content hash, if it was received before."""
    return conn.execute(
        select(s.raw_message.c.id).where(s.raw_message.c.content_hash == content_hash)
    ).scalar()


def find_raws(conn: Connection, hashes: Sequence[str]) -> dict[str, int]:
    """The archive ids of those content hashes that were received before."""
    out: dict[str, int] = {}
    for start in range(0, len(hashes), _CHUNK):
        where, params = any_of(conn, hashes[start : start + _CHUNK], "text")
        sql = f"SELECT content_hash, id FROM raw_message WHERE content_hash {where}"
        for digest, raw_id in run_sql(conn, sql, params).rows:
            out[digest] = int(raw_id)
    return out


def archive_raw(
    conn: Connection,
    *,
    content_hash: str,
    body: bytes,
    size: int,
    redacted: int,
    received_at: datetime,
    source: str,
    name: str | None,
    format: str | None,
    status: str,
) -> int:
    """Archive one input; ``content_hash`` is of the original bytes (unique)."""
    row = {
        "content_hash": content_hash,
        "body": body,
        "size": size,
        "redacted": redacted,
        "received_at": received_at,
        "source": source[:200],
        "name": name[:1000] if name else None,
        "format": format,
        "status": status,
        "bookings": 0,
        "new_versions": 0,
        "api_travellers": 0,
    }
    return insert_ids(conn, s.raw_message, [row])[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class RawRow:
    """One input to archive with ``archive_raws`` (its id from ``reserve_raw_ids``)."""

    id: int
    content_hash: str
    body: bytes
    size: int
    redacted: int
    received_at: datetime
    source: str
    name: str | None
    format: str | None
    status: str
    bookings: int = 0
    new_versions: int = 0
    api_travellers: int = 0


def reserve_raw_ids(conn: Connection, count: int) -> list[int]:
    """Ids for inputs archived later in this transaction by ``archive_raws``."""
    return allocate_ids(conn, s.raw_message, count)


def archive_raws(conn: Connection, rows: Sequence[RawRow]) -> None:
    """Archive several inputs at once, with their final status and counts."""
    insert_many(
        conn,
        s.raw_message,
        [
            {
                "id": r.id,
                "content_hash": r.content_hash,
                "body": r.body,
                "size": r.size,
                "redacted": r.redacted,
                "received_at": r.received_at,
                "source": r.source[:200],
                "name": r.name[:1000] if r.name else None,
                "format": r.format,
                "status": r.status,
                "bookings": r.bookings,
                "new_versions": r.new_versions,
                "api_travellers": r.api_travellers,
            }
            for r in rows
        ],
    )


def set_raw_status(
    conn: Connection,
    raw_id: int,
    *,
    status: str,
    format: str | None = None,
    bookings: int = 0,
    new_versions: int = 0,
    api_travellers: int = 0,
) -> None:
    """Record what became of an archived input."""
    values: dict[str, Any] = {
        "status": status,
        "bookings": bookings,
        "new_versions": new_versions,
        "api_travellers": api_travellers,
    }
    if format is not None:
        values["format"] = format
    conn.execute(update(s.raw_message).where(s.raw_message.c.id == raw_id).values(**values))


def log_deletions(
    conn: Connection, raw_id: int, deletions: Iterable[tuple[str, str, int]], at: datetime
) -> None:
    """Record (category, element, count) of what minimisation deleted from an input."""
    rows = [
        {"raw_message_id": raw_id, "category": c, "element": e, "count": n, "created_at": at}
        for c, e, n in deletions
    ]
    insert_many(conn, s.deletion_log, rows)


def log_deletions_many(
    conn: Connection, rows: Iterable[tuple[int, str, str, int]], at: datetime
) -> None:
    """Record (raw message id, category, element, count) rows of several inputs at once."""
    insert_many(
        conn,
        s.deletion_log,
        [
            {"raw_message_id": r, "category": c, "element": e, "count": n, "created_at": at}
            for r, c, e, n in rows
        ],
    )


def set_raw_statuses(conn: Connection, rows: Sequence[tuple[int, str, int, int, int]]) -> None:
    """Record (id, status, bookings, new versions, API travellers) of several inputs."""
    if not rows:
        return
    update_rows(
        conn,
        s.raw_message,
        ("status", "bookings", "new_versions", "api_travellers"),
        [(st, b, v, a, i) for i, st, b, v, a in rows],
    )


def findings_json(findings: Iterable[Finding]) -> str:
    return json.dumps(to_jsonable(tuple(findings)), ensure_ascii=False)


def quarantine_raw(
    conn: Connection, raw_id: int, *, reason: str, findings: Iterable[Finding], at: datetime
) -> int:
    """Put an archived input in quarantine with its findings (or update its findings)."""
    existing = conn.execute(
        select(s.quarantine.c.id).where(s.quarantine.c.raw_message_id == raw_id)
    ).scalar()
    text = findings_json(findings)
    if existing is not None:
        conn.execute(
            update(s.quarantine)
            .where(s.quarantine.c.id == existing)
            .values(
                reason=reason,
                findings=text,
                attempts=s.quarantine.c.attempts + 1,
                resolved_at=None,
            )
        )
        return int(existing)
    row = {
        "raw_message_id": raw_id,
        "reason": reason,
        "findings": text,
        "created_at": at,
        "attempts": 1,
        "resolved_at": None,
    }
    return insert_ids(conn, s.quarantine, [row])[0]


def resolve_quarantine(conn: Connection, raw_id: int, at: datetime) -> None:
    """Mark the quarantine entry of an input resolved (it was read on retry)."""
    conn.execute(
        update(s.quarantine)
        .where(s.quarantine.c.raw_message_id == raw_id)
        .values(resolved_at=at, attempts=s.quarantine.c.attempts + 1)
    )


# ---------------------------------------------------------------- flights


def ensure_flight(conn: Connection, flight: Flight, at: datetime) -> int:
    """The id of the flight row (created when new), locked for this transaction on PostgreSQL.

    The lock serialises the writers of one flight (full-push bookkeeping, versions).
    """
    return ensure_flights(conn, [flight], at)[key_of_flight(flight)]


def _flight_ids(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
    f = s.flight
    out: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        query = select(f.c.key, f.c.id).where(f.c.key.in_(keys[start : start + _CHUNK]))
        if conn.dialect.name == "postgresql":
            # Locked in key order, so that writers of overlapping flights cannot deadlock.
            query = query.order_by(f.c.key).with_for_update()
        for key, flight_id in conn.execute(query):
            out[key] = int(flight_id)
    return out


def ensure_flights(conn: Connection, flights: Iterable[Flight], at: datetime) -> dict[str, int]:
    """``ensure_flight`` for several flights with one query: their ids by ``key_of_flight``."""
    by_key: dict[str, Flight] = {}
    for flight in flights:
        by_key.setdefault(key_of_flight(flight), flight)
    if not by_key:
        return {}
    keys = sorted(by_key)
    found = _flight_ids(conn, keys)
    missing = [k for k in keys if k not in found]
    if not missing:
        return found
    rows = [
        {
            "key": key,
            "carrier": flight.carrier.upper()[:3],
            "number": (flight.number.lstrip("0") or "0")[:8],
            "departure_date": flight_date(flight),
            "origin": flight.origin,
            "destination": flight.destination,
            "departure": flight.departure,
            "arrival": flight.arrival,
            **utc_columns(flight.origin, flight.destination, flight.departure, flight.arrival),
            "created_at": at,
        }
        for key, flight in ((k, by_key[k]) for k in missing)
    ]
    conn.execute(upsert_for(conn, s.flight).on_conflict_do_nothing(), rows)
    created = _flight_ids(conn, missing)
    found.update(created)
    legs = [
        {
            "flight_id": created[key],
            "seq": i,
            "origin": leg.origin,
            "destination": leg.destination,
            "departure": leg.departure,
            "arrival": leg.arrival,
            **utc_columns(leg.origin, leg.destination, leg.departure, leg.arrival),
        }
        for key in missing
        for i, leg in enumerate(by_key[key].legs, 1)
    ]
    insert_many(conn, s.flight_leg, legs)
    return found
