"""Row builders: model objects become plain row dicts, one per table row.

The writers insert each table with one bulk statement per batch (``rows.insert_many``);
``versions.version_rows`` turns these rows into tuples with id placeholders so that they
can be built in the reader processes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from paxwatch.model import Bag, Booking, Contact, ContactKind, Document, LegKey, Traveller
from paxwatch.store import schema as s
from paxwatch.store.keys import (
    name_key,
    norm_address,
    norm_card,
    norm_document,
    norm_document_number,
    norm_email,
    norm_frequent_flyer,
    norm_phone,
)
from paxwatch.store.rows import insert_many
from paxwatch.store.schema_parts import identifier_key


def leg_cols(leg: LegKey | None) -> dict[str, Any]:
    if leg is None:
        return {
            "leg_carrier": None,
            "leg_number": None,
            "leg_origin": None,
            "leg_destination": None,
            "leg_date": None,
        }
    return {
        "leg_carrier": leg.carrier,
        "leg_number": leg.number,
        "leg_origin": leg.origin,
        "leg_destination": leg.destination,
        "leg_date": leg.departure_date,
    }


def document_row(doc: Document, traveller_id: int | None, api_id: int | None) -> dict[str, Any]:
    return {
        "traveller_id": traveller_id,
        "api_traveller_id": api_id,
        "type": doc.type,
        "number": doc.number,
        "issuing_country": doc.issuing_country,
        "nationality": doc.nationality,
        "date_of_birth": doc.date_of_birth,
        "gender": doc.gender.value if doc.gender else None,
        "expiry": doc.expiry,
        "issued_on": doc.issued_on,
        "surname": doc.surname,
        "given_names": doc.given_names,
        "number_key": norm_document_number(doc.number),
    }


def bag_row(bag: Bag, traveller_id: int | None, api_id: int | None) -> dict[str, Any]:
    return {
        "traveller_id": traveller_id,
        "api_traveller_id": api_id,
        "count": bag.count,
        "weight": str(bag.weight) if bag.weight is not None else None,
        "weight_unit": bag.weight_unit.value if bag.weight_unit else None,
        "tags": " ".join(bag.tags) or None,
        "head_of_pool": bag.head_of_pool,
        "destination": bag.destination,
        **leg_cols(bag.leg),
    }


def ident(
    kind: str,
    value: str | None,
    *,
    booking_id: int | None = None,
    version_id: int | None = None,
    traveller_id: int | None = None,
    api_traveller_id: int | None = None,
) -> dict[str, Any] | None:
    return identifier_row(kind, value, booking_id, version_id, traveller_id, api_traveller_id)


def identifier_row(
    kind: str,
    value: str | None,
    booking_id: int | None,
    version_id: int | None,
    traveller_id: int | None,
    api_traveller_id: int | None,
) -> dict[str, Any] | None:
    """An ``identifier`` row (None without a value); ``ident`` with positional owners, for
    the row builders of booking versions (tens per push)."""
    if not value:
        return None
    value = value[:300]
    return {
        "kind": kind,
        "value": value,
        "booking_id": booking_id,
        "version_id": version_id,
        "traveller_id": traveller_id,
        "api_traveller_id": api_traveller_id,
        "value_key": identifier_key(kind, value),
    }


class Rows:
    """Rows for the child tables of new versions, gathered to insert with one statement each."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {}

    def add(self, table: str, row: dict[str, Any] | None) -> None:
        if row is not None:
            self.tables.setdefault(table, []).append(row)

    def flush(self, conn: Connection) -> None:
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


def traveller_row(t: Traveller, version_id: int, booking_id: int, seq: int) -> dict[str, Any]:
    return {
        "version_id": version_id,
        "booking_id": booking_id,
        "seq": seq,
        "ref": t.ref,
        "surname": t.surname[:100],
        "given_names": t.given_names[:200] or None,
        "title": t.title,
        "suffix": t.suffix,
        "raw_name": t.raw_name[:300] or None,
        "type": t.type.value,
        "date_of_birth": t.date_of_birth,
        "gender": t.gender.value if t.gender else None,
        "nationality": t.nationality,
        "accompanying_ref": t.accompanying_ref,
        "name_key": name_key(t.surname[:100], t.given_names[:200], t.date_of_birth),
    }


