"""Row builders: model objects become table rows, one per row.

The writers insert each table with one bulk statement per batch (``rows.insert_many``).
The rows of a booking version are built as tuples in the order of the table's
``*_COLUMNS`` (``*_values``), with id placeholders, so that ``versions.version_rows`` takes
them as they are (the ``*_row`` dicts, for other writers, are the same values by name);
``identifier`` rows are dicts (``identifier_row``), turned into tuples there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from paxwatch.model import Bag, Booking, ContactKind, Document, LegKey, Traveller
from paxwatch.store import schema as s
from paxwatch.store.keys import (
    card_identifier,
    contact_identifier,
    name_key,
    norm_address,
    norm_document_number,
    norm_frequent_flyer,
    norm_phone,
)
from paxwatch.store.row_columns import (
    BAG_COLUMNS,
    DOCUMENT_COLUMNS,
)
from paxwatch.store.rows import insert_many
from paxwatch.store.schema_parts import identifier_key

# Enum values are read as ``member._value_`` (what the ``value`` property returns, without
# the descriptor call: a sixth of ``version_rows`` went to it).

_NO_LEG = (None, None, None, None, None)


def leg_values(leg: LegKey | None) -> tuple[Any, ...]:
    if leg is None:
        return _NO_LEG
    return (leg.carrier, leg.number, leg.origin, leg.destination, leg.departure_date)


def document_values(doc: Document, traveller_id: int | None, api_id: int | None) -> tuple[Any, ...]:
    return (
        traveller_id,
        api_id,
        doc.type,
        doc.number,
        doc.issuing_country,
        doc.nationality,
        doc.date_of_birth,
        doc.gender._value_ if doc.gender else None,
        doc.expiry,
        doc.issued_on,
        doc.surname,
        doc.given_names,
        norm_document_number(doc.number),
    )


def document_row(doc: Document, traveller_id: int | None, api_id: int | None) -> dict[str, Any]:
    return dict(zip(DOCUMENT_COLUMNS, document_values(doc, traveller_id, api_id), strict=True))


def bag_values(bag: Bag, traveller_id: int | None, api_id: int | None) -> tuple[Any, ...]:
    return (
        traveller_id,
        api_id,
        bag.count,
        str(bag.weight) if bag.weight is not None else None,
        bag.weight_unit._value_ if bag.weight_unit else None,
        " ".join(bag.tags) or None,
        bag.head_of_pool,
        bag.destination,
        *leg_values(bag.leg),
    )


def bag_row(bag: Bag, traveller_id: int | None, api_id: int | None) -> dict[str, Any]:
    return dict(zip(BAG_COLUMNS, bag_values(bag, traveller_id, api_id), strict=True))


def identifier_row(
    kind: str,
    value: str | None,
    booking_id: int | None,
    version_id: int | None,
    traveller_id: int | None,
) -> dict[str, Any] | None:
    """An ``identifier`` row of a booking version (None without a value; tens per push). No
    writer gives one to an API traveller since migration 0017."""
    if not value:
        return None
    value = value[:300]
    return {
        "kind": kind,
        "value": value,
        "booking_id": booking_id,
        "version_id": version_id,
        "traveller_id": traveller_id,
        "api_traveller_id": None,
        "value_key": identifier_key(kind, value),
    }


class Rows:
    """Rows for the child tables of new versions, gathered to insert with one statement each.

    ``add`` gathers dicts (``tables``, what ``flush`` inserts); ``put`` gathers the tuples of
    a version's rows in the order of the table's ``*_COLUMNS`` (``values``, which
    ``versions.version_rows`` takes as they are)."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {}
        self.values: dict[str, list[tuple[Any, ...]]] = {}

    def add(self, table: str, row: dict[str, Any] | None) -> None:
        if row is not None:
            self.tables.setdefault(table, []).append(row)

    def put(self, table: str, row: tuple[Any, ...]) -> None:
        found = self.values.get(table)
        if found is None:
            self.values[table] = [row]
        else:
            found.append(row)

    def flush(self, conn: Connection) -> None:
        """Insert the gathered dicts (the tuples of ``put`` are ``version_rows``' own)."""
        if self.values:
            raise ValueError("Rows.flush inserts dicts only: tuples were put (version_rows')")
        for name in CHILD_TABLES:
            insert_many(conn, s.metadata.tables[name], self.tables.get(name, []))


