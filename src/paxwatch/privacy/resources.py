"""The facts the permission check needs about stored records (``paxwatch.privacy.access``).

Flight times in the store are local times as messages give them; the window rule compares
them with UTC, so they are converted with the time zone of the airport (``airportsdata``);
an airport it does not know leaves the time as if it were UTC.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, exists, or_, select

from paxwatch.privacy.access import (
    OPEN_HIT_STATUSES,
    FlightResource,
    FlightWindow,
    TravellerResource,
)
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.flight_times import utc_of


def local_to_utc(value: datetime | None, airport: str | None) -> datetime | None:
    """A local time at ``airport`` as naive UTC (unchanged when the zone is unknown)."""
    if value is None:
        return None
    return _local_to_utc(value, airport)


@lru_cache(maxsize=65_536)
def _local_to_utc(value: datetime, airport: str | None) -> datetime:
    # Cached: the queue and the visibility checks convert the same flight times again and
    # again (a pure function of its arguments).
    converted = utc_of(value, airport)
    assert converted is not None
    return converted


def _window(row: Any) -> FlightWindow:
    return FlightWindow(
        flight_id=int(row.id),
        first_seen_at=row.created_at,
        departure_utc=local_to_utc(row.departure, row.origin),
        arrival_utc=local_to_utc(row.arrival, row.destination),
    )


def _flight_columns() -> tuple[Any, ...]:
    f = s.flight
    return (f.c.id, f.c.created_at, f.c.departure, f.c.arrival, f.c.origin, f.c.destination)


def flight_window(conn: Connection, flight_id: int) -> FlightWindow | None:
    """The window facts of one flight (None when it does not exist)."""
    row = conn.execute(select(*_flight_columns()).where(s.flight.c.id == flight_id)).first()
    return _window(row) if row is not None else None


def flight_resource(conn: Connection, flight_id: int) -> FlightResource | None:
    """A flight's passenger data, as a resource to check."""
    window = flight_window(conn, flight_id)
    return FlightResource(flight=window) if window is not None else None


_BOOKING_FLIGHTS = (
    select(*_flight_columns())
    .join(s.booking_flight, s.booking_flight.c.flight_id == s.flight.c.id)
    .where(s.booking_flight.c.booking_id == bindparam("booking_id"))
    .order_by(s.flight.c.id)
)
_BOOKING_OPEN_HIT = exists().where(
    # Equalities rather than ``IN``: an ``IN`` list is rendered into the SQL text again at
    # every execution.
    or_(*(sa_.hit.c.status == status for status in sorted(OPEN_HIT_STATUSES))),
    sa_.hit.c.booking_id == s.booking.c.id,
)
_BOOKING = (
    select(
        s.booking.c.id.label("booking_id"),
        _BOOKING_OPEN_HIT.label("open_hit"),
        *_flight_columns(),
    )
    .select_from(
        s.booking.outerjoin(
            s.booking_flight, s.booking_flight.c.booking_id == s.booking.c.id
        ).outerjoin(s.flight, s.flight.c.id == s.booking_flight.c.flight_id)
    )
    .where(s.booking.c.id == bindparam("booking_id"))
    .order_by(s.flight.c.id)
)
"""Built once: every booking look-up checks its booking (building costs more than running).
``_BOOKING`` is the booking, whether it has an open hit and its flights in one statement
(one row per flight, one row with no flight columns for a booking without flights)."""


def _booking_flights(conn: Connection, booking_id: int) -> tuple[FlightWindow, ...]:
    rows = conn.execute(_BOOKING_FLIGHTS, {"booking_id": booking_id})
    return tuple(_window(row) for row in rows)


def _open_hit(conn: Connection, *conditions: Any) -> bool:
    h = sa_.hit
    query = select(exists().where(h.c.status.in_(sorted(OPEN_HIT_STATUSES)), *conditions))
    return bool(conn.execute(query).scalar())


def traveller_resource(conn: Connection, traveller_id: int) -> TravellerResource | None:
    """A booked traveller: open hit or not, and the flights of its booking."""
    booking_id = conn.execute(
        select(s.traveller.c.booking_id).where(s.traveller.c.id == traveller_id)
    ).scalar()
    if booking_id is None:
        return None
    return TravellerResource(
        traveller_id=traveller_id,
        booking_id=int(booking_id),
        open_hit=_open_hit(conn, sa_.hit.c.traveller_id == traveller_id),
        flights=_booking_flights(conn, int(booking_id)),
    )


def booking_resource(conn: Connection, booking_id: int) -> TravellerResource | None:
    """A booking: open hit on any of its travellers or not, and its flights (one
    statement)."""
    rows = conn.execute(_BOOKING, {"booking_id": booking_id}).all()
    if not rows:
        return None
    return TravellerResource(
        traveller_id=None,
        booking_id=booking_id,
        open_hit=bool(rows[0].open_hit),
        flights=tuple(_window(row) for row in rows if row.id is not None),
    )
