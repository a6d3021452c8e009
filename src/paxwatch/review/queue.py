"""The hit queue: open hits grouped per traveller on a flight, most urgent first.

A traveller is a booked traveller, or an API traveller that matches no booking (its hits
name no booked traveller: ``QueueGroup.api_traveller_id``); both are visible by the same
rule (an open hit, or a flight inside the assessment window).

Urgency is the time to the flight's next event: its departure while it has not left, then
its arrival (both converted to UTC with the airports' time zones); groups whose flight has
arrived come after those, most recent first. Within the same urgency, the best score first.

:func:`open_queue` is what the API and the UI call: it checks the caller's permission,
hides the name of groups the caller may not see (visibility rule of
``paxwatch.privacy.access``) and records the consultation in the audit trail.
:func:`review_queue` is the plain query (tests, statistics).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, func, select

from paxwatch.privacy.access import (
    OPEN_HIT_STATUSES,
    AccessConfig,
    Action,
    FlightWindow,
    Principal,
    TravellerResource,
    can,
    require,
)
from paxwatch.privacy.audit import PersonalDataRead, record_committed
from paxwatch.privacy.resources import local_to_utc
from paxwatch.review.decisions import OPEN_STATES, ReviewState
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import hit_review


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueFilter:
    """What to show: hit kinds (``watchlist``, ``rule``), a list source or rule id, review
    states (default: the open ones), a flight, a departure date, a minimum score, an
    assignee, and how many groups at most."""

    kinds: frozenset[str] | None = None
    source: str | None = None
    states: frozenset[ReviewState] = OPEN_STATES
    flight_id: int | None = None
    day: date | None = None
    min_score: float | None = None
    assignee: str | None = None
    limit: int | None = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueHit:
    """One hit in a group."""

    hit_id: int
    kind: str
    source_id: str | None
    entry_id: str | None
    rule_id: str | None
    rule_version: int | None
    score: float
    state: ReviewState
    assignee: str | None
    listed_name: str | None
    offence: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueGroup:
    """The hits of one traveller on one flight. ``subject_name`` is None when the caller
    may not see it (``visible`` False)."""

    flight_id: int
    carrier: str
    number: str
    origin: str | None
    destination: str | None
    departure: datetime | None
    arrival: datetime | None
    urgency_at: datetime | None
    urgency_event: str | None
    traveller_id: int | None
    booking_id: int | None
    subject_name: str | None
    best_score: float
    hits: tuple[QueueHit, ...]
    visible: bool = True
    window: FlightWindow | None = None
    api_traveller_id: int | None = None
    """The API traveller of a group raised on an API record alone (no booked traveller:
    ``traveller_id`` and ``booking_id`` None), see ``paxwatch.assess.api_only``."""


def _query(f: QueueFilter) -> Any:
    """The statement for ``f`` (its ``limit`` aside: the queue is ordered in Python)."""
    return _statement(replace(f, limit=None))


@lru_cache(maxsize=256)
def _statement(f: QueueFilter) -> Any:
    # Built once per filter: building a statement costs more than running it here.
    h, fl = sa_.hit, s.flight
    state = func.coalesce(hit_review.c.state, h.c.status)
    query = (
        select(
            h.c.id,
            h.c.kind,
            h.c.traveller_id,
            h.c.booking_id,
            h.c.flight_id,
            h.c.api_traveller_id,
            h.c.source_id,
            h.c.entry_id,
            h.c.rule_id,
            h.c.rule_version,
            h.c.score,
            h.c.features,
            h.c.created_at,
            state.label("state"),
            hit_review.c.assignee,
            fl.c.carrier,
            fl.c.number,
            fl.c.origin,
            fl.c.destination,
            fl.c.departure,
            fl.c.arrival,
            fl.c.created_at.label("flight_seen_at"),
        )
        .join(fl, fl.c.id == h.c.flight_id)
        .outerjoin(hit_review, hit_review.c.hit_id == h.c.id)
        .where(state.in_(sorted(st.value for st in f.states)))
    )
    if f.kinds:
        query = query.where(h.c.kind.in_(sorted(f.kinds)))
    if f.source:
        query = query.where((h.c.source_id == f.source) | (h.c.rule_id == f.source))
    if f.flight_id is not None:
        query = query.where(h.c.flight_id == f.flight_id)
    if f.day is not None:
        query = query.where(fl.c.departure_date == f.day)
    if f.min_score is not None:
        query = query.where(h.c.score >= f.min_score)
    if f.assignee is not None:
        query = query.where(hit_review.c.assignee == f.assignee)
    return query


def _urgency(window: FlightWindow, now: datetime) -> tuple[tuple[int, float], str | None]:
    dep, arr = window.departure_utc, window.arrival_utc
    if dep is not None and dep >= now:
        return (0, (dep - now).total_seconds()), "departure"
    if arr is not None and arr >= now:
        return (0, (arr - now).total_seconds()), "arrival"
    last = arr or dep
    if last is not None:
        return (1, (now - last).total_seconds()), None
    return (2, 0.0), None


@lru_cache(maxsize=65_536)
def _labels(features: str) -> tuple[str | None, str | None, str | None]:
    """``subject_name``, ``listed_name`` and ``offence`` of a hit's features (JSON text;
    the same text always gives the same labels, so they are parsed once)."""
    data = json.loads(features)
    return data.get("subject_name"), data.get("listed_name"), data.get("offence")


def _window(first: Any) -> FlightWindow:
    return FlightWindow(
        flight_id=int(first.flight_id),
        first_seen_at=first.flight_seen_at,
        departure_utc=local_to_utc(first.departure, first.origin),
        arrival_utc=local_to_utc(first.arrival, first.destination),
    )


def _group(rows: list[Any], window: FlightWindow, event: str | None) -> QueueGroup:
    first = rows[0]
    hits = []
    subject = None
    for r in sorted(rows, key=lambda r: -r.score):
        subject_name, listed_name, offence = _labels(r.features)
        subject = subject or subject_name
        hits.append(
            QueueHit(
                hit_id=int(r.id),
                kind=r.kind,
                source_id=r.source_id,
                entry_id=r.entry_id,
                rule_id=r.rule_id,
                rule_version=r.rule_version,
                score=float(r.score),
                state=ReviewState(r.state),
                assignee=r.assignee,
                listed_name=listed_name,
                offence=offence,
                created_at=r.created_at,
            )
        )
    return QueueGroup(
        flight_id=int(first.flight_id),
        carrier=first.carrier,
        number=first.number,
        origin=first.origin,
        destination=first.destination,
        departure=first.departure,
        arrival=first.arrival,
        urgency_at=window.departure_utc if event == "departure" else window.arrival_utc,
        urgency_event=event,
        traveller_id=first.traveller_id,
        booking_id=first.booking_id,
        api_traveller_id=_api_key(first),
        subject_name=subject,
        best_score=hits[0].score,
        hits=tuple(hits),
        window=window,
    )


def _api_key(row: Any) -> int | None:
    """The API traveller a row is grouped by: only for a hit with no booked traveller (an
    adopted hit, see ``assess.api_merge``, groups with its booked traveller's hits)."""
    return int(row.api_traveller_id) if row.traveller_id is None and row.api_traveller_id else None


def review_queue(
    conn: Connection, filters: QueueFilter | None = None, *, now: datetime | None = None
) -> list[QueueGroup]:
    """The queue: groups of hits per traveller and flight, most urgent first.

    Every matching hit is read (the urgency needs the airports' time zones, so the order is
    made here), but only the groups up to ``limit`` are built."""
    f = filters or QueueFilter()
    when = now or utcnow()
    grouped: dict[tuple[int, int | None, int | None, int | None], list[Any]] = {}
    for row in conn.execute(_query(f)):
        key = (row.flight_id, row.traveller_id, row.booking_id, _api_key(row))
        grouped.setdefault(key, []).append(row)
    windows: dict[int, tuple[FlightWindow, tuple[tuple[int, float], str | None]]] = {}
    keyed = []
    for (flight_id, traveller_id, _booking, _api), rows in grouped.items():
        found = windows.get(flight_id)
        if found is None:
            window = _window(rows[0])
            found = windows[flight_id] = (window, _urgency(window, when))
        best = max(float(r.score) for r in rows)
        keyed.append(((found[1][0], -best, flight_id, traveller_id or 0), rows, found))
    keyed.sort(key=lambda k: k[0])
    chosen = keyed[: f.limit] if f.limit is not None else keyed
    return [_group(rows, window, event) for _key, rows, (window, (_u, event)) in chosen]


def _is_open(state: ReviewState) -> bool:
    """True for a state whose hit is still open (the traveller stays visible)."""
    return state.value in OPEN_HIT_STATUSES or state is ReviewState.AWAITING_COUNTERSIGN


def _hide_invisible(
    principal: Principal, groups: list[QueueGroup], cfg: AccessConfig, now: datetime
) -> list[QueueGroup]:
    out = []
    for g in groups:
        resource = TravellerResource(
            traveller_id=g.traveller_id,
            booking_id=g.booking_id,
            open_hit=any(_is_open(h.state) for h in g.hits),
            flights=(g.window,) if g.window else (),
        )
        if can(principal, Action.READ_TRAVELLER, resource, config=cfg, now=now):
            out.append(g)
        else:
            out.append(replace(g, subject_name=None, visible=False))
    return out


def open_queue(
    store: Store,
    principal: Principal,
    filters: QueueFilter | None = None,
    *,
    purpose: str = "hit review",
    config: AccessConfig | None = None,
    now: datetime | None = None,
) -> list[QueueGroup]:
    """The queue for ``principal`` (``READ_HITS``), with the consultation audited."""
    require(principal, Action.READ_HITS)
    cfg = config or AccessConfig()
    when = now or utcnow()
    with store.read() as conn:
        groups = _hide_invisible(principal, review_queue(conn, filters, now=when), cfg, when)
    shown = [g for g in groups if g.visible]
    record_committed(
        store,
        PersonalDataRead(
            actor=principal.username,
            purpose=purpose,
            view="hit_queue",
            flight_ids=tuple(sorted({g.flight_id for g in shown})),
            traveller_ids=tuple(sorted({g.traveller_id for g in shown if g.traveller_id})),
            api_traveller_ids=tuple(
                sorted({g.api_traveller_id for g in shown if g.api_traveller_id})
            ),
        ),
    )
    return groups