#: The child tables of travellers and booking versions, in the order they are written.
CHILD_TABLES = (
    "booking_leg",
    "agency",
    "document",
    "contact",
    "payment",
    "seat",
    "bag",
    "frequent_flyer",
    "ticket",
    "identifier",
)


def traveller_values(t: Traveller, seq: int) -> tuple[Any, ...]:
    """A ``traveller`` row in ``TRAVELLER_COLUMNS`` order."""
    surname = t.surname[:100]
    given_names = t.given_names[:200]
    return (
        seq,
        t.ref,
        surname,
        given_names or None,
        t.title,
        t.suffix,
        t.raw_name[:300] or None,
        t.type._value_,
        t.date_of_birth,
        t.gender._value_ if t.gender else None,
        t.nationality,
        t.accompanying_ref,
        name_key(surname, given_names, t.date_of_birth),
    )


def traveller_children(rows: Rows, t: Traveller, tid: int, bid: int, vid: int) -> None:
    """The child rows of a traveller (``tid``: its id or placeholder)."""
    put = rows.put
    for doc in t.documents:
        put("document", document_values(doc, tid, None))
    for seat in t.seats:
        put("seat", (tid, seat.seat, seat.cabin, *leg_values(seat.leg)))
    for bag in t.bags:
        put("bag", bag_values(bag, tid, None))
    for ff in t.frequent_flyers:
        put("frequent_flyer", (tid, ff.airline, ff.number, ff.tier, norm_frequent_flyer(ff)))
    for ticket in t.tickets:
        amount = ticket.total_amount
        put(
            "ticket",
            (
                tid,
                ticket.number,
                ticket.document_type,
                ticket.issued_on,
                str(amount) if amount is not None else None,
                ticket.currency,
                ticket.one_way,
            ),
        )
    for address in t.addresses:
        rows.add("identifier", identifier_row("address", norm_address(address), bid, vid, tid))


def hashed(kind: str, value: str | None) -> int | None:
    """``identifier_key`` of a normalised identifier, or None without one: the ``*_key``
    columns of ``contact`` and ``payment`` (migration 0019)."""
    return identifier_key(kind, value) if value else None


def booking_children(rows: Rows, b: Booking, bid: int, vid: int, refs: dict[str, int]) -> None:
    """The child rows of a booking version (``bid``, ``vid``: ids or placeholders; ``refs``:
    the traveller id or placeholder of each traveller reference)."""
    put = rows.put
    for i, leg in enumerate(b.legs, 1):
        put(
            "booking_leg",
            (
                vid,
                i,
                leg.carrier,
                leg.number,
                leg.origin,
                leg.destination,
                leg.departure,
                leg.arrival,
                leg.operating_carrier,
                leg.operating_number,
                leg.booking_class,
                leg.status,
                leg.equipment,
            ),
        )
    if b.agency is not None:
        a = b.agency
        put(
            "agency",
            (
                vid,
                a.system,
                a.location,
                a.iata_number,
                a.pseudo_city,
                a.agent_id,
                a.country,
                a.type,
                a.raw[:500] or None,
            ),
        )
    for c in b.contacts:
        tid = refs.get(c.traveller_ref) if c.traveller_ref else None
        kind = c.kind._value_
        value = c.value[:300]
        key = hashed(kind, contact_identifier(kind, value))
        put("contact", (vid, tid, kind, value, c.raw[:500] or None, c.source, key))
        if c.kind is ContactKind.ADDRESS:
            address = norm_address(c.address)
            rows.add("identifier", identifier_row("address", address, bid, vid, tid))
    for p in b.payments:
        tid = refs.get(p.traveller_ref) if p.traveller_ref else None
        put(
            "payment",
            (
                vid,
                tid,
                p.method._value_,
                p.raw_method,
                str(p.amount) if p.amount is not None else None,
                p.currency,
                p.card_vendor,
                p.card_number,
                p.card_expiry,
                p.payer_name,
                p.payer_phone,
                norm_address(p.billing_address),
                hashed("card", card_identifier(p.card_vendor, p.card_number)),
                hashed("phone", norm_phone(p.payer_phone)),
            ),
        )
        rows.add(
            "identifier",
            identifier_row("address", norm_address(p.billing_address), bid, vid, tid),
        )
