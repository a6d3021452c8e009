"""What the data pages show: the flights of a day, a booking, the dashboard figures.

As in ``pages_review``, one function per page: permission check, reads, audit of personal
data consulted. Figures of the dashboard are counts only (no personal data).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from paxwatch.assess import hits as ah
from paxwatch.privacy.access import (
    PERMISSIONS,
    AccessConfig,
    AccessDenied,
    Action,
    Principal,
    require,
)
from paxwatch.privacy.audit import PersonalDataRead, record
from paxwatch.privacy.resources import booking_resource, local_to_utc
from paxwatch.stats.hit_counts import hit_counts, hits_per_flight
from paxwatch.store import repository as repo
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.records import ApiListedTraveller, BookingHistory, FlightSummary
from paxwatch.store.schema_privacy import masked_record
from paxwatch.web.pages_review import NotFound

OPEN_HITS = frozenset({ah.HitStatus.NEW.value, ah.HitStatus.IN_REVIEW.value})


@dataclass(frozen=True, slots=True, kw_only=True)
class FlightRow:
    """A flight of the day with its times in UTC, the next event and its open hits."""

    flight: FlightSummary
    departure_utc: datetime | None
    arrival_utc: datetime | None
    next_event: str
    next_in_minutes: int | None
    open_hits: int
    hits: int


def _next(dep: datetime | None, arr: datetime | None, now: datetime) -> tuple[str, int | None]:
    if dep is not None and dep >= now:
        return "departure", int((dep - now).total_seconds() // 60)
    if arr is not None and arr >= now:
        return "arrival", int((arr - now).total_seconds() // 60)
    return ("arrived" if arr is not None else "unknown"), None


def flights_page(
    store: Store, principal: Principal, day: date | None, *, now: datetime | None = None
) -> list[FlightRow]:
    """The flights departing on ``day`` (all when None), next event first, with hit counts."""
    require(principal, Action.LIST_FLIGHTS)
    when = now or utcnow()
    with store.read() as conn:
        flights = repo.list_flights(conn, day)
        ids = [f.id for f in flights] if day is not None else None
        counts = hits_per_flight(conn, ids, OPEN_HITS)
    rows = []
    for f in flights:
        dep, arr = local_to_utc(f.departure, f.origin), local_to_utc(f.arrival, f.destination)
        event, minutes = _next(dep, arr, when)
        rows.append(
            FlightRow(
                flight=f,
                departure_utc=dep,
                arrival_utc=arr,
                next_event=event,
                next_in_minutes=minutes,
                open_hits=counts[f.id].open if f.id in counts else 0,
                hits=counts[f.id].total if f.id in counts else 0,
            )
        )
    rows.sort(key=lambda r: (r.next_in_minutes is None, r.next_in_minutes or 0, r.flight.key))
    return rows


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingView:
    """One stored booking: its history, the current content, masked or not, API rows."""

    history: BookingHistory
    current: dict[str, Any]
    masked: bool
    api: tuple[ApiListedTraveller, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingPage:
    locator: str
    bookings: tuple[BookingView, ...]


def _api_rows(conn: Any, history: BookingHistory) -> tuple[ApiListedTraveller, ...]:
    rows: list[ApiListedTraveller] = []
    for status in history.flights:
        manifest = repo.flight_manifest(conn, status.flight_id)
        if manifest is not None:
            rows += [a for a in manifest.api if a.booking_locator == history.locator]
    return tuple(rows)


def booking_page(
    store: Store,
    principal: Principal,
    locator: str,
    carrier: str | None,
    *,
    access_config: AccessConfig | None = None,
) -> BookingPage:
    """Every booking with this locator the caller may read (recorded as a consultation)."""
    if Action.READ_BOOKING not in PERMISSIONS.get(principal.role, frozenset()):
        raise AccessDenied(
            Action.READ_BOOKING, f"role {principal.role.value} may not read bookings"
        )
    views = []
    with store.read() as conn:
        histories = repo.booking_history(conn, locator, carrier)
        if not histories:
            raise NotFound("booking")
        for h in histories:
            resource = booking_resource(conn, h.booking_id)
            require(principal, Action.READ_BOOKING, resource, config=access_config)
            last = h.versions[-1] if h.versions else None
            masked = last is not None and (
                conn.execute(
                    select(masked_record.c.id).where(masked_record.c.version_id == last.id)
                ).first()
                is not None
            )
            views.append(
                BookingView(
                    history=h,
                    current=json.loads(last.content_json) if last else {},
                    masked=masked,
                    api=_api_rows(conn, h),
                )
            )
    with store.write() as conn:
        record(
            conn,
            PersonalDataRead(
                actor=principal.username,
                purpose="booking consultation (web)",
                view="booking",
                booking_ids=tuple(v.history.booking_id for v in views),
                flight_ids=tuple(sorted({f.flight_id for v in views for f in v.history.flights})),
            ),
        )
    return BookingPage(locator=locator.strip().upper(), bookings=tuple(views))


@dataclass(frozen=True, slots=True, kw_only=True)
class Dashboard:
    """Counts for the dashboard charts (no personal data)."""

    travellers_per_hour: tuple[tuple[str, int], ...]
    hits_per_source: tuple[tuple[str, int], ...]
    hits_per_status: tuple[tuple[str, int], ...]
    flights: int
    travellers: int
    hits: int


def dashboard(store: Store, principal: Principal, day: date | None) -> Dashboard:
    """Volumes per departure hour, hits per list or rule, hits per review outcome."""
    require(principal, Action.READ_STATS)
    with store.read() as conn:
        flights = repo.list_flights(conn, day)
        counts = hit_counts(conn, {f.id for f in flights} if day is not None else None)
    per_hour: Counter[int] = Counter()
    for f in flights:
        if f.departure is not None:
            per_hour[f.departure.hour] += f.booked_travellers
    sources: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for count in counts:
        sources[count.source] += count.hits
        statuses[count.status] += count.hits
    return Dashboard(
        travellers_per_hour=tuple((f"{hour:02d}", per_hour[hour]) for hour in range(24)),
        hits_per_source=tuple(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
        hits_per_status=tuple(
            (st.value, statuses[st.value]) for st in ah.HitStatus if statuses[st.value]
        ),
        flights=len(flights),
        travellers=sum(f.booked_travellers for f in flights),
        hits=sum(statuses.values()),
    )
