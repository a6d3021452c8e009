"""Migration 0016: the ingest tables lose their foreign keys to ``raw_message``, ``flight`` and
``push``; existing stores keep their rows, an ingest leaves no reference dangling, the
retention job's 5-year step deletes what refers to the archived messages it deletes (what
the cascade did), and the downgrade restores the constraints (refused while a row refers
to a missing parent)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, inspect, select, text

from paxwatch.formats.paxlst_write import write_paxlst
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest.pipeline import IngestItem, ingest_many
from paxwatch.model import PushAction, Remark
from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.purge import orphan_counts
from paxwatch.privacy.retention import run_retention
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.migrate import alembic_config, upgrade
from tests.privacy.test_retention_support import VAULT
from tests.store.factory import api, api_traveller, booking, flight, pnr, traveller
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_migration_0006 import _downgrade

_SCRIPT = ScriptDirectory.from_config(alembic_config()).get_revision("0016")
assert _SCRIPT is not None
#: (table, column, referenced table) of the constraints 0016 drops, and the revision before.
DROPPED: tuple[tuple[str, str, str], ...] = _SCRIPT.module.DROPPED
BEFORE = str(_SCRIPT.down_revision)


def _ingest(st: Store) -> None:
    """Through the pipeline: a full push of one part (push, part), a full push of two parts,
    a change push, each with a remark minimisation deletes, an API list, and the first part
    of a push still open (the only bookings ``push_booking`` keeps since migration 0020)."""
    sick = (Remark(kind="OSI", text="PAX NEEDS INSULIN", code="DL"),)
    one = booking("AAA111", traveller("SMITH", "ANNA", doc="P1234567"), remarks=sick)
    two = booking("BBB222", traveller("JONES", "BOB"), remarks=sick)
    three = booking("CCC333", traveller("BROWN", "CAROL"))
    messages = [
        write_pnrgov(pnr(one, two, action=PushAction.FULL, reference="F1")),
        write_pnrgov(pnr(one, action=PushAction.FULL, part=(1, False), reference="F2")),
        write_pnrgov(pnr(three, action=PushAction.FULL, part=(2, True), reference="F3")),
        write_pnrgov(pnr(two, three, reference="C1")),
        write_paxlst(api(api_traveller("SMITH", "ANNA", locator="AAA111"), fl=flight())),
        write_pnrgov(pnr(two, action=PushAction.FULL, part=(1, False), reference="F4")),
    ]
    items = [
        IngestItem(data=m.encode(), source="test", name=f"m{i}") for i, m in enumerate(messages)
    ]
    results = ingest_many(st, items)
    assert [r.status for r in results] == ["stored"] * len(items)


def _fks(conn: Connection) -> set[tuple[str, str, str]]:
    insp = inspect(conn)
    return {
        (table, fk["constrained_columns"][0], fk["referred_table"])
        for table in {t for t, _c, _p in DROPPED}
        for fk in insp.get_foreign_keys(table)
    }


def _rows(conn: Connection) -> dict[str, int]:
    return {
        t: int(conn.execute(select(func.count()).select_from(s.metadata.tables[t])).scalar() or 0)
        for t in sorted({t for t, _c, _p in DROPPED})
    }


def _dangling(conn: Connection) -> dict[tuple[str, str], int]:
    """References of ``DROPPED`` columns to no row of their parent table."""
    out = {}
    for table, column, parent in DROPPED:
        found = conn.execute(
            text(
                f'SELECT count(*) FROM "{table}" c WHERE c."{column}" IS NOT NULL AND NOT '
                f'EXISTS (SELECT 1 FROM "{parent}" p WHERE p.id = c."{column}")'
            )
        ).scalar()
        if found:
            out[(table, column)] = int(found)
    return out


@pytest.mark.parametrize("kind", BACKENDS)
def test_0016_drops_the_ingest_foreign_keys_and_keeps_the_rows(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _ingest(st)
            with st.read() as conn:
                assert _fks(conn) == set()
                before = _rows(conn)
                # Every table of the list has rows: the check below is not vacuous.
                assert all(before.values()), before
                assert _dangling(conn) == {}

            _downgrade(st, BEFORE)
            with st.read() as conn:
                assert _fks(conn) == set(DROPPED)
                assert _rows(conn) == before

            upgrade(st)
            with st.read() as conn:
                assert _fks(conn) == set()
                assert _rows(conn) == before
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
                if kind == "sqlite":
                    assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                    assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        finally:
            st.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_0016_downgrade_refuses_dangling_references(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url, upgrade=True)
        try:
            _ingest(st)
            with st.write() as conn:
                # Nothing deletes flights; without the constraint nothing cascades either.
                conn.execute(s.flight_leg.delete())
                conn.execute(s.flight.delete())
            with st.read() as conn:
                assert ("booking_flight", "flight_id") in _dangling(conn)
            with pytest.raises(RuntimeError, match="refer to no flight"):
                _downgrade(st, BEFORE)
            with st.read() as conn:
                assert _fks(conn) == set()
        finally:
            st.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_0016_archive_deleted_at_5_years_takes_what_refers_to_it(kind: str, tmp_path: Path) -> None:
    """The 5-year step deletes the archived messages; the rows that referred to them through
    the dropped constraints (push parts, deletion log, booking-flight links, versions, API
    lists) go with them, so nothing is left dangling, as when the cascade did it."""
    with store_url(kind, tmp_path) as url:
        st = open_store(url, upgrade=True)
        try:
            _ingest(st)
            with st.read() as conn:
                refer = {t: n for t, n in _rows(conn).items() if n}
                assert {"push_part", "deletion_log", "booking_flight"} <= set(refer)
            later = add_months(datetime.now(UTC).replace(tzinfo=None), 61)
            report = run_retention(st, later, load_policy("eu"), vault=VAULT)
            assert report.raw_deleted == 6
            with st.read() as conn:
                assert conn.execute(select(func.count()).select_from(s.raw_message)).scalar() == 0
                assert _dangling(conn) == {}
                assert orphan_counts(conn) == {}
                for table in ("push_part", "deletion_log", "booking_flight", "booking_version"):
                    count = select(func.count()).select_from(s.metadata.tables[table])
                    assert conn.execute(count).scalar() == 0, table
        finally:
            st.close()
