"""Migration 0008: identifier loses its booking and traveller indexes, the owner indexes of
mostly-NULL columns become partial; rows stay, retention still leaves a whole store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.purge import orphan_counts
from paxwatch.privacy.retention import run_retention
from paxwatch.store import schema as s
from paxwatch.store.engine import open_store
from paxwatch.store.migrate import upgrade
from tests.privacy.test_retention_support import VAULT, count
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_migration_0006 import _downgrade, _load

T0 = datetime(2026, 12, 10, 10, 0)
PARTIAL = {
    ("identifier", "ix_identifier_version_id"),
    ("identifier", "ix_identifier_api_traveller_id"),
    ("document", "ix_document_traveller_id"),
    ("document", "ix_document_api_traveller_id"),
    ("bag", "ix_bag_traveller_id"),
    ("bag", "ix_bag_api_traveller_id"),
    ("contact", "ix_contact_traveller_id"),
    ("payment", "ix_payment_traveller_id"),
}


def _indexes(conn: Connection, table: str) -> set[str]:
    return {str(i["name"]) for i in inspect(conn).get_indexes(table)}


def _partial(conn: Connection) -> set[tuple[str, str]]:
    """(table, index) of the partial indexes among ``PARTIAL``."""
    found = set()
    for table, name in PARTIAL:
        if conn.dialect.name == "sqlite":
            sql = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n"),
                {"n": name},
            ).scalar()
        else:
            sql = conn.execute(
                text(
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                    "AND indexname = :n AND tablename = :t"
                ),
                {"n": name, "t": table},
            ).scalar()
        if sql is not None and "WHERE" in str(sql).upper():
            found.add((table, name))
    return found


@pytest.mark.parametrize("kind", BACKENDS)
def test_0008_indexes_and_rows(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            # Today's write path fills columns of later migrations (0007): load at head,
            # then go back to the revision before 0008.
            upgrade(st)
            _load(st)
            _downgrade(st, "0007")
            with st.read() as conn:
                assert {"ix_identifier_booking_id", "ix_identifier_traveller_id"} <= _indexes(
                    conn, "identifier"
                )
                assert _partial(conn) == set()
            before = count(st, "identifier")
            assert before > 0

            upgrade(st, "0016")  # (0017 deletes documents' rows: below)
            assert count(st, "identifier") == before
            upgrade(st)
            with st.read() as conn:
                assert _indexes(conn, "identifier") == {
                    "ix_identifier_value_key",  # (kind, value) until 0015
                    "ix_identifier_version_id",
                    "ix_identifier_api_traveller_id",
                }
                assert _partial(conn) == PARTIAL
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []

            _downgrade(st, "0007")
            with st.read() as conn:
                assert "ix_identifier_traveller_id" in _indexes(conn, "identifier")
                assert _partial(conn) == set()
            upgrade(st)
            with st.read() as conn:
                assert _partial(conn) == PARTIAL

            run_retention(st, add_months(T0, 7), load_policy("eu"), vault=VAULT)
            with st.read() as conn:
                assert orphan_counts(conn) == {}
            assert count(st, "identifier") == 0
        finally:
            st.close()
