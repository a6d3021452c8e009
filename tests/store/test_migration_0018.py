"""Migration 0018: frequent-flyer numbers are keyed in ``frequent_flyer.number_key`` instead of
copied into ``identifier``; ``find_identifier`` finds the same owners there, never a masked
one; the upgrade keys the rows stored before it (not those of masked versions) and the
downgrade writes the identifier rows the code before it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, select

from paxwatch.privacy.depersonalise import depersonalise_versions
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store.engine import open_store
from paxwatch.store.keys import frequent_flyer_identifier
from paxwatch.store.migrate import current_revision, upgrade
from paxwatch.store.schema_parts import identifier_key
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_migration_0006 import _downgrade
from tests.store.test_migration_0017 import (
    T0,
    IdentifierRow,
    _identifier_rows,
    _load,
    _owners,
    _versions,
)

#: The factory's travellers all hold this number (``tests.store.factory.traveller``).
FF = "DL:1234567890"


def _keys(conn: Connection) -> list[tuple[int, str | None]]:
    f = s.frequent_flyer
    return [(int(i), k) for i, k in conn.execute(select(f.c.id, f.c.number_key).order_by(f.c.id))]


def _ff_rows(conn: Connection) -> list[IdentifierRow]:
    return _identifier_rows(conn, "frequent_flyer")


def test_frequent_flyer_identifier() -> None:
    assert frequent_flyer_identifier(" dl", "12-345 67") == "DL:1234567"
    assert frequent_flyer_identifier("DL", " - ") is None


@pytest.mark.parametrize("kind", BACKENDS)
def test_0018_keys_frequent_flyer_numbers_in_place(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st)
            with st.read() as conn:
                first, second = _versions(conn)
                travellers = conn.execute(
                    select(s.traveller.c.id, s.traveller.c.version_id).order_by(s.traveller.c.id)
                ).all()
            with st.write() as conn:
                depersonalise_versions(conn, [first], vault=None, now=T0)
            with st.read() as conn:
                assert _ff_rows(conn) == []  # the writers write none
                keys = _keys(conn)
                hits = repo.find_identifier(conn, "frequent_flyer", FF)
            # Masking cleared the first version's keys; the second's three travellers keep theirs.
            live = [tid for tid, vid in travellers if vid == second]
            assert [h.traveller_id for h in hits] == live
            assert {(h.version_id, h.api_traveller_id) for h in hits} == {(second, None)}
            assert len({h.booking_id for h in hits}) == 1
            assert [k for _, k in keys].count(FF) == 3 and [k for _, k in keys].count(None) == 2

            _downgrade(st, "0017")
            assert current_revision(st) == "0017"
            with st.read() as conn:
                columns = {c["name"] for c in inspect(conn).get_columns("frequent_flyer")}
                assert "number_key" not in columns
                rows = _ff_rows(conn)
            # One identifier row per live number, owned as the code before 0018 wrote them.
            assert {r[:5] for r in rows} == _owners(hits) and len(rows) == len(hits)
            assert all(r[5] == identifier_key("frequent_flyer", r[0]) for r in rows)

            upgrade(st)
            assert (current_revision(st) or "") >= "0018"
            with st.read() as conn:
                assert _ff_rows(conn) == []
                assert _keys(conn) == keys  # the masked version's numbers stay unkeyed
                assert repo.find_identifier(conn, "frequent_flyer", FF) == hits
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
        finally:
            st.close()
