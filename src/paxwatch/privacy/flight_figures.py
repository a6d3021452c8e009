"""Per-flight figures (counts only, no personal data), kept in ``stat_flight``.

They live in ``privacy`` because keeping them is part of the retention job (sealed before
the data they count is deleted); ``paxwatch.stats`` reads them for its reports.

Art 20 asks for yearly figures on passengers whose PNR was collected and exchanged and on
passengers identified for further examination; retention deletes the data those counts come
from (6 months, journey end, unselected intra-EU flights). So the figures of a flight are
computed from the live data and stored per flight; the retention job *seals* a flight's row
just before it first masks or deletes any of its data, and a sealed row is never recomputed.

Per flight:

- ``bookings``: bookings on the flight (active or cancelled);
- ``pnr_passengers``: travellers of those bookings (their current version);
- ``api_passengers``: passengers on its API lists (crew left out; resent lists counted once
  per name and date of birth);
- ``exchanged``: travellers whose data was transmitted (``transmission``);
- ``identified``: travellers with a confirmed hit or a transmission (further examination);
- ``full_pushes`` and the push compliance of the carrier (``early_push`` for the
  T-48h…T-24h push, ``final_push`` for the push at flight closure, T0): ``on_time``,
  ``late``, ``early`` (T-48 only) or ``missing`` (see ``ComplianceSchedule``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, select, update

from paxwatch.privacy.policies import local_to_utc
from paxwatch.store import schema as s
from paxwatch.store.rows import insert_many
from paxwatch.store.schema_assess import hit
from paxwatch.store.schema_privacy import stat_flight
from paxwatch.store.schema_review import transmission

ON_TIME = "on_time"
LATE = "late"
EARLY = "early"
MISSING = "missing"
UNKNOWN = "unknown"
_CHUNK = 500
_PASSENGER_ROLES = ("passenger", "transit_passenger")


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplianceSchedule:
    """Directive Art 8(3): PNR 24 to 48 hours before the scheduled departure, and
    immediately after flight closure. ``final_*`` is the window around the scheduled
    departure counted as "at closure"."""

    early_from_hours: int = 48
    early_to_hours: int = 24
    final_before_minutes: int = 60
    final_after_minutes: int = 60


def early_status(
    pushes: Iterable[datetime], departure: datetime | None, sc: ComplianceSchedule
) -> str:
    """The T-48…T-24 status from the times (UTC) full pushes were opened."""
    if departure is None:
        return UNKNOWN
    start = departure - timedelta(hours=sc.early_from_hours)
    end = departure - timedelta(hours=sc.early_to_hours)
    closure = departure - timedelta(minutes=sc.final_before_minutes)
    times = list(pushes)
    if any(start <= t <= end for t in times):
        return ON_TIME
    if any(end < t < closure for t in times):
        return LATE
    if any(t < start for t in times):
        return EARLY
    return MISSING


def final_status(
    times: Iterable[datetime], departure: datetime | None, sc: ComplianceSchedule
) -> str:
    """The T0 status from the times (UTC) PNR data of the flight was received."""
    if departure is None:
        return UNKNOWN
    start = departure - timedelta(minutes=sc.final_before_minutes)
    end = departure + timedelta(minutes=sc.final_after_minutes)
    seen = list(times)
    if any(start <= t <= end for t in seen):
        return ON_TIME
    if any(t > end for t in seen):
        return LATE
    return MISSING


def _grouped(conn: Connection, query: Any) -> dict[int, int]:
    return {int(k): int(v) for k, v in conn.execute(query).all()}


def _times(conn: Connection, query: Any) -> dict[int, list[datetime]]:
    out: dict[int, list[datetime]] = defaultdict(list)
    for flight_id, at in conn.execute(query).all():
        if at is not None:
            out[int(flight_id)].append(at)
    return out


def _identified(conn: Connection, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    t, h, tr = s.traveller, hit, transmission
    people: dict[int, set[tuple[int, str | None]]] = defaultdict(set)
    exchanged: dict[int, set[tuple[int, str | None]]] = defaultdict(set)
    confirmed = (
        select(h.c.flight_id, t.c.booking_id, t.c.ref)
        .join(t, t.c.id == h.c.traveller_id)
        .where(h.c.flight_id.in_(ids), h.c.status == "confirmed")
    )
    for flight_id, booking_id, ref in conn.execute(confirmed):
        people[int(flight_id)].add((int(booking_id), ref))
    sent = (
        select(tr.c.flight_id, t.c.booking_id, t.c.ref, tr.c.traveller_id)
        .outerjoin(t, t.c.id == tr.c.traveller_id)
        .where(tr.c.flight_id.in_(ids))
    )
    for flight_id, booking_id, ref, traveller_id in conn.execute(sent):
        key = (int(booking_id), ref) if booking_id is not None else (-int(traveller_id or 0), None)
        people[int(flight_id)].add(key)
        exchanged[int(flight_id)].add(key)
    return (
        {f: len(v) for f, v in people.items()},
        {f: len(v) for f, v in exchanged.items()},
    )


def compute_flights(
    conn: Connection, flight_ids: Sequence[int], now: datetime, schedule: ComplianceSchedule
) -> list[dict[str, Any]]:
    """The ``stat_flight`` rows of ``flight_ids`` from the live data (not written)."""
    out: list[dict[str, Any]] = []
    bf, b, t, f = s.booking_flight, s.booking, s.traveller, s.flight
    for start in range(0, len(flight_ids), _CHUNK):
        ids = list(flight_ids[start : start + _CHUNK])
        bookings = _grouped(
            conn,
            select(bf.c.flight_id, func.count())
            .where(bf.c.flight_id.in_(ids))
            .group_by(bf.c.flight_id),
        )
        pnr = _grouped(
            conn,
            select(bf.c.flight_id, func.count(t.c.id))
            .join(b, b.c.id == bf.c.booking_id)
            .join(t, t.c.version_id == b.c.current_version_id)
            .where(bf.c.flight_id.in_(ids))
            .group_by(bf.c.flight_id),
        )
        api = _api_passengers(conn, ids)
        identified, exchanged = _identified(conn, ids)
        pushes = _times(
            conn,
            select(s.push.c.flight_id, s.push.c.opened_at).where(
                s.push.c.flight_id.in_(ids), s.push.c.status != "abandoned"
            ),
        )
        # The versions of one push share their time: distinct times are a few per flight.
        seen = _times(
            conn,
            select(s.booking_version.c.flight_id, s.booking_version.c.received_at)
            .where(s.booking_version.c.flight_id.in_(ids))
            .distinct(),
        )
        for flight_id, at in conn.execute(
            select(bf.c.flight_id, func.max(bf.c.last_seen_at))
            .where(bf.c.flight_id.in_(ids))
            .group_by(bf.c.flight_id)
        ):
            if at is not None:
                seen[int(flight_id)].append(at)
        for row in conn.execute(select(f).where(f.c.id.in_(ids))):
            departure = local_to_utc(row.departure, row.origin)
            push_times = pushes.get(row.id, [])
            out.append(
                {
                    "flight_id": row.id,
                    "carrier": row.carrier,
                    "departure_date": row.departure_date,
                    "origin": row.origin,
                    "destination": row.destination,
                    "bookings": bookings.get(row.id, 0),
                    "pnr_passengers": pnr.get(row.id, 0),
                    "api_passengers": api.get(row.id, 0),
                    "exchanged": exchanged.get(row.id, 0),
                    "identified": identified.get(row.id, 0),
                    "full_pushes": len(push_times),
                    "early_push": early_status(push_times, departure, schedule),
                    "final_push": final_status(
                        push_times + seen.get(row.id, []), departure, schedule
                    ),
                    "sealed": False,
                    "computed_at": now,
                }
            )
    return out


def _api_passengers(conn: Connection, ids: list[int]) -> dict[int, int]:
    """Passengers on the API lists of each flight, a person sent in several lists counted
    once (same surname, given names and date of birth; without a date of birth, each API
    traveller counts), grouped by the database: one row per flight comes back."""
    a, af = s.api_traveller, s.api_traveller_flight
    alone = case((a.c.date_of_birth.is_(None), a.c.id), else_=None)
    people = (
        select(af.c.flight_id)
        .join(a, a.c.id == af.c.api_traveller_id)
        .where(af.c.flight_id.in_(ids), a.c.role.in_(_PASSENGER_ROLES))
        .group_by(af.c.flight_id, a.c.surname, a.c.given_names, a.c.date_of_birth, alone)
        .subquery()
    )
    return _grouped(conn, select(people.c.flight_id, func.count()).group_by(people.c.flight_id))


def _store_rows(conn: Connection, rows: list[dict[str, Any]], *, seal: bool) -> None:
    if not rows:
        return
    ids = [r["flight_id"] for r in rows]
    conn.execute(stat_flight.delete().where(stat_flight.c.flight_id.in_(ids)))
    insert_many(conn, stat_flight, [r | {"sealed": seal} for r in rows])


def _unsealed(conn: Connection, flight_ids: Sequence[int]) -> list[int]:
    sealed: set[int] = set()
    ids = list(dict.fromkeys(flight_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        sealed.update(
            conn.execute(
                select(stat_flight.c.flight_id).where(
                    and_(stat_flight.c.flight_id.in_(chunk), stat_flight.c.sealed.is_(True))
                )
            ).scalars()
        )
    return [i for i in ids if i not in sealed]


def refresh_flights(
    conn: Connection,
    flight_ids: Sequence[int],
    now: datetime,
    schedule: ComplianceSchedule | None = None,
) -> int:
    """Recompute the rows of the unsealed flights among ``flight_ids``; returns how many."""
    todo = _unsealed(conn, flight_ids)
    _store_rows(
        conn, compute_flights(conn, todo, now, schedule or ComplianceSchedule()), seal=False
    )
    return len(todo)


def seal_flights(
    conn: Connection,
    flight_ids: Sequence[int],
    now: datetime,
    schedule: ComplianceSchedule | None = None,
) -> int:
    """Compute and seal the rows of ``flight_ids`` not sealed yet (before retention touches
    their data); returns how many were sealed now."""
    todo = _unsealed(conn, flight_ids)
    _store_rows(conn, compute_flights(conn, todo, now, schedule or ComplianceSchedule()), seal=True)
    return len(todo)


def unseal(conn: Connection, flight_ids: Sequence[int]) -> None:
    """Allow the rows of ``flight_ids`` to be recomputed (a correction by the DPO)."""
    conn.execute(
        update(stat_flight)
        .where(stat_flight.c.flight_id.in_(list(flight_ids)))
        .values(sealed=False)
    )
