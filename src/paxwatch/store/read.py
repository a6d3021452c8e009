"""Reading the store: flights, manifests, booking histories, quarantine, identifiers.

These are the library functions the CLI and (later) the API call; each returns the frozen
dataclasses of ``paxwatch.store.records``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, select

from paxwatch.store import schema as s
from paxwatch.store.diff import diff_json
from paxwatch.store.keys import booking_key, flight_key, norm_document_number
from paxwatch.store.records import (
    ApiListedTraveller,
    BookedTraveller,
    BookingFlightStatus,
    BookingHistory,
    BookingVersionInfo,
    DeletionCount,
    FlightSummary,
    Manifest,
    QuarantineItem,
    RawMessageInfo,
)

_NO_LINK: tuple[None, None] = (None, None)


def _flight(row: Row[Any], counts: dict[str, int] | None = None) -> FlightSummary:
    c = counts or {}
    return FlightSummary(
        id=row.id,
        key=row.key,
        carrier=row.carrier,
        number=row.number,
        departure_date=row.departure_date,
        origin=row.origin,
        destination=row.destination,
        departure=row.departure,
        arrival=row.arrival,
        bookings=c.get("bookings", 0),
        booked_travellers=c.get("booked", 0),
        api_travellers=c.get("api", 0),
        matched=c.get("matched", 0),
    )


def _flight_counts(conn: Connection, ids: list[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    if not ids:
        return out
    bf, b, t = s.booking_flight, s.booking, s.traveller
    active = bf.c.status == "active"
    for fid, n in conn.execute(
        select(bf.c.flight_id, func.count())
        .where(bf.c.flight_id.in_(ids), active)
        .group_by(bf.c.flight_id)
    ):
        out[fid]["bookings"] = n
    for fid, n in conn.execute(
        select(bf.c.flight_id, func.count(t.c.id))
        .select_from(
            bf.join(b, b.c.id == bf.c.booking_id).join(t, t.c.version_id == b.c.current_version_id)
        )
        .where(bf.c.flight_id.in_(ids), active)
        .group_by(bf.c.flight_id)
    ):
        out[fid]["booked"] = n
    af = s.api_traveller_flight
    for fid, n in conn.execute(
        select(af.c.flight_id, func.count()).where(af.c.flight_id.in_(ids)).group_by(af.c.flight_id)
    ):
        out[fid]["api"] = n
    link = s.api_pnr_link
    for fid, n in conn.execute(
        select(link.c.flight_id, func.count())
        .where(link.c.flight_id.in_(ids))
        .group_by(link.c.flight_id)
    ):
        out[fid]["matched"] = n
    return out


def list_flights(conn: Connection, on: date | None = None) -> list[FlightSummary]:
    """Flights (of one local departure date, or all), with booked and API counts."""
    query = select(s.flight).order_by(s.flight.c.departure, s.flight.c.key)
    if on is not None:
        query = query.where(s.flight.c.departure_date == on)
    rows = list(conn.execute(query))
    counts = _flight_counts(conn, [r.id for r in rows])
    return [_flight(r, counts.get(r.id)) for r in rows]


def get_flight(conn: Connection, flight_id: int) -> FlightSummary | None:
    row = conn.execute(select(s.flight).where(s.flight.c.id == flight_id)).first()
    if row is None:
        return None
    return _flight(row, _flight_counts(conn, [flight_id]).get(flight_id))


def find_flight(
    conn: Connection, carrier: str, number: str, on: date | None
) -> FlightSummary | None:
    """A flight by carrier, number (leading zeros ignored) and local departure date."""
    key = flight_key(carrier, number, on)
    flight_id = conn.execute(select(s.flight.c.id).where(s.flight.c.key == key)).scalar()
    return get_flight(conn, flight_id) if flight_id is not None else None


def _documents(conn: Connection, column: Any, ids: list[int]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for owner, number in conn.execute(
            select(column, s.document.c.number).where(column.in_(chunk))
        ):
            n = norm_document_number(number)
            if n:
                out[owner].append(n)
    return {k: tuple(v) for k, v in out.items()}


def flight_manifest(conn: Connection, flight_id: int) -> Manifest | None:
    """Who is on the flight now (current versions of active bookings) and the API list."""
    summary = get_flight(conn, flight_id)
    if summary is None:
        return None
    t, b, bf, v, link = s.traveller, s.booking, s.booking_flight, s.booking_version, s.api_pnr_link
    seat = (
        select(func.min(s.seat.c.seat))
        .where(s.seat.c.traveller_id == t.c.id)
        .correlate(t)
        .scalar_subquery()
    )
    booked_rows = list(
        conn.execute(
            select(t, b.c.locator, v.c.version_no, seat.label("seat_no"))
            .select_from(
                bf.join(b, b.c.id == bf.c.booking_id)
                .join(v, v.c.id == b.c.current_version_id)
                .join(t, t.c.version_id == v.c.id)
            )
            .where(bf.c.flight_id == flight_id, bf.c.status == "active")
            .order_by(b.c.locator, t.c.seq)
        )
    )
    links: dict[int, tuple[int, str]] = {}
    by_api: dict[int, tuple[int, str]] = {}
    for r in conn.execute(
        select(link).where(link.c.flight_id == flight_id).order_by(link.c.api_traveller_id)
    ):
        links.setdefault(r.traveller_id, (r.api_traveller_id, r.rule))
        by_api[r.api_traveller_id] = (r.traveller_id, r.rule)
    tdocs = _documents(conn, s.document.c.traveller_id, [r.id for r in booked_rows])
    booked = tuple(
        BookedTraveller(
            traveller_id=r.id,
            booking_id=r.booking_id,
            locator=r.locator,
            version_no=r.version_no,
            surname=r.surname,
            given_names=r.given_names,
            date_of_birth=r.date_of_birth,
            gender=r.gender,
            nationality=r.nationality,
            seat=r.seat_no,
            document_numbers=tdocs.get(r.id, ()),
            api_traveller_id=links.get(r.id, _NO_LINK)[0],
            match_rule=links.get(r.id, _NO_LINK)[1],
        )
        for r in booked_rows
    )
    a, af = s.api_traveller, s.api_traveller_flight
    api_rows = list(
        conn.execute(
            select(a)
            .select_from(af.join(a, a.c.id == af.c.api_traveller_id))
            .where(af.c.flight_id == flight_id)
            .order_by(a.c.api_message_id, a.c.seq)
        )
    )
    adocs = _documents(conn, s.document.c.api_traveller_id, [r.id for r in api_rows])
    api = tuple(
        ApiListedTraveller(
            api_traveller_id=r.id,
            api_message_id=r.api_message_id,
            role=r.role,
            surname=r.surname,
            given_names=r.given_names,
            date_of_birth=r.date_of_birth,
            gender=r.gender,
            nationality=r.nationality,
            booking_locator=r.booking_locator,
            document_numbers=adocs.get(r.id, ()),
            traveller_id=by_api.get(r.id, _NO_LINK)[0],
            match_rule=by_api.get(r.id, _NO_LINK)[1],
        )
        for r in api_rows
    )
    cancelled = tuple(
        conn.execute(
            select(b.c.locator)
            .select_from(bf.join(b, b.c.id == bf.c.booking_id))
            .where(bf.c.flight_id == flight_id, bf.c.status == "cancelled")
            .order_by(b.c.locator)
        ).scalars()
    )
    return Manifest(flight=summary, booked=booked, api=api, cancelled_bookings=cancelled)


def booking_history(
    conn: Connection, locator: str, carrier: str | None = None
) -> list[BookingHistory]:
    """Every booking with this locator (of ``carrier`` if given), each with all versions."""
    statements = _history_statements()
    if carrier:
        found = conn.execute(
            statements[1],
            {"locator": locator.strip().upper(), "key": booking_key(carrier, locator)},
        )
    else:
        found = conn.execute(statements[0], {"locator": locator.strip().upper()})
    return [_history(conn, row) for row in found.all()]


@lru_cache(maxsize=1)
def _history_statements() -> tuple[Any, Any, Any, Any]:
    """The statements of ``booking_history``, built once (building one costs more than
    running it): bookings by locator, by locator and key, a booking's versions, its
    flights."""
    b, v, f, bf = s.booking, s.booking_version, s.flight, s.booking_flight
    by_locator = select(b).where(b.c.locator == bindparam("locator")).order_by(b.c.key)
    by_key = (
        select(b)
        .where(b.c.locator == bindparam("locator"), b.c.key == bindparam("key"))
        .order_by(b.c.key)
    )
    versions = (
        select(v, f.c.key.label("flight_key"))
        .select_from(v.outerjoin(f, f.c.id == v.c.flight_id))
        .where(v.c.booking_id == bindparam("booking_id"))
        .order_by(v.c.version_no)
    )
    flights = (
        select(bf, f.c.key)
        .select_from(bf.join(f, f.c.id == bf.c.flight_id))
        .where(bf.c.booking_id == bindparam("booking_id"))
        .order_by(f.c.key)
    )
    return by_locator, by_key, versions, flights


def _history(conn: Connection, row: Row[Any]) -> BookingHistory:
    statements = _history_statements()
    versions: list[BookingVersionInfo] = []
    previous: Any = None
    for r in conn.execute(statements[2], {"booking_id": row.id}):
        content = json.loads(r.content)
        changes = tuple(diff_json(previous, content)) if previous is not None else ()
        previous = content
        versions.append(
            BookingVersionInfo(
                id=r.id,
                version_no=r.version_no,
                received_at=r.received_at,
                raw_message_id=r.raw_message_id,
                flight_key=r.flight_key,
                push_action=r.push_action,
                content_hash=r.content_hash,
                content_json=r.content,
                changes=changes,
            )
        )
    flights = tuple(
        BookingFlightStatus(
            flight_id=r.flight_id,
            flight_key=r.key,
            status=r.status,
            last_seen_at=r.last_seen_at,
            cancelled_at=r.cancelled_at,
        )
        for r in conn.execute(statements[3], {"booking_id": row.id})
    )
    return BookingHistory(
        booking_id=row.id,
        key=row.key,
        locator=row.locator,
        carrier=row.carrier,
        versions=tuple(versions),
        flights=flights,
    )


def _quarantine_item(r: Row[Any]) -> QuarantineItem:
    return QuarantineItem(
        id=r.id,
        raw_message_id=r.raw_message_id,
        reason=r.reason,
        findings_json=r.findings,
        created_at=r.created_at,
        attempts=r.attempts,
        resolved_at=r.resolved_at,
        source=r.source,
        name=r.name,
        size=r.size,
    )


def _quarantine_query() -> Any:
    q, raw = s.quarantine, s.raw_message
    return select(q, raw.c.source, raw.c.name, raw.c.size).select_from(
        q.join(raw, raw.c.id == q.c.raw_message_id)
    )


def list_quarantine(conn: Connection, *, include_resolved: bool = False) -> list[QuarantineItem]:
    """Quarantined inputs, oldest first (unresolved only unless asked)."""
    query = _quarantine_query().order_by(s.quarantine.c.id)
    if not include_resolved:
        query = query.where(s.quarantine.c.resolved_at.is_(None))
    return [_quarantine_item(r) for r in conn.execute(query)]


def get_quarantine(conn: Connection, quarantine_id: int) -> QuarantineItem | None:
    row = conn.execute(_quarantine_query().where(s.quarantine.c.id == quarantine_id)).first()
    return _quarantine_item(row) if row is not None else None


def raw_body(conn: Connection, raw_id: int) -> bytes | None:
    """The archived copy of an input (with deleted data blanked)."""
    body = conn.execute(select(s.raw_message.c.body).where(s.raw_message.c.id == raw_id)).scalar()
    return bytes(body) if body is not None else None


def list_raw(conn: Connection) -> list[RawMessageInfo]:
    """Every archived input (without the bytes), in order of arrival."""
    r = s.raw_message
    # Not the bytes, nor the retention job's ``erased`` marker (migration 0012).
    cols = [c for c in r.c if c.name not in ("body", "erased")]
    return [
        RawMessageInfo(**{c.name: row._mapping[c.name] for c in cols})
        for row in conn.execute(select(*cols).order_by(r.c.id))
    ]


def deletion_counts(conn: Connection, raw_id: int | None = None) -> list[DeletionCount]:
    """What minimisation deleted (of one input, or in total), by category and element."""
    d = s.deletion_log
    query = select(d.c.category, d.c.element, func.sum(d.c.count)).group_by(
        d.c.category, d.c.element
    )
    if raw_id is not None:
        query = query.where(d.c.raw_message_id == raw_id)
    return [
        DeletionCount(category=c, element=e, count=int(n))
        for c, e, n in conn.execute(query.order_by(d.c.category, d.c.element))
    ]
