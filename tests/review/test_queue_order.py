"""The hit queue's order and pages, made by the database, are those of the rule in
``docs/review.md`` (checked against a plain Python statement of the rule), on SQLite and
PostgreSQL, whatever the flights' time zones, times and scores."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from paxwatch.model import Flight, FlightLeg
from paxwatch.review.queue import review_queue
from paxwatch.review.queue_query import QueueFilter
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.flight_times import utc_of
from paxwatch.store.write import ensure_flights

NOW = datetime(2026, 12, 12, 12, 0)
AIRPORTS = ("LHR", "JFK", "NRT", "SYD", "CDG", "ZZZ")  # ZZZ: no known time zone

flights_st = st.lists(
    st.tuples(
        st.sampled_from(AIRPORTS),
        st.sampled_from(AIRPORTS),
        st.integers(-48 * 60, 48 * 60),  # departure, minutes from NOW (local time)
        st.none() | st.integers(30, 20 * 60),  # flight time in minutes, or no arrival
    ),
    min_size=1,
    max_size=6,
)
hits_st = st.lists(
    st.tuples(
        st.integers(0, 5),  # flight (index, modulo the flights)
        st.none() | st.integers(1, 4),  # traveller
        st.integers(1, 3),  # booking
        st.sampled_from((0.5, 0.7, 0.9, 1.0)),  # score
    ),
    min_size=1,
    max_size=25,
)


def _expected(flights: list[Any], hits: list[Any]) -> list[tuple[int, int | None, int | None]]:
    """The rule as docs/review.md states it, in Python."""
    groups: dict[tuple[int, int | None, int | None], float] = {}
    for flight_id, traveller_id, booking_id, score in hits:
        key = (flight_id, traveller_id, booking_id)
        groups[key] = max(groups.get(key, 0.0), score)

    def urgency(flight_id: int) -> tuple[int, float]:
        origin, destination, dep, arr = flights[flight_id]
        dep_utc, arr_utc = utc_of(dep, origin), utc_of(arr, destination)
        if dep_utc is not None and dep_utc >= NOW:
            return 0, (dep_utc - NOW).total_seconds()
        if arr_utc is not None and arr_utc >= NOW:
            return 0, (arr_utc - NOW).total_seconds()
        last = arr_utc or dep_utc
        return (1, (NOW - last).total_seconds()) if last is not None else (2, 0.0)

    return sorted(
        groups,
        key=lambda k: (urgency(k[0]), -groups[k], k[0], k[1] or 0, k[2] or 0),
    )


def _load(store: Store, raw_flights: list[Any], raw_hits: list[Any]) -> tuple[Any, Any]:
    flights: dict[int, Any] = {}
    hits = []
    with store.write() as conn:
        for table in (sa_.hit, s.flight_leg, s.flight):
            conn.execute(delete(table))
        for n, (origin, destination, dep_min, length) in enumerate(raw_flights):
            dep = NOW + timedelta(minutes=dep_min)
            arr = dep + timedelta(minutes=length) if length is not None else None
            model = Flight(
                carrier="ZZ",
                number=str(100 + n),
                legs=(
                    FlightLeg(origin=origin, destination=destination, departure=dep, arrival=arr),
                ),
            )
            (flight_id,) = ensure_flights(conn, [model], NOW).values()
            flights[flight_id] = (origin, destination, dep, arr)
        ids = sorted(flights)
        for n, (index, traveller_id, booking_id, score) in enumerate(raw_hits):
            flight_id = ids[index % len(ids)]
            hits.append((flight_id, traveller_id, booking_id, score))
            conn.execute(
                insert(sa_.hit).values(
                    kind="watchlist",
                    traveller_id=traveller_id,
                    booking_id=booking_id,
                    flight_id=flight_id,
                    source_id="NAT",
                    entry_id=f"E{n}",
                    score=score,
                    features=json.dumps({"subject_name": f"T{traveller_id}"}),
                    algorithm_version="test",
                    fingerprint=f"fp{n}",
                    status="new",
                    created_at=NOW,
                )
            )
    return flights, hits


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(raw_flights=flights_st, raw_hits=hits_st, size=st.integers(1, 4))
def test_queue_order_and_pages_follow_the_urgency_rule(
    store: Store, raw_flights: list[Any], raw_hits: list[Any], size: int
) -> None:
    flights, hits = _load(store, raw_flights, raw_hits)
    expected = _expected(flights, hits)
    with store.read() as conn:
        whole = review_queue(conn, QueueFilter(limit=None), now=NOW)
        pages = []
        for offset in range(0, len(expected) + size, size):
            pages.extend(review_queue(conn, QueueFilter(limit=size, offset=offset), now=NOW))
    got = [(g.flight_id, g.traveller_id, g.booking_id) for g in whole]
    assert got == expected
    assert [(g.flight_id, g.traveller_id, g.booking_id) for g in pages] == expected
    assert sum(len(g.hits) for g in whole) == len(hits)
    for g in whole:
        origin, destination, dep, arr = flights[g.flight_id]
        assert g.best_score == max(h.score for h in g.hits) == g.hits[0].score
        assert g.window is not None and g.window.departure_utc == utc_of(dep, origin)
        if g.urgency_event == "departure":
            assert g.urgency_at == utc_of(dep, origin) and g.urgency_at >= NOW
        elif g.urgency_event == "arrival":
            assert g.urgency_at == utc_of(arr, destination) and g.urgency_at >= NOW


@pytest.mark.parametrize("limit", [0, -1])
def test_an_empty_page_reads_nothing(store: Store, limit: int) -> None:
    with store.read() as conn:
        assert review_queue(conn, QueueFilter(limit=limit), now=NOW) == []
