"""Migration 0012: archived raw messages carry an ``erased`` marker (existing erased bodies
marked, the retention job erases through it), and the unused name and document-number
indexes are gone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, select, update

from paxwatch.privacy.depersonalise import ERASED
from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.purge import orphan_counts
from paxwatch.privacy.retention import run_retention
from paxwatch.store import schema as s
from paxwatch.store.engine import open_store
from paxwatch.store.migrate import upgrade
from tests.privacy.test_retention_support import VAULT
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_migration_0006 import _downgrade, _load

T0 = datetime(2026, 12, 10, 10, 0)
DROPPED = {
    ("traveller", "ix_traveller_surname"),
    ("api_traveller", "ix_api_traveller_surname"),
    ("document", "ix_document_number"),
}


def _indexes(conn: Connection) -> set[tuple[str, str]]:
    tables = ("traveller", "api_traveller", "document", "raw_message")
    return {(t, str(i["name"])) for t in tables for i in inspect(conn).get_indexes(t)}


def _raw(conn: Connection) -> list[tuple[int, bytes, bool]]:
    r = s.raw_message
    rows = conn.execute(select(r.c.id, r.c.body, r.c.erased).order_by(r.c.id)).all()
    return [(int(i), bytes(b), bool(e)) for i, b, e in rows]


@pytest.mark.parametrize("kind", BACKENDS)
def test_0012_marks_erased_bodies_and_drops_unused_indexes(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st)
            _downgrade(st, "0011")
            with st.write() as conn:
                assert _indexes(conn) >= DROPPED
                assert "erased" not in {c["name"] for c in inspect(conn).get_columns("raw_message")}
                first = conn.execute(select(s.raw_message.c.id).order_by(s.raw_message.c.id))
                erased_id = int(first.scalars().first() or 0)
                conn.execute(
                    update(s.raw_message).where(s.raw_message.c.id == erased_id).values(body=ERASED)
                )
            upgrade(st)
            with st.read() as conn:
                found = _indexes(conn)
                assert not DROPPED & found
                assert ("raw_message", "ix_raw_message_unerased") in found
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
                raws = _raw(conn)
            assert len(raws) == 2
            assert [(i, e) for i, _, e in raws] == [(i, i == erased_id) for i, _, _ in raws]

            run_retention(st, add_months(T0, 7), load_policy("eu"), vault=VAULT)
            with st.read() as conn:
                assert orphan_counts(conn) == {}
                assert all(b == ERASED and e for _, b, e in _raw(conn))
        finally:
            st.close()
