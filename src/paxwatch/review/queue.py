"""The hit queue: open hits grouped per traveller on a flight, most urgent first.

A traveller is a booked traveller, or an API traveller that matches no booking (its hits
name no booked traveller: ``QueueGroup.api_traveller_id``); both are visible by the same
rule (an open hit, or a flight inside the assessment window).

Urgency is the time to the flight's next event: its departure while it has not left, then
its arrival (both in UTC: converted with the airports' time zones when the flight is
stored, ``paxwatch.store.flight_times``); groups whose flight has arrived come after those,
most recent first. Within the same urgency, the best score first. The database orders,
groups and pages the queue: a page costs two statements, whatever the number of open hits.

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
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, DateTime, Integer, bindparam, case, false, func, or_, select

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
from paxwatch.review.decisions import OPEN_STATES, ReviewState
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import hit_review

_NO_LIMIT = 2**31 - 1
"""The ``LIMIT`` of an unlimited queue (one statement for both cases)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueFilter:
    """What to show: hit kinds (``watchlist``, ``rule``), a list source or rule id, review
    states (default: the open ones), a flight, a departure date, a minimum score, an
    assignee, how many groups at most and how many to skip."""

    kinds: frozenset[str] | None = None
    source: str | None = None
    states: frozenset[ReviewState] = OPEN_STATES
    flight_id: int | None = None
    day: date | None = None
    min_score: float | None = None
    assignee: str | None = None
    limit: int | None = 200
    offset: int = 0


@dataclass(slots=True, kw_only=True)
class QueueHit:
    """One hit in a group (a plain value built per page: not frozen, because a frozen
    dataclass sets each field through ``object.__setattr__``, three times the cost, and
    the queue builds one per hit on every page)."""

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


@dataclass(slots=True, kw_only=True)
class QueueGroup:
    """The hits of one traveller on one flight. ``subject_name`` is None when the caller
    may not see it (``visible`` False). Not frozen, like :class:`QueueHit`."""

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


def _one_of(column: Any, values: list[str]) -> Any:
    """``column IN (values)`` as ``column = :a OR column = :b ...``: an ``IN`` list is an
    "expanding" parameter that SQLAlchemy renders into the SQL text again at every
    execution; equalities keep the compiled statement as it is."""
    return or_(false(), *(column == v for v in values))


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
            # The API traveller a hit is grouped by: only for a hit with no booked traveller
            # (an adopted hit, see ``assess.api_merge``, groups with its booked traveller's).
            case((h.c.traveller_id.is_(None), h.c.api_traveller_id)).label("api_key"),
            h.c.source_id,
            h.c.entry_id,
            h.c.rule_id,
            h.c.rule_version,
            h.c.score,
            h.c.features,
            h.c.created_at,
            state.label("state"),
            hit_review.c.assignee,
        )
        .join(fl, fl.c.id == h.c.flight_id)
        .outerjoin(hit_review, hit_review.c.hit_id == h.c.id)
        .where(_one_of(state, sorted(st.value for st in f.states)))
    )
    if f.kinds:
        query = query.where(_one_of(h.c.kind, sorted(f.kinds)))
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


