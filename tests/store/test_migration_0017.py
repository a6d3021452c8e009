"""Migration 0017: documents are no longer ``identifier`` rows; ``find_identifier`` reads them
from ``document`` through ``number_key`` and finds the same owners (booked travellers with
their version and booking, API travellers), never a masked one; the downgrade writes the
rows the code before it wrote, and the upgrade deletes them again."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, select

from paxwatch.model import Document
from paxwatch.privacy.depersonalise import depersonalise_api_travellers, depersonalise_versions
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.migrate import current_revision, upgrade
from paxwatch.store.records import IdentifierHit
from paxwatch.store.schema_parts import identifier_key
from tests.privacy.test_retention_support import push, push_api
from tests.store.factory import api, api_traveller, booking, flight, pnr, traveller
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_migration_0006 import _downgrade

T0 = datetime(2026, 12, 10, 10, 0)
GBR = "P:GBR:P1234567"
FRA = "P:FRA:P1234567"

Owners = set[tuple[str, int | None, int | None, int | None, int | None]]
IdentifierRow = tuple[str, int | None, int | None, int | None, int | None, int]


def _load(st: Store) -> None:
    """A booking in two versions whose first traveller's passport (written ``p-1234567``)
    is in both; an API traveller with the same passport; another with the same number
    issued by another country; a traveller without a document."""
    first = booking(
        "AAA111",
        traveller("SMITH", "ANNA", ref="1", doc="p-1234567"),
        traveller("JONES", "BOB", ref="2", doc="P7654321"),
    )
    push(st, pnr(first, fl=flight()), T0)
    second = booking(
        "AAA111",
        traveller("SMITH", "ANNA", ref="1", doc="p-1234567"),
        traveller("JONES", "BOB", ref="2", doc="P7654321"),
        traveller("BROWN", "CAROL", ref="3"),
    )
    push(st, pnr(second, fl=flight()), T0 + timedelta(hours=1))
    french = api_traveller("MARTIN", "LEA")
    french = replace(
        french, documents=(Document(type="P", number="P1234567", issuing_country="FRA"),)
    )
    listed = api(api_traveller("SMITH", "ANNA", locator="AAA111", doc="P1234567"), french)
    push_api(st, listed, T0 + timedelta(hours=2))


def _owners(hits: list[IdentifierHit]) -> Owners:
    return {(h.value, h.booking_id, h.version_id, h.traveller_id, h.api_traveller_id) for h in hits}


def _identifier_rows(conn: Connection, kind: str) -> list[IdentifierRow]:
    """The ``identifier`` rows of ``kind``: value, owners (booking, version, traveller, API
    traveller) and ``value_key``."""
    i = s.identifier
    return [
        (r.value, r.booking_id, r.version_id, r.traveller_id, r.api_traveller_id, r.value_key)
        for r in conn.execute(select(i).where(i.c.kind == kind).order_by(i.c.id))
    ]


def _document_rows(conn: Connection) -> list[IdentifierRow]:
    return _identifier_rows(conn, "document")


def _versions(conn: Connection) -> list[int]:
    v = s.booking_version
    return [int(i) for i in conn.execute(select(v.c.id).order_by(v.c.id)).scalars()]


@pytest.mark.parametrize("kind", BACKENDS)
def test_0017_documents_are_found_in_document_and_the_downgrade_rewrites_them(
    kind: str, tmp_path: Path
) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st)
            with st.read() as conn:
                assert _document_rows(conn) == []  # the writers write none
                gbr = repo.find_identifier(conn, "document", GBR)
                fra = repo.find_identifier(conn, "document", FRA)
                other = repo.find_identifier(conn, "document", "P:GBR:P7654321")
                phones = repo.find_identifier(conn, "phone", "+441753637285")
                versions = _versions(conn)
            # Both versions' SMITH (with version and booking) and the British API traveller.
            assert [h.version_id for h in gbr] == [*versions, None]
            assert len({h.booking_id for h in gbr[:2]}) == 1 and gbr[2].booking_id is None
            assert gbr[2].api_traveller_id is not None and gbr[0].api_traveller_id is None
            assert all(h.traveller_id is not None for h in gbr[:2])
            assert len(fra) == 1 and fra[0].api_traveller_id not in {None, gbr[2].api_traveller_id}
            assert [h.version_id for h in other] == versions
            assert len(phones) == 2  # the other identifiers are found as before
            every = _owners(gbr) | _owners(fra) | _owners(other)

            _downgrade(st, "0016")
            assert current_revision(st) == "0016"
            with st.read() as conn:
                rows = _document_rows(conn)
            # One row per live document, owned as the code before 0017 wrote them.
            assert {r[:5] for r in rows} == every and len(rows) == len(every)
            assert all(r[5] == identifier_key("document", r[0]) for r in rows)

            upgrade(st)
            assert (current_revision(st) or "") >= "0017"
            with st.read() as conn:
                assert _document_rows(conn) == []
                assert repo.find_identifier(conn, "document", GBR) == gbr
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
        finally:
            st.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_masked_document_is_not_found(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st)
            with st.read() as conn:
                first, second = _versions(conn)
                before = repo.find_identifier(conn, "document", GBR)
            with st.write() as conn:
                depersonalise_versions(conn, [first], vault=None, now=T0)
            with st.read() as conn:
                after = repo.find_identifier(conn, "document", GBR)
            assert [h.version_id for h in after] == [second, None]
            with st.write() as conn:
                depersonalise_api_travellers(
                    conn, [before[2].api_traveller_id or 0], vault=None, now=T0
                )
            with st.read() as conn:
                assert [h.version_id for h in repo.find_identifier(conn, "document", GBR)] == [
                    second
                ]
                # Not by another spelling of the same key either.
                assert repo.find_identifier(conn, "document", "P:GBR:") == []
                assert repo.find_identifier(conn, "document", "V:GBR:P1234567") == []
        finally:
            st.close()
