"""Migration 0013: booking versions and API travellers carry a ``masked`` marker (set with
the masked content; existing masked rows marked from ``masked_record``), which the
retention job's mask-age step walks through instead of re-reading the masked rows it
keeps."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, select

from paxwatch.model import PushAction
from paxwatch.privacy.depersonalise import (
    depersonalise_api_travellers,
    depersonalise_versions,
)
from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.purge import orphan_counts
from paxwatch.privacy.retention import run_retention
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.migrate import upgrade
from tests.privacy.test_retention_support import VAULT, flight, push, push_api
from tests.store.factory import api, api_traveller, booking, pnr, traveller
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_migration_0006 import _downgrade

T0 = datetime(2026, 12, 10, 10, 0)


def _load(st: Store) -> None:
    """Two bookings and two API travellers, one of each masked."""
    one = booking("MSK001", traveller("SMITH", "ANNA", ref="1", doc="P1234567"))
    two = booking("MSK002", traveller("JONES", "BOB", ref="1", doc="P7654321"))
    push(st, pnr(one, two, action=PushAction.FULL, fl=flight()), T0)
    listed = api(api_traveller("SMITH", "ANNA"), api_traveller("JONES", "BOB"), fl=flight())
    push_api(st, listed, T0)
    with st.write() as conn:
        first_version = min(conn.execute(select(s.booking_version.c.id)).scalars())
        first_api = min(conn.execute(select(s.api_traveller.c.id)).scalars())
        depersonalise_versions(conn, [first_version], keep=None, vault=VAULT, now=T0)
        depersonalise_api_travellers(conn, [first_api], vault=VAULT, now=T0)


def _marks(conn: Connection) -> tuple[list[bool], list[bool]]:
    v, a = s.booking_version, s.api_traveller
    versions = conn.execute(select(v.c.masked).order_by(v.c.id)).scalars()
    travellers = conn.execute(select(a.c.masked).order_by(a.c.id)).scalars()
    return [bool(m) for m in versions], [bool(m) for m in travellers]


@pytest.mark.parametrize("kind", BACKENDS)
def test_0013_marks_the_masked_rows_and_retention_walks_the_others(
    kind: str, tmp_path: Path
) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st)
            with st.read() as conn:
                assert _marks(conn) == ([True, False], [True, False])  # set when masking
            _downgrade(st, "0012")
            with st.read() as conn:
                columns = {c["name"] for c in inspect(conn).get_columns("booking_version")}
                assert "masked" not in columns
            upgrade(st)
            with st.read() as conn:
                assert _marks(conn) == ([True, False], [True, False])  # from masked_record
                indexes = {
                    (t, str(i["name"]))
                    for t in ("booking_version", "api_traveller")
                    for i in inspect(conn).get_indexes(t)
                }
                assert ("booking_version", "ix_booking_version_unmasked") in indexes
                assert ("api_traveller", "ix_api_traveller_unmasked") in indexes
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []

            # The mask age walks the rows not masked yet (the EU profile deletes them, being
            # unflagged), not the masked ones, which stay; a second run finds nothing.
            at = add_months(T0, 6) + timedelta(days=3)
            report = run_retention(st, at, load_policy("eu"), vault=VAULT)
            assert report.versions_deleted == 1 and report.api_travellers_deleted == 1
            with st.read() as conn:
                assert _marks(conn) == ([True], [True])
                assert orphan_counts(conn) == {}
            assert run_retention(st, at, load_policy("eu"), vault=VAULT).changed == 0
        finally:
            st.close()