@lru_cache(maxsize=256)
def _page_statement(f: QueueFilter) -> Any:
    """One page of the queue of ``f`` in one statement: the page of groups (flight,
    traveller, booking, API traveller of an API-only hit), grouped, ordered and paged by
    the database, joined with their hits; parameters ``now``, ``lim`` and ``off``. Rows
    come group by group, in queue order, the best hit of each group first.

    Urgency (``docs/review.md``): flights whose departure is still ahead, by their time to
    departure, then flights in the air by their time to arrival (one class: the time to the
    next event), then flights that have arrived, most recent first, then flights without
    times; the best score first within the same time; flight, traveller, booking and API
    traveller ids last, so that pages do not overlap. The UTC times are stored with the
    flight (migration 0007); a flight written without them counts its local times as UTC,
    like an unknown airport."""
    fl = s.flight
    groups = (
        select(
            (hits := _statement(f).subquery()).c.flight_id,
            hits.c.traveller_id,
            hits.c.booking_id,
            hits.c.api_key,
            func.max(hits.c.score).label("best"),
        )
        .group_by(hits.c.flight_id, hits.c.traveller_id, hits.c.booking_id, hits.c.api_key)
        .subquery()
    )
    now = bindparam("now", type_=DateTime())
    dep = func.coalesce(fl.c.departure_utc, fl.c.departure)
    arr = func.coalesce(fl.c.arrival_utc, fl.c.arrival)
    upcoming = case((dep >= now, dep), (arr >= now, arr))
    last = func.coalesce(arr, dep)
    rank = case((upcoming.is_not(None), 0), (last.is_not(None), 1), else_=2)
    page = (
        select(
            groups.c.flight_id,
            groups.c.traveller_id,
            groups.c.booking_id,
            groups.c.api_key,
            groups.c.best,
            fl.c.carrier,
            fl.c.number,
            fl.c.origin,
            fl.c.destination,
            fl.c.departure,
            fl.c.arrival,
            dep.label("departure_utc"),
            arr.label("arrival_utc"),
            fl.c.created_at.label("flight_seen_at"),
            rank.label("rank"),
            upcoming.label("upcoming"),
            case((rank == 1, last)).label("past"),
            func.coalesce(groups.c.traveller_id, 0).label("t_order"),
            func.coalesce(groups.c.booking_id, 0).label("b_order"),
            func.coalesce(groups.c.api_key, 0).label("a_order"),
        )
        .join(fl, fl.c.id == groups.c.flight_id)
        .order_by(
            rank,
            upcoming,
            case((rank == 1, last)).desc(),
            groups.c.best.desc(),
            groups.c.flight_id,
            func.coalesce(groups.c.traveller_id, 0),
            func.coalesce(groups.c.booking_id, 0),
            func.coalesce(groups.c.api_key, 0),
        )
        .limit(bindparam("lim", type_=Integer()))
        .offset(bindparam("off", type_=Integer()))
        .subquery()
    )
    hit_rows = _statement(f).subquery()
    keep = [
        c
        for c in page.c
        if c.name not in {"rank", "upcoming", "past", "t_order", "b_order", "a_order"}
    ]
    return (
        select(
            *keep,
            *(
                c
                for c in hit_rows.c
                if c.name not in {"flight_id", "traveller_id", "booking_id", "api_key"}
            ),
        )
        .join(
            hit_rows,
            (hit_rows.c.flight_id == page.c.flight_id)
            & hit_rows.c.traveller_id.is_not_distinct_from(page.c.traveller_id)
            & hit_rows.c.booking_id.is_not_distinct_from(page.c.booking_id)
            & hit_rows.c.api_key.is_not_distinct_from(page.c.api_key),
        )
        .order_by(
            page.c.rank,
            page.c.upcoming,
            page.c.past.desc(),
            page.c.best.desc(),
            page.c.flight_id,
            page.c.t_order,
            page.c.b_order,
            page.c.a_order,
            hit_rows.c.score.desc(),
            hit_rows.c.id,
        )
    )


@lru_cache(maxsize=65_536)
def _labels(features: str) -> tuple[str | None, str | None, str | None]:
    """``subject_name``, ``listed_name`` and ``offence`` of a hit's features (JSON text;
    the same text always gives the same labels, so they are parsed once)."""
    data = json.loads(features)
    return data.get("subject_name"), data.get("listed_name"), data.get("offence")


_STATES = {state.value: state for state in ReviewState}
"""``ReviewState`` by value (a dictionary look-up costs a fifth of ``ReviewState(value)``)."""


_KEY = ("flight_id", "traveller_id", "booking_id", "api_key")
_HEAD = (
    "carrier",
    "number",
    "origin",
    "destination",
    "departure",
    "arrival",
    "departure_utc",
    "arrival_utc",
    "flight_seen_at",
)
_HIT = (
    "id",
    "kind",
    "source_id",
    "entry_id",
    "rule_id",
    "rule_version",
    "score",
    "features",
    "created_at",
    "state",
    "assignee",
)
"""The columns of a page row that :func:`_group` reads, by name; rows are read by
position (``itemgetter``): a row's attribute look-up costs about ten times its index."""


