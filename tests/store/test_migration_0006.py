"""Migration 0006: the passenger data loses its foreign keys, existing stores keep their rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, delete, func, inspect, select, text

from paxwatch.model import PushAction
from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.purge import orphan_counts
from paxwatch.privacy.retention import run_retention
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.migrate import upgrade
from tests.privacy.test_retention_support import VAULT, flight, push, push_api
from tests.store.factory import api, api_traveller, booking, pnr, traveller
from tests.store.helpers import BACKENDS, store_url

OWNERS = {"booking", "booking_version", "traveller", "api_message", "api_traveller"}
T0 = datetime(2026, 12, 10, 10, 0)
COUNTED = ("booking", "booking_version", "traveller", "document", "identifier", "api_traveller")


def _owner_fks(conn: Connection) -> list[tuple[str, str]]:
    found = []
    insp = inspect(conn)
    for table in insp.get_table_names():
        for fk in insp.get_foreign_keys(table):
            if fk["referred_table"] in OWNERS:
                found.append((table, fk["constrained_columns"][0]))
    return sorted(found)


def _counts(st: Store) -> dict[str, int]:
    with st.read() as conn:
        return {
            t: int(conn.execute(select(func.count()).select_from(s.metadata.tables[t])).scalar())
            for t in COUNTED
        }


def _downgrade(st: Store, revision: str) -> None:
    from alembic import command

    from paxwatch.store.migrate import alembic_config

    config = alembic_config()
    with st.write() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _load(st: Store) -> None:
    two = booking(
        "AAA111",
        traveller("SMITH", "ANNA", ref="1", doc="P1234567"),
        traveller("JONES", "BOB", ref="2", doc="P7654321"),
        email="anna.smith@example.org",
    )
    push(st, pnr(two, action=PushAction.FULL, fl=flight()), T0)
    push_api(st, api(api_traveller("SMITH", "ANNA", locator="AAA111"), fl=flight()), T0)


@pytest.mark.parametrize("kind", BACKENDS)
def test_0006_drops_the_owner_foreign_keys_and_keeps_the_rows(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            # Loaded by today's code (head), then taken back to 0005 with its rows.
            upgrade(st)
            _load(st)
            _downgrade(st, "0005")
            with st.read() as conn:
                assert len(_owner_fks(conn)) == 35
            before = _counts(st)

            upgrade(st, "0006")
            with st.read() as conn:
                assert _owner_fks(conn) == []
                fks = inspect(conn).get_foreign_keys("booking_version")
                assert {fk["referred_table"] for fk in fks} == {"raw_message", "flight"}
            # (0016 drops those two as well; 0017 deletes documents' identifier rows.)
            upgrade(st, "0016")
            assert _counts(st) == before
            upgrade(st)
            with st.read() as conn:
                assert _owner_fks(conn) == []
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
                if kind == "sqlite":
                    assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                    assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []

            # Downgrading restores them; upgrading again drops them again.
            _downgrade(st, "0005")
            with st.read() as conn:
                assert len(_owner_fks(conn)) == 35
            upgrade(st, "0016")
            assert _counts(st) == before
            upgrade(st)

            run_retention(st, add_months(T0, 7), load_policy("eu"), vault=VAULT)
            with st.read() as conn:
                assert orphan_counts(conn) == {}
            assert _counts(st) == dict.fromkeys(COUNTED, 0)
        finally:
            st.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_0006_downgrade_refuses_orphans(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url, upgrade=True)
        try:
            _load(st)
            with st.write() as conn:
                conn.execute(delete(s.booking_version))  # leaves its travellers behind
            with pytest.raises(RuntimeError, match="refer to no booking_version"):
                _downgrade(st, "0005")
            with st.read() as conn:
                assert conn.execute(text("SELECT count(*) FROM traveller")).scalar() == 2
                assert _owner_fks(conn) == []
        finally:
            st.close()
