"""Retention at scale: planner statistics first (PostgreSQL), and flight figures counted
from the chunk's ids (the same figures as the join they replace)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Connection, func, select, text

from paxwatch.model import PushAction
from paxwatch.privacy.flight_figures import ComplianceSchedule, compute_flights
from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.retention import run_retention
from paxwatch.privacy.retention_statistics import (
    refresh_statistics,
    retention_tables,
    stale_tables,
)
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from tests.privacy.test_retention_support import VAULT, flight, push, push_api, store
from tests.store.factory import api, api_traveller, booking, pnr, traveller

__all__ = ["store"]

T0 = datetime(2026, 12, 10, 10, 0)


def _reltuples(conn: Connection, table: str) -> float:
    query = text(
        "SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relname = :t"
    )
    return float(conn.execute(query, {"t": table}).scalar_one())


def _load(store: Store) -> None:
    fl = flight()
    push(store, pnr(booking("AAA111", traveller("SMITH", "ANNA")), fl=fl), T0)
    push_api(store, api(api_traveller("SMITH", "ANNA", locator="AAA111"), fl=fl), T0)


def test_a_run_first_analyses_the_tables_without_statistics(store: Store) -> None:
    _load(store)
    with store.read() as conn:
        stale = stale_tables(conn)
    if store.engine.dialect.name != "postgresql":
        assert stale == []
        report = run_retention(store, T0, load_policy("eu"), vault=VAULT)
        assert report.analyzed == []
        return
    # A fresh schema: nothing was ever analysed (reltuples -1), the run analyses it all.
    assert "booking" in stale and "api_traveller" in stale
    assert set(stale) <= set(retention_tables())
    with store.read() as conn:
        assert _reltuples(conn, "booking") < 0
    report = run_retention(store, add_months(T0, 7), load_policy("eu"), vault=VAULT)
    assert set(stale) <= set(report.analyzed)
    with store.read() as conn:
        assert _reltuples(conn, "booking") >= 0
        assert _reltuples(conn, "api_traveller") >= 0
        # A few rows changed since (the run's own deletions): under autovacuum's
        # threshold (50 + 10 %), so the next run does not analyse them again.
        assert "booking" not in stale_tables(conn)
    again = run_retention(store, add_months(T0, 7), load_policy("eu"), vault=VAULT)
    assert "booking" not in again.analyzed


@pytest.mark.postgres
def test_a_table_changed_beyond_the_threshold_is_analysed_again(store: Store) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    _load(store)
    with store.write() as conn:
        refresh_statistics(conn)
    with store.read() as conn:
        assert stale_tables(conn, ["flight"]) == []
    rows = [
        {"key": f"XX{i}", "carrier": "XX", "number": str(i), "created_at": T0} for i in range(120)
    ]
    with store.write() as conn:
        conn.execute(s.flight.insert(), rows)
        conn.execute(text("SELECT pg_stat_force_next_flush()"))
    # The server publishes a backend's counters when its transaction ends.
    with store.read() as conn:
        assert stale_tables(conn, ["flight", "booking"]) == ["flight"]
    with store.write() as conn:
        assert refresh_statistics(conn, ["flight", "booking"]) == ["flight"]
        assert _reltuples(conn, "flight") >= 100


def _joined(conn: Connection, flight_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Bookings and their current travellers per flight, by the join ``compute_flights``
    no longer runs (the reference)."""
    bf, b, t = s.booking_flight, s.booking, s.traveller
    bookings = dict(
        conn.execute(
            select(bf.c.flight_id, func.count())
            .where(bf.c.flight_id.in_(flight_ids))
            .group_by(bf.c.flight_id)
        ).all()
    )
    people = dict(
        conn.execute(
            select(bf.c.flight_id, func.count(t.c.id))
            .join(b, b.c.id == bf.c.booking_id)
            .join(t, t.c.version_id == b.c.current_version_id)
            .where(bf.c.flight_id.in_(flight_ids))
            .group_by(bf.c.flight_id)
        ).all()
    )
    return {int(f): (int(bookings.get(f, 0)), int(people.get(f, 0))) for f in flight_ids}


def test_flight_figures_match_the_join_of_bookings_and_current_travellers(
    store: Store,
) -> None:
    first, second = flight(number="324"), flight(number="325")
    two = booking("AAA111", traveller("SMITH", "ANNA"), traveller("JONES", "BOB", ref="2"))
    three = booking(
        "AAA111",
        traveller("SMITH", "ANNA"),
        traveller("JONES", "BOB", ref="2"),
        traveller("LEE", "KIM", ref="3"),
    )
    one = booking("BBB222", traveller("BROWN", "CARL"))
    gone = booking("CCC333", traveller("GREEN", "DAN"), traveller("GREEN", "EVA", ref="2"))
    a = push(store, pnr(two, one, gone, fl=first, action=PushAction.FULL), T0)
    # A new version of AAA111 (three travellers); CCC333 left out of a full push: cancelled.
    later = T0 + timedelta(hours=1)
    push(store, pnr(three, one, fl=first, action=PushAction.FULL, reference="REF2"), later)
    b = push(store, pnr(one, fl=second), later)
    with store.read() as conn:
        figures = {
            r["flight_id"]: (r["bookings"], r["pnr_passengers"])
            for r in compute_flights(conn, [a, b], later, ComplianceSchedule())
        }
        expected = _joined(conn, [a, b])
    assert figures == expected
    assert figures[a] == (3, 6) and figures[b] == (1, 1)