def traveller_children(rows: Rows, t: Traveller, tid: int, bid: int, vid: int) -> None:
    for doc in t.documents:
        rows.add("document", document_row(doc, tid, None))
        rows.add("identifier", identifier_row("document", norm_document(doc), bid, vid, tid, None))
    for seat in t.seats:
        rows.add(
            "seat",
            {"traveller_id": tid, "seat": seat.seat, "cabin": seat.cabin} | leg_cols(seat.leg),
        )
    for bag in t.bags:
        rows.add("bag", bag_row(bag, tid, None))
    for ff in t.frequent_flyers:
        rows.add(
            "frequent_flyer",
            {"traveller_id": tid, "airline": ff.airline, "number": ff.number, "tier": ff.tier},
        )
        rows.add(
            "identifier",
            identifier_row("frequent_flyer", norm_frequent_flyer(ff), bid, vid, tid, None),
        )
    for ticket in t.tickets:
        rows.add(
            "ticket",
            {
                "traveller_id": tid,
                "number": ticket.number,
                "document_type": ticket.document_type,
                "issued_on": ticket.issued_on,
                "total_amount": str(ticket.total_amount)
                if ticket.total_amount is not None
                else None,
                "currency": ticket.currency,
                "one_way": ticket.one_way,
            },
        )
    for address in t.addresses:
        rows.add(
            "identifier", identifier_row("address", norm_address(address), bid, vid, tid, None)
        )


def contact_value(contact: Contact) -> str | None:
    if contact.kind is ContactKind.PHONE:
        return norm_phone(contact.value)
    if contact.kind is ContactKind.EMAIL:
        return norm_email(contact.value)
    if contact.kind is ContactKind.ADDRESS:
        return norm_address(contact.address) if contact.address else None
    return None


def booking_children(rows: Rows, b: Booking, bid: int, vid: int, refs: dict[str, int]) -> None:
    for i, leg in enumerate(b.legs, 1):
        rows.add(
            "booking_leg",
            {
                "version_id": vid,
                "seq": i,
                "carrier": leg.carrier,
                "number": leg.number,
                "origin": leg.origin,
                "destination": leg.destination,
                "departure": leg.departure,
                "arrival": leg.arrival,
                "operating_carrier": leg.operating_carrier,
                "operating_number": leg.operating_number,
                "booking_class": leg.booking_class,
                "status": leg.status,
                "equipment": leg.equipment,
            },
        )
    if b.agency is not None:
        a = b.agency
        rows.add(
            "agency",
            {
                "version_id": vid,
                "system": a.system,
                "location": a.location,
                "iata_number": a.iata_number,
                "pseudo_city": a.pseudo_city,
                "agent_id": a.agent_id,
                "country": a.country,
                "type": a.type,
                "raw": a.raw[:500] or None,
            },
        )
    for c in b.contacts:
        tid = refs.get(c.traveller_ref) if c.traveller_ref else None
        rows.add(
            "contact",
            {
                "version_id": vid,
                "traveller_id": tid,
                "kind": c.kind.value,
                "value": c.value[:300],
                "raw": c.raw[:500] or None,
                "source": c.source,
            },
        )
        rows.add("identifier", identifier_row(c.kind.value, contact_value(c), bid, vid, tid, None))
    for p in b.payments:
        tid = refs.get(p.traveller_ref) if p.traveller_ref else None
        rows.add(
            "payment",
            {
                "version_id": vid,
                "traveller_id": tid,
                "method": p.method.value,
                "raw_method": p.raw_method,
                "amount": str(p.amount) if p.amount is not None else None,
                "currency": p.currency,
                "card_vendor": p.card_vendor,
                "card_number": p.card_number,
                "card_expiry": p.card_expiry,
                "payer_name": p.payer_name,
                "payer_phone": p.payer_phone,
                "billing_address": norm_address(p.billing_address),
            },
        )
        rows.add("identifier", identifier_row("card", norm_card(p), bid, vid, tid, None))
        rows.add(
            "identifier", identifier_row("phone", norm_phone(p.payer_phone), bid, vid, tid, None)
        )
        rows.add(
            "identifier",
            identifier_row("address", norm_address(p.billing_address), bid, vid, tid, None),
        )
