"""``batch_links.new_version_keys``: the matching keys of a batch's new versions, taken from
their rows instead of read back for ``relink``, are exactly those ``relink`` reads from the
stored travellers (reference, name keys, document number keys; none without travellers)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from paxwatch.model import Booking, Document, PushAction
from paxwatch.store import schema as s
from paxwatch.store.batch_links import new_version_keys
from paxwatch.store.engine import Store
from paxwatch.store.relink import _changed_keys
from paxwatch.store.versions import version_rows
from tests.privacy.test_retention_support import flight, push
from tests.store.factory import booking, pnr, traveller

T0 = datetime(2026, 12, 10, 10, 0)


def _bookings() -> list[Booking]:
    two_documents = traveller("SMITH", "ANNA", ref="1", doc="P-12 34567")
    extra = Document(type="I", number="id 998877", issuing_country="GBR")
    two_documents = replace(two_documents, documents=(*two_documents.documents, extra))
    return [
        booking(" kb0001 ", two_documents, traveller("JONES", "BOB", ref="2", doc=None)),
        booking("KB0002", traveller("LEE", "", ref="1", dob=None, doc="X1")),
        booking("KB0003", traveller("NG", "AL", ref="1", doc=None)),
    ]


def test_new_version_keys_are_those_relink_reads_back(store: Store) -> None:
    bookings = _bookings()
    push(store, pnr(*bookings, action=PushAction.FULL, fl=flight()), T0)
    with store.read() as conn:
        v, b = s.booking_version, s.booking
        query = select(b.c.locator, v.c.id).join(v, v.c.booking_id == b.c.id)
        ids = {locator: vid for locator, vid in conn.execute(query)}
        assert sorted(ids) == ["KB0001", "KB0002", "KB0003"]
        for item in bookings:
            vid = ids[item.locator.strip().upper()]
            stored = _changed_keys(conn, {1: {vid}}, {})[1]
            assert new_version_keys(version_rows(item)) == stored
            assert stored.locators == {item.locator.strip().upper()}
        first = new_version_keys(version_rows(bookings[0]))
        assert len(first.names) == 2 and len(first.documents) == 2


def test_a_version_without_travellers_has_no_keys() -> None:
    empty = replace(booking("KB0004"), travellers=())
    keys = new_version_keys(version_rows(empty))
    assert (keys.locators, keys.names, keys.documents) == (set(), set(), set())
