"""Migration 0014: on PostgreSQL, ``booking_version.content`` and ``raw_message.body`` are
compressed with LZ4 (cheaper to write than pglz in the serial part of an ingest batch); the
stored values read back the same, and the downgrade restores the default method."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, select, text

from paxwatch.model import PushAction
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.migrate import current_revision, upgrade
from tests.privacy.test_retention_support import flight, push
from tests.store.factory import booking, pnr, traveller
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_migration_0006 import _downgrade

T0 = datetime(2026, 12, 10, 10, 0)
#: A body long enough (and compressible) for the server to compress it inline.
BODY = b"UNH+1+PNRGOV:11:1:IA+F6X'" * 200


def _push_large(st: Store, locator: str) -> None:
    """A booking whose content passes the size at which PostgreSQL compresses a row."""
    people = [traveller(f"TRAVELLER{i:02d}", ref=str(i), doc=f"P{i:07d}") for i in range(1, 9)]
    push(st, pnr(booking(locator, *people), action=PushAction.FULL, fl=flight()), T0, BODY)


def _methods(conn: Connection, locator: str) -> tuple[str | None, str | None]:
    """How the server compressed the content of ``locator``'s version and its raw body."""
    content, body = conn.execute(
        text(
            "SELECT pg_column_compression(v.content), pg_column_compression(r.body) "
            "FROM booking_version v JOIN booking b ON b.id = v.booking_id "
            "JOIN raw_message r ON r.id = v.raw_message_id WHERE b.locator = :l"
        ),
        {"l": locator},
    ).one()
    return content, body


def _column_methods(conn: Connection) -> set[str]:
    return set(
        conn.execute(
            text(
                "SELECT attcompression FROM pg_attribute WHERE attnum > 0 AND "
                "(attrelid, attname) IN (('booking_version'::regclass, 'content'), "
                "('raw_message'::regclass, 'body'))"
            )
        ).scalars()
    )


@pytest.mark.parametrize("kind", BACKENDS)
def test_0014_compresses_content_and_bodies_with_lz4(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            assert (current_revision(st) or "") >= "0014"  # the head: 0014 or later
            with st.read() as conn:
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
            if kind == "sqlite":
                _push_large(st, "LZ4001")
                _downgrade(st, "0013")
                assert current_revision(st) == "0013"
                return
            _push_large(st, "LZ4001")
            with st.read() as conn:
                assert _column_methods(conn) == {"l"}
                assert _methods(conn, "LZ4001") == ("lz4", "lz4")
                content = conn.execute(select(s.booking_version.c.content)).scalar_one()
                assert "TRAVELLER08" in content
                assert conn.execute(select(s.raw_message.c.body)).scalar_one() == BODY

            _downgrade(st, "0013")
            with st.write() as conn:  # today's writers fill 0015's, 0018's and 0019's keys
                conn.execute(text("ALTER TABLE identifier ADD COLUMN value_key bigint"))
                conn.execute(text("ALTER TABLE frequent_flyer ADD COLUMN number_key text"))
                conn.execute(text("ALTER TABLE contact ADD COLUMN value_key bigint"))
                conn.execute(text("ALTER TABLE payment ADD COLUMN card_key bigint"))
                conn.execute(text("ALTER TABLE payment ADD COLUMN payer_phone_key bigint"))
            _push_large(st, "LZ4002")
            with st.read() as conn:
                assert _column_methods(conn) == {""}
                assert _methods(conn, "LZ4002") == ("pglz", "pglz")
                # What was written compressed with LZ4 reads the same after the downgrade.
                assert _methods(conn, "LZ4001") == ("lz4", "lz4")
                assert conn.execute(
                    select(s.raw_message.c.body).order_by(s.raw_message.c.id)
                ).scalars().all() == [BODY, BODY]
        finally:
            st.close()
