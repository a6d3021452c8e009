"""Narrow store reads that rebuild the model objects screening and rules compute on.

``load_travellers(conn, pairs)`` takes (traveller row id, flight id) pairs and returns, for
each, the stored booking version as a ``Booking`` (rebuilt from ``booking_version.content``),
the ``Traveller`` (by its position ``seq``), the leg of the booking that is the assessed
flight, the previous version of the booking (for ``booking.changes``) and the API record
the carrier sent for the traveller on that flight (``api_pnr_link``), when asked for.
Each booking version is parsed once per call however many of its travellers are loaded.

``traveller_pairs(conn, ...)`` lists the (traveller, flight) pairs to assess: travellers of
the *current* version of each booking that is active on a flight departing inside the
legal window, in traveller id order (the order checkpoints rely on).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.sql import Select

from paxwatch.model.api import ApiTraveller
from paxwatch.model.booking import Booking, Leg, Traveller
from paxwatch.model.jsonable import from_jsonable
from paxwatch.store import schema as s

Q = TypeVar("Q", bound=Select[Any])

_CHUNK = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class FlightInfo:
    """The stored flight a traveller is assessed on."""

    flight_id: int
    carrier: str
    number: str
    departure_date: date | None
    origin: str | None
    destination: str | None

    @property
    def route(self) -> str:
        return f"{self.origin or '?'}-{self.destination or '?'}"


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedTraveller:
    """One stored traveller on one flight, as model objects."""

    traveller_id: int
    flight: FlightInfo
    booking_id: int
    version_id: int
    booking: Booking
    traveller: Traveller
    leg: Leg | None
    previous: Booking | None = None
    api: ApiTraveller | None = None
    api_traveller_id: int | None = None
    """The row of ``api`` (the API traveller correlated with this traveller)."""


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _flights(conn: Connection, ids: Iterable[int]) -> dict[int, FlightInfo]:
    f = s.flight
    out: dict[int, FlightInfo] = {}
    for chunk in _chunks(sorted(set(ids))):
        for row in conn.execute(
            select(
                f.c.id, f.c.carrier, f.c.number, f.c.departure_date, f.c.origin, f.c.destination
            ).where(f.c.id.in_(chunk))
        ):
            out[row.id] = FlightInfo(
                flight_id=row.id,
                carrier=row.carrier,
                number=row.number,
                departure_date=row.departure_date,
                origin=row.origin,
                destination=row.destination,
            )
    return out


def find_leg(booking: Booking, flight: FlightInfo) -> Leg | None:
    """The leg of ``booking`` that is ``flight``: same carrier and number (marketing or
    operating) and day; else same route and day; else same route; else None."""

    def same_day(leg: Leg) -> bool:
        return flight.departure_date is None or (
            leg.departure is not None and leg.departure.date() == flight.departure_date
        )

    def number(value: str | None) -> str:
        return (value or "").lstrip("0")

    wanted = number(flight.number)
    for leg in booking.legs:
        if not same_day(leg):
            continue
        if (leg.carrier == flight.carrier and number(leg.number) == wanted) or (
            leg.operating_carrier == flight.carrier and number(leg.operating_number) == wanted
        ):
            return leg
    route = [
        leg
        for leg in booking.legs
        if leg.origin == flight.origin and leg.destination == flight.destination
    ]
    for leg in route:
        if same_day(leg):
            return leg
    return route[0] if route else None


def _contents(conn: Connection, version_ids: Iterable[int]) -> dict[int, Booking]:
    v = s.booking_version
    out: dict[int, Booking] = {}
    for chunk in _chunks(sorted(set(version_ids))):
        for vid, content in conn.execute(select(v.c.id, v.c.content).where(v.c.id.in_(chunk))):
            out[vid] = from_jsonable(Booking, json.loads(content))
    return out


def _previous_ids(conn: Connection, version_ids: Iterable[int]) -> dict[int, int]:
    """Version id → id of the version before it of the same booking (where there is one)."""
    v = s.booking_version
    prev = v.alias("prev")
    out: dict[int, int] = {}
    for chunk in _chunks(sorted(set(version_ids))):
        query = (
            select(v.c.id, prev.c.id)
            .join(
                prev,
                and_(prev.c.booking_id == v.c.booking_id, prev.c.version_no == v.c.version_no - 1),
            )
            .where(v.c.id.in_(chunk))
        )
        out.update({row[0]: row[1] for row in conn.execute(query)})
    return out


def _api_records(
    conn: Connection, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int, ApiTraveller]]:
    link, at = s.api_pnr_link, s.api_traveller
    wanted = set(pairs)
    out: dict[tuple[int, int], tuple[int, ApiTraveller]] = {}
    for chunk in _chunks(sorted({t for t, _f in pairs})):
        query = (
            select(link.c.traveller_id, link.c.flight_id, at.c.id, at.c.content)
            .join(at, at.c.id == link.c.api_traveller_id)
            .where(link.c.traveller_id.in_(chunk))
            .order_by(at.c.id)
        )
        for tid, fid, api_id, content in conn.execute(query):
            if (tid, fid) in wanted:  # the latest list's record wins
                out[(tid, fid)] = (api_id, from_jsonable(ApiTraveller, json.loads(content)))
    return out


def load_travellers(
    conn: Connection,
    pairs: Sequence[tuple[int, int]],
    *,
    previous: bool = False,
    api: bool = False,
) -> list[LoadedTraveller]:
    """The stored travellers of ``pairs`` (traveller id, flight id), in the same order.

    Pairs whose traveller row no longer exists are left out. ``previous`` and ``api`` also
    load what the rules need (the previous booking version, the linked API record).
    """
    t = s.traveller
    rows: dict[int, tuple[int, int, int]] = {}
    for chunk in _chunks(sorted({tid for tid, _f in pairs})):
        for row in conn.execute(
            select(t.c.id, t.c.version_id, t.c.booking_id, t.c.seq).where(t.c.id.in_(chunk))
        ):
            rows[row.id] = (row.version_id, row.booking_id, row.seq)
    bookings = _contents(conn, (r[0] for r in rows.values()))
    previous_of = _previous_ids(conn, bookings) if previous else {}
    earlier = _contents(conn, previous_of.values()) if previous_of else {}
    apis = _api_records(conn, pairs) if api else {}
    flights = _flights(conn, (fid for _t, fid in pairs))
    out: list[LoadedTraveller] = []
    for tid, fid in pairs:
        found = rows.get(tid)
        flight = flights.get(fid)
        if found is None or flight is None:
            continue
        version_id, booking_id, seq = found
        booking = bookings[version_id]
        if not 1 <= seq <= len(booking.travellers):
            continue
        prev_id = previous_of.get(version_id)
        api_id, record = apis.get((tid, fid), (None, None))
        out.append(
            LoadedTraveller(
                traveller_id=tid,
                flight=flight,
                booking_id=booking_id,
                version_id=version_id,
                booking=booking,
                traveller=booking.travellers[seq - 1],
                leg=find_leg(booking, flight),
                previous=earlier.get(prev_id) if prev_id is not None else None,
                api=record,
                api_traveller_id=api_id,
            )
        )
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    """Which stored travellers a run covers: a flight, a departure day, or all of them;
    always only flights departing on or after ``window_from`` (None: no lower bound)."""

    flight_id: int | None = None
    day: date | None = None
    window_from: date | None = None
    first_day: date | None = None
    last_day: date | None = None

    def describe(self) -> str:
        """A stable text for checkpoints (``flight:12``, ``date:2026-03-01``, ``all``)."""
        parts = []
        if self.flight_id is not None:
            parts.append(f"flight:{self.flight_id}")
        if self.day is not None:
            parts.append(f"date:{self.day.isoformat()}")
        if self.first_day is not None or self.last_day is not None:
            parts.append(f"range:{self.first_day}..{self.last_day}")
        parts.append(f"from:{self.window_from}")
        return " ".join(parts if len(parts) > 1 else ["all", *parts])


def pairs_query(scope: Scope) -> Select[int, int]:
    """(traveller id, flight id) of current versions of active bookings within ``scope``."""
    t, b, bf, f = s.traveller, s.booking, s.booking_flight, s.flight
    query = (
        select(t.c.id, bf.c.flight_id)
        .join(b, b.c.current_version_id == t.c.version_id)
        .join(bf, and_(bf.c.booking_id == b.c.id, bf.c.status == "active"))
        .join(f, f.c.id == bf.c.flight_id)
    )
    return within_scope(query, scope, bf.c.flight_id)


def within_scope(query: Q, scope: Scope, flight_id: Any) -> Q:
    """``query`` (which joins ``flight``) narrowed to ``scope``'s flights and days;
    ``flight_id`` is the query's flight id column."""
    f = s.flight
    if scope.window_from is not None:
        query = query.where(
            or_(f.c.departure_date.is_(None), f.c.departure_date >= scope.window_from)
        )
    if scope.flight_id is not None:
        query = query.where(flight_id == scope.flight_id)
    if scope.day is not None:
        query = query.where(f.c.departure_date == scope.day)
    if scope.first_day is not None:
        query = query.where(f.c.departure_date >= scope.first_day)
    if scope.last_day is not None:
        query = query.where(f.c.departure_date <= scope.last_day)
    return query


def traveller_pairs(
    conn: Connection, scope: Scope, *, after: int = 0, limit: int | None = None
) -> list[tuple[int, int]]:
    """The pairs of ``scope`` with traveller id above ``after``, in traveller id order.

    With ``limit``, whole travellers are returned (all flights of the last one), so that
    ``after`` = the last traveller id is a correct checkpoint.
    """
    t = s.traveller
    query = pairs_query(scope).where(t.c.id > after).order_by(t.c.id, s.booking_flight.c.flight_id)
    if limit is None:
        return [(r[0], r[1]) for r in conn.execute(query)]
    rows = [(r[0], r[1]) for r in conn.execute(query.limit(limit))]
    if len(rows) == limit:
        last = rows[-1][0]
        rows = [r for r in rows if r[0] != last]
        rows += [(r[0], r[1]) for r in conn.execute(pairs_query(scope).where(t.c.id == last))]
        rows.sort()
    return rows


def count_pairs(conn: Connection, scope: Scope, *, after: int = 0) -> int:
    """How many pairs ``scope`` holds above ``after``."""
    sub = pairs_query(scope).where(s.traveller.c.id > after).subquery()
    return int(conn.execute(select(func.count()).select_from(sub)).scalar_one())
