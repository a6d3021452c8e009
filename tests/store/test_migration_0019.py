"""Migration 0019: phones, e-mails and cards are keyed in their own rows
(``contact.value_key``, ``payment.card_key``, ``payment.payer_phone_key``) instead of copied
into ``identifier``; ``find_identifier`` finds the same owners there, oldest first, never a
masked one nor a row that only shares the hash; the upgrade keys the rows stored before it
(not those of masked versions) and the downgrade writes the identifier rows the code before
it wrote."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, insert, inspect, select

from paxwatch.model import Booking, Traveller
from paxwatch.privacy.depersonalise import depersonalise_versions
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.keys import card_identifier, contact_identifier
from paxwatch.store.migrate import current_revision, upgrade
from paxwatch.store.records import IdentifierHit
from paxwatch.store.schema_parts import identifier_key
from tests.privacy.test_retention_support import push
from tests.store.factory import booking, flight, pnr, traveller, with_office
from tests.store.helpers import BACKENDS, store_url
from tests.store.test_migration_0006 import _downgrade
from tests.store.test_migration_0017 import _identifier_rows, _owners

T0 = datetime(2026, 12, 10, 10, 0)
PHONE = "+441753637285"
EMAIL = "anna.smith@example.org"
#: The factory's payment card (``tests.store.factory.booking``).
CARD = "VI:XXXXXXXX1186"
PAYER = "+33123456789"
#: (kind, normalised value) of each identifier ``_load`` stores.
FOUND = (("phone", PHONE), ("email", EMAIL), ("card", CARD), ("phone", PAYER))
KINDS = ("phone", "email", "card")

Keys = list[tuple[Any, ...]]


def _load(st: Store) -> None:
    """AAA111 in two versions (its phone, e-mail written ``Anna.Smith@Example.org``, card,
    a payer's phone and an office address); BBB222 with the same phone written another way
    and the same card."""

    def aaa111(*travellers: Traveller) -> Booking:
        b = booking("AAA111", *travellers, email="Anna.Smith@Example.org")
        (payment,) = b.payments
        b = replace(b, payments=(replace(payment, payer_phone="+33 1 23 45 67 89"),))
        return with_office(b, "9 LOW STREET")

    anna, bob = traveller("SMITH", "ANNA", ref="1"), traveller("JONES", "BOB", ref="2")
    push(st, pnr(aaa111(anna), fl=flight()), T0)
    push(st, pnr(aaa111(anna, bob), fl=flight()), T0 + timedelta(hours=1))
    other = booking("BBB222", traveller("BROWN", "CARL", ref="1"), phone="0044 1753 637285")
    push(st, pnr(other, fl=flight()), T0 + timedelta(hours=2))


def _keys(conn: Connection) -> Keys:
    c, p = s.contact, s.payment
    contacts = conn.execute(select(c.c.id, c.c.value_key).order_by(c.c.id))
    payments = conn.execute(select(p.c.id, p.c.card_key, p.c.payer_phone_key).order_by(p.c.id))
    return [("contact", *r) for r in contacts] + [("payment", *r) for r in payments]


def _versions(conn: Connection) -> list[int]:
    v = s.booking_version
    return [int(i) for i in conn.execute(select(v.c.id).order_by(v.c.id)).scalars()]


def _find(conn: Connection) -> dict[tuple[str, str], list[IdentifierHit]]:
    return {(kind, value): repo.find_identifier(conn, kind, value) for kind, value in FOUND}


def test_card_and_contact_identifiers() -> None:
    assert card_identifier(" vi", "4111 1111 1111 1111") == "VI:4111111111111111"
    assert card_identifier(None, "4111") == ":4111"
    assert card_identifier("VI", None) is None and card_identifier("VI", "") is None
    assert contact_identifier("phone", "0044 (1753) 637-285") == PHONE
    assert contact_identifier("email", " Anna.Smith@Example.org") == EMAIL
    assert contact_identifier("email", "not an address") is None
    assert contact_identifier("address", "9 LOW STREET") is None
    assert contact_identifier("phone", "*MASKED*") is None


@pytest.mark.parametrize("kind", BACKENDS)
def test_0019_keys_phones_emails_and_cards_in_place(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st)
            with st.read() as conn:
                first, second, other = _versions(conn)
            with st.write() as conn:
                depersonalise_versions(conn, [first], vault=None, now=T0)
            with st.read() as conn:
                for found in KINDS:
                    assert _identifier_rows(conn, found) == []  # the writers write none
                # Addresses stay rows: the second version's (masking deleted the first's).
                assert [r[2] for r in _identifier_rows(conn, "address")] == [second]
                keys = _keys(conn)
                hits = _find(conn)
            # The masked first version is found by none of its identifiers; the second
            # version by all; BBB222 by its phone (another spelling) and the shared card.
            assert [h.version_id for h in hits["phone", PHONE]] == [second, other]
            assert [h.version_id for h in hits["email", EMAIL]] == [second]
            assert [h.version_id for h in hits["card", CARD]] == [second, other]
            assert [h.version_id for h in hits["phone", PAYER]] == [second]
            bookings = {h.booking_id for h in hits["phone", PHONE]}
            assert len(bookings) == 2 and None not in bookings
            every = [h for found in hits.values() for h in found]
            assert all(h.traveller_id is None and h.api_traveller_id is None for h in every)
            # The masked version's contacts and payment lost their keys.
            with st.read() as conn:
                c, p = s.contact, s.payment
                masked = (
                    conn.execute(select(c.c.value_key).where(c.c.version_id == first))
                    .scalars()
                    .all()
                )
                paid = conn.execute(
                    select(p.c.card_key, p.c.payer_phone_key).where(p.c.version_id == first)
                ).all()
            assert masked and set(masked) == {None} and [tuple(r) for r in paid] == [(None, None)]

            _downgrade(st, "0018")
            assert current_revision(st) == "0018"
            with st.read() as conn:
                assert "value_key" not in {c["name"] for c in inspect(conn).get_columns("contact")}
                assert {"card_key", "payer_phone_key"}.isdisjoint(
                    c["name"] for c in inspect(conn).get_columns("payment")
                )
                rows = [r for found in KINDS for r in _identifier_rows(conn, found)]
            # One identifier row per live phone, e-mail and card, as the code before wrote.
            assert {r[:5] for r in rows} == _owners(every) and len(rows) == len(every)
            with st.read() as conn:
                for found, value in FOUND:
                    mine = _identifier_rows(conn, found)
                    assert all(r[5] == identifier_key(found, r[0]) for r in mine)
                    assert len([r for r in mine if r[0] == value]) == len(hits[found, value])

            upgrade(st)
            assert (current_revision(st) or "") >= "0019"
            with st.read() as conn:
                for found in KINDS:
                    assert _identifier_rows(conn, found) == []
                assert _keys(conn) == keys  # the masked version's rows stay unkeyed
                assert _find(conn) == hits
                assert compare_metadata(MigrationContext.configure(conn), s.metadata) == []
        finally:
            st.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_rows_sharing_a_key_are_told_apart(kind: str, tmp_path: Path) -> None:
    """A contact or payment whose key equals the looked-up one but whose value does not
    (a hash collision, or another kind) is not a hit."""
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st)
            _load(st)
            key = identifier_key("phone", PHONE)
            with st.write() as conn:
                version = _versions(conn)[-1]
                conn.execute(
                    insert(s.contact),
                    [
                        {
                            "version_id": version,
                            "kind": "phone",
                            "value": "+440000000000",
                            "value_key": key,
                        },
                        {"version_id": version, "kind": "email", "value": PHONE, "value_key": key},
                    ],
                )
                conn.execute(
                    insert(s.payment).values(
                        version_id=version,
                        method="card",
                        payer_phone="+440000000001",
                        payer_phone_key=key,
                        card_number="X",
                        card_key=key,
                    )
                )
            with st.read() as conn:
                phones = repo.find_identifier(conn, "phone", PHONE)
                cards = repo.find_identifier(conn, "card", CARD)
            assert {(h.kind, h.value) for h in phones} == {("phone", PHONE)}
            assert len(phones) == 3  # the two versions of AAA111 and BBB222
            assert len(cards) == 3
        finally:
            st.close()
