"""Migration 0015: ``identifier`` is searched through ``value_key`` (a 64-bit hash of kind and
value, indexed alone) instead of the ``(kind, value)`` text index; rows stored before the
migration get their key, ``find_identifier`` goes through the new index and tells apart
identifiers that share a key, and the downgrade restores the old index. Since migration
0019 only addresses are ``identifier`` rows (phones, e-mails and cards are keyed in their own
rows, ``tests/store/test_migration_0019.py``), so the identifiers here are addresses."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, event, insert, inspect, select, text

from paxwatch.model import PushAction
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.migrate import current_revision, upgrade
from paxwatch.store.schema_parts import identifier_key
from tests.privacy.test_retention_support import flight, push, push_api
from tests.store.factory import api, api_traveller, booking, pnr, traveller, with_office
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_migration_0006 import _downgrade

T0 = datetime(2026, 12, 10, 10, 0)
#: The normalised address (``keys.norm_address``) the two bookings of ``_load`` share.
ADDRESS = "9 LOW STREET LEEDS GB"


def _load(st: Store, first: str, second: str) -> None:
    """Two bookings sharing an address, and an API traveller with a document."""
    one = booking(first, traveller("SMITH", "ANNA", ref="1", doc="P1234567"))
    two = booking(second, traveller("JONES", "BOB", ref="1"))
    one, two = with_office(one, "9 LOW STREET"), with_office(two, "9, Low Street")
    push(st, pnr(one, two, action=PushAction.FULL, fl=flight()), T0)
    push_api(st, api(api_traveller("SMITH", "ANNA"), fl=flight()), T0)


def _indexes(conn: Connection, table: str = "identifier") -> set[str]:
    return {str(i["name"]) for i in inspect(conn).get_indexes(table)}


def _plan(conn: Connection, kind: str, value: str) -> str:
    """The query plan of ``find_identifier``'s own statement."""
    seen: list[tuple[str, Any]] = []

    def _capture(_c: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        seen.append((statement, params))

    event.listen(conn, "before_cursor_execute", _capture)
    try:
        repo.find_identifier(conn, kind, value)
    finally:
        event.remove(conn, "before_cursor_execute", _capture)
    ((statement, params),) = seen
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
        return " ".join(str(r[-1]) for r in rows)
    # A few rows: the planner would rather scan them; the question is whether the index
    # serves the query at all.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    rows = conn.exec_driver_sql(f"EXPLAIN {statement}", params).all()
    return " ".join(str(r[0]) for r in rows)


def _usable_plan(st: Store, kind: str, value: str) -> str:
    """``_plan`` once the new index may serve this session. On PostgreSQL an index built over
    rows the same transaction updated (the keys filled in, HOT updates) is marked
    ``indcheckxmin``: a snapshot taken while a transaction older than the migration's still
    runs, in any schema of the server (other tests, other jobs), cannot use it yet. So the
    plan is asked again for a few seconds; an index never used still fails."""
    deadline = time.monotonic() + 20
    while True:
        with st.write() as conn:
            plan = _plan(conn, kind, value)
        if "ix_identifier_value_key" in plan or time.monotonic() > deadline:
            return plan
        time.sleep(0.2)


@pytest.mark.parametrize("kind", BACKENDS)
def test_0015_keys_identifiers_and_finds_them_through_the_key(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st, "KEY001", "KEY002")
            with st.read() as conn:
                assert len(repo.find_identifier(conn, "address", ADDRESS)) == 2
                keys = conn.execute(select(s.identifier.c.kind, s.identifier.c.value_key)).all()
                assert keys and all(k is not None for _kind, k in keys)

            _downgrade(st, "0014")
            assert current_revision(st) == "0014"
            with st.read() as conn:
                columns = {c["name"] for c in inspect(conn).get_columns("identifier")}
                assert "value_key" not in columns
                assert "ix_identifier_kind_value" in _indexes(conn)
                assert "ix_identifier_value_key" not in _indexes(conn)
                assert "ix_agency_iata_number" in _indexes(conn, "agency")
            # Rows stored by the code before the migration (no key), one not ASCII.
            with st.write() as conn:
                conn.execute(
                    text("INSERT INTO identifier (kind, value) VALUES (:k, :v)"),
                    [
                        {"k": "address", "v": "ZOË STRASSE 1 BERLIN DE"},
                        {"k": "address", "v": ADDRESS},
                    ],
                )

            upgrade(st)
            assert (current_revision(st) or "") >= "0015"  # the head: 0015 or later
            with st.read() as conn:
                rows = conn.execute(
                    select(s.identifier.c.kind, s.identifier.c.value, s.identifier.c.value_key)
                ).all()
                assert len(rows) == len(keys) + 2
                assert all(key == identifier_key(k, v) for k, v, key in rows)
                assert len(repo.find_identifier(conn, "address", ADDRESS)) == 3
                (home,) = repo.find_identifier(conn, "address", "ZOË STRASSE 1 BERLIN DE")
                assert home.booking_id is None and home.api_traveller_id is None
                assert "ix_identifier_kind_value" not in _indexes(conn)
                assert "ix_agency_iata_number" not in _indexes(conn, "agency")
                assert {
                    "ix_identifier_value_key",
                    "ix_identifier_version_id",
                    "ix_identifier_api_traveller_id",
                } <= _indexes(conn)
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
                if kind == "sqlite":  # the rebuilt table keeps its partial indexes
                    sql = conn.exec_driver_sql(
                        "SELECT sql FROM sqlite_master WHERE name = 'ix_identifier_version_id'"
                    ).scalar_one()
                    assert "WHERE version_id IS NOT NULL" in sql
            assert "ix_identifier_value_key" in _usable_plan(st, "address", ADDRESS)
            # New rows are keyed by the writers.
            _load(st, "KEY003", "KEY004")
            with st.read() as conn:
                assert len(repo.find_identifier(conn, "address", ADDRESS)) == 5
        finally:
            st.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_identifiers_sharing_a_key_are_told_apart(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st, "KEY001", "KEY002")
            key = identifier_key("address", ADDRESS)
            with st.write() as conn:
                conn.execute(
                    insert(s.identifier),
                    [
                        {"kind": "phone", "value": ADDRESS, "value_key": key},
                        {"kind": "address", "value": "1 HIGH STREET LEEDS GB", "value_key": key},
                    ],
                )
            with st.read() as conn:
                hits = repo.find_identifier(conn, "address", ADDRESS)
                assert {(h.kind, h.value) for h in hits} == {("address", ADDRESS)}
                assert len(hits) == 2
        finally:
            st.close()
