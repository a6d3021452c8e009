"""Retention at scale: planner statistics first (PostgreSQL); the flight figures sealed
before deletion count each booking's current travellers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Connection, select, text

from paxwatch.model import PushAction
from paxwatch.privacy.flags import Protection
from paxwatch.privacy.flight_figures import ComplianceSchedule, compute_flights
from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.retention import run_retention
from paxwatch.privacy.retention_delete import delete_version_rows
from paxwatch.privacy.retention_report import RetentionReport
from paxwatch.privacy.retention_run import Run
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from paxwatch.store.statistics import (
    refresh_statistics,
    stale_tables,
    store_tables,
)
from tests.privacy.test_retention_support import (
    VAULT,
    flight,
    orphans,
    push,
    push_api,
    store,
)
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
    # A fresh schema: only the tables the ingest's correlation reads were analysed
    # (``store.relink``); the others never were (reltuples -1): the run analyses them.
    assert "booking_version" in stale and "flight" in stale
    assert set(stale) <= set(store_tables())
    with store.read() as conn:
        assert _reltuples(conn, "booking_version") < 0
        assert _reltuples(conn, "api_traveller") >= 0
    report = run_retention(store, add_months(T0, 7), load_policy("eu"), vault=VAULT)
    assert set(stale) <= set(report.analyzed)
    with store.read() as conn:
        assert _reltuples(conn, "booking_version") >= 0
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
    # 80 more rows: beyond autovacuum's 10 %, not a doubling (the ingest's ``scale=1.0``).
    more = [{**r, "key": f"YY{i}", "carrier": "YY"} for i, r in enumerate(rows[:80])]
    with store.write() as conn:
        conn.execute(s.flight.insert(), more)
        conn.execute(text("SELECT pg_stat_force_next_flush()"))
    with store.read() as conn:
        assert stale_tables(conn, ["flight"]) == ["flight"]
        assert stale_tables(conn, ["flight"], scale=1.0) == []


def test_flight_figures_count_bookings_and_the_travellers_of_their_current_version(
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
    # AAA111 now has three travellers, BBB222 one, CCC333 (cancelled) still two.
    assert figures[a] == (3, 6) and figures[b] == (1, 1)


def test_deleting_versions_keeps_the_bookings_that_still_have_one(store: Store) -> None:
    """``delete_empty_bookings`` finds the bookings left with a version from the version
    table's index: the others go, those keep their newest version as the current one."""
    fl = flight()
    push(store, pnr(booking("AAA111"), booking("BBB222"), fl=fl), T0)
    later = T0 + timedelta(hours=1)
    push(store, pnr(booking("AAA111", traveller("SMITH", "ANNA")), fl=fl), later)
    v, b = s.booking_version, s.booking
    with store.read() as conn:
        bookings = {
            r[0]: (r[1], r[2])
            for r in conn.execute(select(b.c.locator, b.c.id, b.c.current_version_id))
        }
        newest = bookings["AAA111"][1]
        doomed = conn.execute(
            select(v.c.id, v.c.booking_id, v.c.raw_message_id).where(v.c.id != newest)
        ).all()
    assert len(doomed) == 2  # AAA111's first version and BBB222's only one
    run = Run(
        policy=load_policy("eu"),
        now=later,
        vault=VAULT,
        chunk=100,
        report=RetentionReport(policy="eu", now=later, dry_run=False),
        protection=Protection(),
        progress=None,
        tx=store.write,
    )
    with store.write() as conn:
        # AAA111 points at the version being deleted, as if the newest were not current.
        first = next(int(r[0]) for r in doomed if r[1] == bookings["AAA111"][0])
        conn.execute(b.update().where(b.c.locator == "AAA111").values(current_version_id=first))
        delete_version_rows(run, conn, doomed)
    assert run.report.versions_deleted == 2 and run.report.bookings_deleted == 1
    with store.read() as conn:
        left = {r[0]: r[1] for r in conn.execute(select(b.c.locator, b.c.current_version_id))}
    assert left == {"AAA111": newest}
    assert orphans(store) == {}
