"""Migration 0007: flights and legs get their UTC times, filled for the rows already stored."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, update

from paxwatch.model import PushAction
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.flight_times import utc_of
from paxwatch.store.migrate import alembic_config, upgrade
from tests.privacy.test_retention_support import flight, push
from tests.store.factory import booking, pnr, traveller
from tests.store.helpers import BACKENDS, store_url

T0 = datetime(2026, 12, 10, 10, 0)
UTC_COLUMNS = {"departure_utc", "arrival_utc"}


def _downgrade(st: Store, revision: str) -> None:
    config = alembic_config()
    with st.write() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _columns(st: Store, table: str) -> set[str]:
    with st.read() as conn:
        return {c["name"] for c in inspect(conn).get_columns(table)}


def test_utc_of_uses_the_airport_zone() -> None:
    # London is UTC+0 in December, New York UTC-5, Tokyo UTC+9; unknown airports keep the time.
    assert utc_of(datetime(2026, 12, 12, 12, 30), "JFK") == datetime(2026, 12, 12, 17, 30)
    assert utc_of(datetime(2026, 12, 12, 9, 15), "LHR") == datetime(2026, 12, 12, 9, 15)
    assert utc_of(datetime(2026, 7, 1, 9, 15), "LHR") == datetime(2026, 7, 1, 8, 15)
    assert utc_of(datetime(2026, 12, 12, 9, 0), "NRT") == datetime(2026, 12, 12, 0, 0)
    assert utc_of(datetime(2026, 12, 12, 9, 0), "ZZZ") == datetime(2026, 12, 12, 9, 0)
    assert utc_of(datetime(2026, 12, 12, 9, 0), None) == datetime(2026, 12, 12, 9, 0)
    assert utc_of(None, "JFK") is None


@pytest.mark.parametrize("kind", BACKENDS)
def test_0007_adds_and_fills_the_utc_times(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            two = booking("AAA111", traveller("SMITH", "ANNA", ref="1", doc="P1234567"))
            push(st, pnr(two, action=PushAction.FULL, fl=flight()), T0)
            f, leg = s.flight, s.flight_leg
            with st.read() as conn:
                written = conn.execute(
                    select(f.c.origin, f.c.departure, f.c.departure_utc, f.c.arrival_utc)
                ).one()
                legs = conn.execute(select(leg.c.departure_utc, leg.c.arrival_utc)).all()
            # The write path fills them: LHR -> JFK, local departure and arrival.
            assert written.departure_utc == datetime(2026, 12, 12, 9, 15)
            assert written.arrival_utc == datetime(2026, 12, 12, 17, 30)  # 12:30 in New York
            assert legs and all(r.departure_utc is not None for r in legs)

            _downgrade(st, "0006")
            assert not UTC_COLUMNS & _columns(st, "flight")
            assert not UTC_COLUMNS & _columns(st, "flight_leg")

            upgrade(st)  # the backfill computes what the write path wrote
            with st.read() as conn:
                again = conn.execute(
                    select(f.c.origin, f.c.departure, f.c.departure_utc, f.c.arrival_utc)
                ).one()
                assert conn.execute(select(leg.c.departure_utc, leg.c.arrival_utc)).all() == legs
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
            assert again == written

            # A row without them (written before 0007) is filled by the next upgrade only;
            # the queue reads its local times as UTC meanwhile.
            with st.write() as conn:
                conn.execute(update(f).values(departure_utc=None, arrival_utc=None))
            _downgrade(st, "0006")
            upgrade(st)
            with st.read() as conn:
                assert conn.execute(select(f.c.departure_utc, f.c.arrival_utc)).one() == (
                    written.departure_utc,
                    written.arrival_utc,
                )
        finally:
            st.close()
