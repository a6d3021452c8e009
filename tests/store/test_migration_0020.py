"""Migration 0020: ``push_booking`` keeps the bookings of open pushes in parts only. The
upgrade deletes the rows of complete and abandoned pushes that the code before it kept, and
leaves an open push's rows, which its completion still reads; the downgrade restores
nothing (no code reads them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, insert, select

from paxwatch.model import PushAction
from paxwatch.store import schema as s
from paxwatch.store.engine import open_store
from paxwatch.store.migrate import current_revision, upgrade
from tests.store.factory import booking, pnr
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_full_push import _push
from tests.store.test_migration_0006 import _downgrade

FULL = PushAction.FULL


def _kept(conn: Connection) -> list[tuple[str, str]]:
    """(status of the push, locator) of each ``push_booking`` row."""
    p, pb, b = s.push, s.push_booking, s.booking
    query = (
        select(p.c.status, b.c.locator)
        .join(pb, pb.c.push_id == p.c.id)
        .join(b, b.c.id == pb.c.booking_id)
        .order_by(p.c.id, b.c.locator)
    )
    return [(str(status), str(locator)) for status, locator in conn.execute(query)]


def _as_before(conn: Connection) -> None:
    """What the code before 0020 left: each push's bookings, whatever its status."""
    p, b = s.push, s.booking
    ids = {str(loc): int(i) for loc, i in conn.execute(select(b.c.locator, b.c.id))}
    pushes = [int(i) for i in conn.execute(select(p.c.id).order_by(p.c.id)).scalars()]
    abandoned, complete, _open = pushes
    rows = [(abandoned, "AAA111"), (complete, "AAA111"), (complete, "BBB222")]
    conn.execute(
        insert(s.push_booking), [{"push_id": i, "booking_id": ids[loc]} for i, loc in rows]
    )


@pytest.mark.parametrize("kind", BACKENDS)
def test_0020_keeps_the_bookings_of_open_pushes_only(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _push(st, pnr(booking("AAA111"), booking("BBB222"), booking("CCC333")))
            _push(st, pnr(booking("AAA111"), action=FULL, part=(1, False), reference="P1"))
            assert _push(st, pnr(booking("AAA111"), booking("BBB222"), action=FULL)) == 1
            _push(st, pnr(booking("CCC333"), action=FULL, part=(1, False), reference="P3"))
            with st.read() as conn:
                assert _kept(conn) == [("open", "CCC333")]

            _downgrade(st, "0019")
            assert current_revision(st) == "0019"
            with st.write() as conn:
                _as_before(conn)
                assert [status for status, _ in _kept(conn)] == [
                    "abandoned",
                    "complete",
                    "complete",
                    "open",
                ]

            upgrade(st)
            assert (current_revision(st) or "") >= "0020"
            with st.read() as conn:
                assert _kept(conn) == [("open", "CCC333")]
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
            # The open push still completes from its rows: part 2 brings DDD444, so the
            # bookings in neither part (AAA111, BBB222) are cancelled.
            cancelled = _push(st, pnr(booking("DDD444"), action=FULL, part=(2, True)))
            assert cancelled == 2
            with st.read() as conn:
                assert _kept(conn) == []
        finally:
            st.close()
