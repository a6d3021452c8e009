"""Where an identifier occurs (link analysis): the look-ups of ``find_identifier``.

Each identifier is keyed once, in the row that holds it: documents and frequent-flyer
numbers through the index of their normalised ``number_key`` (migrations ``0017``,
``0018``), phones and e-mails through ``contact.value_key``, cards and payers' phones
through ``payment.card_key`` and ``payer_phone_key`` (64-bit hashes of the normalised
value, ``identifier_key``: migration ``0019``), and addresses, which have no normalised row
of their own, through the rows of ``identifier``. Each was stored twice before. Masked data
is never found: a masked version's identifier rows are deleted and the keys of its
documents, frequent-flyer numbers, contacts and payments are cleared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Connection, Row, literal, select

from paxwatch.store import schema as s
from paxwatch.store.keys import (
    card_identifier,
    contact_identifier,
    document_identifier,
    norm_phone,
)
from paxwatch.store.records import IdentifierHit
from paxwatch.store.schema_parts import identifier_key

__all__ = ["find_identifier"]


def find_identifier(conn: Connection, kind: str, value: str) -> list[IdentifierHit]:
    """Where a normalised identifier (see ``paxwatch.store.keys``) occurs, oldest first:
    found through its hashed key (the index), then compared in full (keys may collide); a
    document (``norm_document``) through ``document.number_key``, a frequent-flyer number
    through ``frequent_flyer.number_key``."""
    if kind == "document":
        return _find_document(conn, value)
    if kind == "frequent_flyer":
        return _find_frequent_flyer(conn, value)
    if kind in _HASHED:
        return _find_hashed(conn, kind, value)
    i = s.identifier
    rows = conn.execute(
        select(i)
        .where(i.c.value_key == identifier_key(kind, value), i.c.kind == kind, i.c.value == value)
        .order_by(i.c.id)
    )
    return [_hit(kind, value, r) for r in rows]


def _hit(kind: str, value: str, row: Row[*tuple[Any, ...]]) -> IdentifierHit:
    """A hit from a row with its owners (``booking_id``, ``version_id``, ``traveller_id``,
    ``api_traveller_id``)."""
    return IdentifierHit(
        kind=kind,
        value=value,
        booking_id=row.booking_id,
        version_id=row.version_id,
        traveller_id=row.traveller_id,
        api_traveller_id=row.api_traveller_id,
    )


def _find_document(conn: Connection, value: str) -> list[IdentifierHit]:
    """``find_identifier`` of a document, ``TYPE:COUNTRY:NUMBER``: its number through the
    index of ``document.number_key`` (the correlation's; cleared when the document is
    masked, as a masked version's identifier rows are deleted), then type and country
    compared. Booked travellers' documents carry their traveller's version and booking."""
    d, t = s.document, s.traveller
    number = value.rpartition(":")[2]
    if not number:
        return []
    rows = conn.execute(
        select(
            d.c.type,
            d.c.issuing_country,
            d.c.number_key,
            d.c.traveller_id,
            d.c.api_traveller_id,
            t.c.booking_id,
            t.c.version_id,
        )
        .select_from(d.outerjoin(t, t.c.id == d.c.traveller_id))
        .where(d.c.number_key == number)
        .order_by(d.c.id)
    )
    return [
        _hit("document", value, r)
        for r in rows
        if document_identifier(r.type, r.issuing_country, r.number_key) == value
    ]


def _find_frequent_flyer(conn: Connection, value: str) -> list[IdentifierHit]:
    """``find_identifier`` of a frequent-flyer number, ``AIRLINE:NUMBER``: through the index
    of ``frequent_flyer.number_key`` (cleared when masked), with its traveller's version
    and booking."""
    f, t = s.frequent_flyer, s.traveller
    rows = conn.execute(
        select(
            f.c.traveller_id,
            literal(None).label("api_traveller_id"),
            t.c.booking_id,
            t.c.version_id,
        )
        .select_from(f.join(t, t.c.id == f.c.traveller_id))
        .where(f.c.number_key == value)
        .order_by(f.c.id)
    )
    return [_hit("frequent_flyer", value, r) for r in rows]


#: The kinds keyed by a hash in their own rows (migration ``0019``): for each, the key
#: columns it is found through, each with the stored value normalised again from its row.
_HASHED: dict[str, tuple[tuple[Column[Any], Callable[[Any], str | None]], ...]] = {
    "phone": (
        (s.contact.c.value_key, lambda r: contact_identifier(r.kind, r.value)),
        (s.payment.c.payer_phone_key, lambda r: norm_phone(r.payer_phone)),
    ),
    "email": ((s.contact.c.value_key, lambda r: contact_identifier(r.kind, r.value)),),
    "card": ((s.payment.c.card_key, lambda r: card_identifier(r.card_vendor, r.card_number)),),
}


def _find_hashed(conn: Connection, kind: str, value: str) -> list[IdentifierHit]:
    """``find_identifier`` of a phone (a contact's or a payer's), an e-mail (a contact's) or
    a card (a payment's): through the index of each row's hashed key (cleared when
    masked), then the stored value normalised again and compared (keys may collide, and a
    key says nothing of the kind but through the hash); with the version's booking. Oldest
    version first."""
    key = identifier_key(kind, value)
    v = s.booking_version
    # (version, row id, hit) of each row found, to put the tables' hits in order.
    found: list[tuple[int, int, IdentifierHit]] = []
    for column, normalised in _HASHED[kind]:
        table = column.table
        rows = conn.execute(
            select(table, v.c.booking_id, literal(None).label("api_traveller_id"))
            .select_from(table.join(v, v.c.id == table.c.version_id))
            .where(column == key)
        )
        found += [
            (r.version_id, r.id, _hit(kind, value, r)) for r in rows if normalised(r) == value
        ]
    found.sort(key=lambda f: (f[0], f[1]))
    return [hit for _version, _id, hit in found]
