"""The store's tables of the parts of a booking version and of an API traveller: documents,
contacts, payments, seats, bags, frequent-flyer numbers, tickets, and the normalised
``identifier`` rows link analysis joins on. Part of ``paxwatch.store.schema`` (which
describes the whole layout and re-exports these)."""

from __future__ import annotations

from hashlib import blake2b

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    Table,
)

from paxwatch.store.columns import (
    leg_columns,
    metadata,
    owned,
    partial_index,
    pk,
    string,
)

document = Table(
    "document",
    metadata,
    pk(),
    owned("traveller_id", "traveller", nullable=True, index=False),
    owned("api_traveller_id", "api_traveller", nullable=True, index=False),
    string("type", 4),
    string("number", 40),
    string("issuing_country", 3),
    string("nationality", 3),
    Column("date_of_birth", Date),
    string("gender", 1),
    Column("expiry", Date),
    Column("issued_on", Date),
    string("surname", 100),
    string("given_names", 200),
    # The normalised number ``correlate`` matches on (migration 0010).
    string("number_key", 60),
    partial_index("ix_document_traveller_id", "traveller_id"),
    partial_index("ix_document_number_key", "number_key"),
    partial_index("ix_document_api_traveller_id", "api_traveller_id"),
)

contact = Table(
    "contact",
    metadata,
    pk(),
    owned("version_id", "booking_version"),
    owned("traveller_id", "traveller", nullable=True, index=False),
    string("kind", 10, nullable=False),
    string("value", 300, nullable=False),
    string("raw", 500),
    string("source", 30),
    # ``identifier_key`` of a phone's or an e-mail's normalised value (``keys.
    # contact_identifier`` of ``value``), what link analysis looks up (migration 0019: no
    # longer an ``identifier`` row); None for other kinds; cleared when masked.
    Column("value_key", BigInteger),
    partial_index("ix_contact_value_key", "value_key"),
)

payment = Table(
    "payment",
    metadata,
    pk(),
    owned("version_id", "booking_version"),
    owned("traveller_id", "traveller", nullable=True, index=False),
    string("method", 10, nullable=False),
    string("raw_method", 10),
    string("amount", 20),
    string("currency", 3),
    string("card_vendor", 4),
    string("card_number", 30),
    string("card_expiry", 10),
    string("payer_name", 200),
    string("payer_phone", 40),
    string("billing_address", 500),
    # ``identifier_key`` of the card (``keys.card_identifier``) and of the payer's phone
    # (``norm_phone``), what link analysis looks up (migration 0019: no longer
    # ``identifier`` rows); cleared when masked.
    Column("card_key", BigInteger),
    Column("payer_phone_key", BigInteger),
    partial_index("ix_payment_card_key", "card_key"),
    partial_index("ix_payment_payer_phone_key", "payer_phone_key"),
)

seat = Table(
    "seat",
    metadata,
    pk(),
    owned("traveller_id", "traveller"),
    string("seat", 10, nullable=False),
    string("cabin", 4),
    *leg_columns(),
)

bag = Table(
    "bag",
    metadata,
    pk(),
    owned("traveller_id", "traveller", nullable=True, index=False),
    owned("api_traveller_id", "api_traveller", nullable=True, index=False),
    Column("count", Integer),
    string("weight", 20),
    string("weight_unit", 2),
    string("tags", 500),
    Column("head_of_pool", Boolean, nullable=False, default=False),
    string("destination", 5),
    *leg_columns(),
    partial_index("ix_bag_traveller_id", "traveller_id"),
    partial_index("ix_bag_api_traveller_id", "api_traveller_id"),
)

frequent_flyer = Table(
    "frequent_flyer",
    metadata,
    pk(),
    owned("traveller_id", "traveller"),
    string("airline", 3, nullable=False),
    string("number", 40, nullable=False),
    string("tier", 20),
    # ``AIRLINE:NUMBER`` normalised (``keys.norm_frequent_flyer``), what link analysis
    # looks up (migration 0018: no longer an ``identifier`` row); cleared when masked.
    string("number_key", 60),
    partial_index("ix_frequent_flyer_number_key", "number_key"),
)

ticket = Table(
    "ticket",
    metadata,
    pk(),
    owned("traveller_id", "traveller"),
    string("number", 30),
    string("document_type", 4),
    Column("issued_on", Date),
    string("total_amount", 20),
    string("currency", 3),
    Column("one_way", Boolean),
)

# Addresses of a booking (contacts, billing) and of a traveller, which have no normalised
# row of their own: index upkeep is most of what storing and deleting them costs. No
# document, frequent-flyer, phone, e-mail or card rows (migrations ``0017``-``0019``):
# ``find_identifier`` reads those through their own rows' keyed and indexed ``number_key``
# (a document's is the one the correlation keeps anyway) or ``*_key`` hash. So no
# writer fills ``api_traveller_id`` since ``0017``: it stays an owner column (purge and
# masking delete by it) and its partial index holds no entry, which costs nothing to keep.
# Searched by (kind, value) only (link analysis, ``find_identifier``), through the 64-bit
# ``value_key`` (``identifier_key``; migration ``0015``: an integer index is a fraction of
# the size and upkeep of the text one on (kind, value) it replaces); deleted by version
# (booked travellers and bookings: every such row has its version) or by API traveller,
# each through an index of the rows that have one (migration ``0008``). ``booking_id`` and
# ``traveller_id`` have no index: ``purge`` reaches their rows ``VIA`` the version.
identifier = Table(
    "identifier",
    metadata,
    pk(),
    string("kind", 16, nullable=False),
    string("value", 300, nullable=False),
    owned("booking_id", "booking", nullable=True, index=False, via="version_id"),
    owned("version_id", "booking_version", nullable=True, index=False),
    owned("traveller_id", "traveller", nullable=True, index=False, via="version_id"),
    owned("api_traveller_id", "api_traveller", nullable=True, index=False),
    Column("value_key", BigInteger, nullable=False),
    Index("ix_identifier_value_key", "value_key"),
    partial_index("ix_identifier_version_id", "version_id"),
    partial_index("ix_identifier_api_traveller_id", "api_traveller_id"),
)


def identifier_key(kind: str, value: str) -> int:
    """``identifier.value_key`` of ``(kind, value)``: BLAKE2b with an 8-byte digest of
    ``kind NUL value`` (UTF-8), read as a signed 64-bit integer. Different identifiers may
    share a key (rarely): readers compare ``kind`` and ``value`` too. Stored in every row
    (migration ``0015`` filled the rows before it): never change it without a migration."""
    digest = blake2b(f"{kind}\x00{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
