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
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection

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
from paxwatch.review.decisions import ReviewState
from paxwatch.review.queue_query import QueueFilter, page_statement
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow

_NO_LIMIT = 2**31 - 1
"""The ``LIMIT`` of an unlimited queue (one statement for both cases)."""


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
        page_statement(replace(f, limit=None, offset=0)),
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
