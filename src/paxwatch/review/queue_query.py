"""The hit queue's filter and the SQL it builds (``paxwatch.review.queue`` runs it and
turns the rows into groups): the open hits of the filter, and one page of their groups,
grouped, ordered and paged by the database in one statement. Statements are built once per
filter (building one costs more than running it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, Integer, bindparam, case, false, func, or_, select

from paxwatch.review.decisions import OPEN_STATES, ReviewState
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.schema_review import hit_review


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


def _one_of(column: Any, values: list[str]) -> Any:
    """``column IN (values)`` as ``column = :a OR column = :b ...``: an ``IN`` list is an
    "expanding" parameter that SQLAlchemy renders into the SQL text again at every
    execution; equalities keep the compiled statement as it is."""
    return or_(false(), *(column == v for v in values))


@lru_cache(maxsize=256)
def hits_statement(f: QueueFilter) -> Any:
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
def page_statement(f: QueueFilter) -> Any:
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
            (hits := hits_statement(f).subquery()).c.flight_id,
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
    hit_rows = hits_statement(f).subquery()
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