def _group(
    key: tuple[Any, ...], head: tuple[Any, ...], hit_rows: list[Any], now: datetime
) -> QueueGroup:
    """A group from its key, its flight's columns and its hits' (the best hit first)."""
    flight_id, traveller_id, booking_id, api_key = key
    carrier, number, origin, destination, departure, arrival, dep, arr, seen = head
    window = FlightWindow(
        flight_id=int(flight_id), first_seen_at=seen, departure_utc=dep, arrival_utc=arr
    )
    # The next event of the flight: its departure while it has not left, then its arrival.
    if dep is not None and dep >= now:
        event: str | None = "departure"
        urgency = dep
    else:
        event = "arrival" if arr is not None and arr >= now else None
        urgency = arr
    hits = []
    subject = None
    for hit_id, kind, source, entry, rule, version, score, features, at, state, who in hit_rows:
        subject_name, listed_name, offence = _labels(features)
        subject = subject or subject_name
        hits.append(
            QueueHit(
                hit_id=int(hit_id),
                kind=kind,
                source_id=source,
                entry_id=entry,
                rule_id=rule,
                rule_version=version,
                score=float(score),
                state=_STATES[state],
                assignee=who,
                listed_name=listed_name,
                offence=offence,
                created_at=at,
            )
        )
    return QueueGroup(
        flight_id=window.flight_id,
        carrier=carrier,
        number=number,
        origin=origin,
        destination=destination,
        departure=departure,
        arrival=arrival,
        urgency_at=urgency,
        urgency_event=event,
        traveller_id=traveller_id,
        booking_id=booking_id,
        api_traveller_id=None if api_key is None else int(api_key),
        subject_name=subject,
        best_score=hits[0].score,
        hits=tuple(hits),
        window=window,
    )


def review_queue(
    conn: Connection, filters: QueueFilter | None = None, *, now: datetime | None = None
) -> list[QueueGroup]:
    """The queue: groups of hits per traveller and flight, most urgent first, from
    ``offset``, at most ``limit`` groups: one statement, whatever the size of the queue."""
    f = filters or QueueFilter()
    when = now or utcnow()
    if f.limit is not None and f.limit <= 0:
        return []
    limit = _NO_LIMIT if f.limit is None else f.limit
    found = conn.execute(
        _page_statement(replace(f, limit=None, offset=0)),
        {"now": when, "lim": limit, "off": f.offset},
    )
    names = list(found.keys())
    key_of, head_of, hit_of = (
        itemgetter(*(names.index(name) for name in columns)) for columns in (_KEY, _HEAD, _HIT)
    )
    groups: list[QueueGroup] = []
    hit_rows: list[Any] = []
    key: tuple[Any, ...] | None = None
    head: tuple[Any, ...] = ()
    for row in found:
        here = key_of(row)
        if here != key:
            if hit_rows:
                assert key is not None
                groups.append(_group(key, head, hit_rows, when))
            key, head, hit_rows = here, head_of(row), []
        hit_rows.append(hit_of(row))
    if hit_rows:
        assert key is not None
        groups.append(_group(key, head, hit_rows, when))
    return groups


_OPEN = frozenset(state for state in ReviewState if state.value in OPEN_HIT_STATUSES) | {
    ReviewState.AWAITING_COUNTERSIGN
}
"""States whose hit is still open (the traveller stays visible)."""


def _hide_invisible(
    principal: Principal, groups: list[QueueGroup], cfg: AccessConfig, now: datetime
) -> list[QueueGroup]:
    # Visibility depends only on the open hit and the flight's window (``access.check``):
    # decided once per pair, not once per group (a page has many groups per flight).
    decided: dict[tuple[bool, FlightWindow | None], bool] = {}
    out = []
    for g in groups:
        open_hit = any(h.state in _OPEN for h in g.hits)
        key = (open_hit, g.window)
        allowed = decided.get(key)
        if allowed is None:
            resource = TravellerResource(
                traveller_id=g.traveller_id,
                booking_id=g.booking_id,
                open_hit=open_hit,
                flights=(g.window,) if g.window else (),
            )
            allowed = decided[key] = can(
                principal, Action.READ_TRAVELLER, resource, config=cfg, now=now
            )
        if allowed:
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
