"""Migration 0010: matching keys filled in for stored rows as the write path fills them,
and cleared when depersonalisation masks what they derive from."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

from paxwatch.privacy.depersonalise import (
    depersonalise_api_travellers,
    depersonalise_versions,
)
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.keys import name_key
from paxwatch.store.migrate import upgrade
from tests.privacy.test_retention_support import push, push_api
from tests.store.factory import api, api_traveller, booking, flight, pnr, traveller
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_migration_0006 import _downgrade

T0 = datetime(2026, 12, 10, 10, 0)

Keys = tuple[list[tuple[int, str | None]], ...]


def _load(st: Store) -> None:
    people = booking(
        "AAA111",
        traveller("SMITH", "ANNA MARIA", ref="1", doc="p-1234567"),
        traveller("O'NEIL", "BOB", ref="2", doc="P7654321", dob=None),
    )
    push(st, pnr(people, fl=flight()), T0)
    listed = api(
        api_traveller("SMITH", "ANNA", locator="AAA111", doc="P1234567"),
        api_traveller("ONEIL", "BOB", dob=date(1970, 1, 1)),
        fl=flight(),
    )
    push_api(st, listed, T0)


def _keys(conn: Connection) -> Keys:
    t, a, d = s.traveller, s.api_traveller, s.document
    return (
        [(int(i), k) for i, k in conn.execute(select(t.c.id, t.c.name_key).order_by(t.c.id))],
        [(int(i), k) for i, k in conn.execute(select(a.c.id, a.c.name_key).order_by(a.c.id))],
        [(int(i), k) for i, k in conn.execute(select(d.c.id, d.c.number_key).order_by(d.c.id))],
    )


def test_name_key() -> None:
    assert name_key("O'Neil", "bob  jr", date(1970, 1, 2)) == "ONEIL/BOB/1970-01-02"
    assert name_key("SMITH", None, "1970-01-02") == "SMITH//1970-01-02"
    assert name_key("SMITH", "ANN", None) is None
    assert name_key("--", "ANN", date(1970, 1, 2)) is None


@pytest.mark.parametrize("kind", BACKENDS)
def test_0010_backfills_the_keys_the_write_path_stores(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st)
            with st.read() as conn:
                written = _keys(conn)
            travellers, listed, documents = written
            assert [k for _, k in travellers] == ["SMITH/ANNA/1964-07-12", None]
            assert [k for _, k in listed] == ["SMITH/ANNA/1964-07-12", "ONEIL/BOB/1970-01-01"]
            assert sorted(k for _, k in documents if k) == ["P1234567", "P1234567", "P7654321"]
            _downgrade(st, "0009")
            upgrade(st)
            with st.read() as conn:
                assert _keys(conn) == written
        finally:
            st.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_masking_clears_the_keys(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st)
            with st.write() as conn:
                versions = list(conn.execute(select(s.booking_version.c.id)).scalars())
                listed = list(conn.execute(select(s.api_traveller.c.id)).scalars())
                depersonalise_versions(conn, versions, vault=None, now=T0)
                depersonalise_api_travellers(conn, listed, vault=None, now=T0)
            with st.read() as conn:
                travellers, api_rows, documents = _keys(conn)
            assert travellers and api_rows and documents
            assert {k for _, k in travellers + api_rows + documents} == {None}
        finally:
            st.close()
