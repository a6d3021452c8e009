"""The store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

The schema is created and changed only by the Alembic migrations in
``paxwatch/store/migrations`` (``paxwatch db upgrade``); this module is what the code
queries and what the migration test compares the migrated database with.

Layout:

- ``raw_message``: every input as received (content hash of the original bytes, unique, for
  dedupe; the archived copy with deleted data blanked, see ``docs/minimisation.md``).
- ``quarantine``: inputs with no readable booking or API traveller, with their findings.
- ``deletion_log``: what minimisation deleted per input (category, element, count; never
  the content).
- ``flight`` / ``flight_leg``: flights as messages report them.
- ``booking`` / ``booking_version``: a PNR and each push that changed it (Annex I item 19);
  the version keeps the whole minimised booking as canonical JSON (``content``), and its
  parts are projected into ``booking_leg``, ``agency``, ``traveller``, ``document``,
  ``contact``, ``payment``, ``seat``, ``bag``, ``frequent_flyer``, ``ticket``.
- ``booking_flight``: which bookings are on which flight now (active / cancelled).
- ``push`` / ``push_part`` / ``push_booking``: the parts of full pushes (MSG 22), used to
  mark bookings absent from a complete full push as cancelled; ``push_booking`` holds the
  bookings of open pushes in parts only (migration ``0020``, ``store.push``).
- ``api_message`` / ``api_message_flight`` / ``api_traveller`` / ``api_traveller_flight``:
  PAXLST lists; ``api_pnr_link``: the booked traveller each API traveller corresponds to,
  with the rule that matched.
- ``identifier``: normalised phone, e-mail, card and address of a traveller or booking, so
  that link analysis is a join; documents and frequent-flyer numbers are found through
  their own rows' ``number_key`` (migrations ``0017``, ``0018``).

Times: message times are local times as messages give them (naive); ``*_at`` bookkeeping
times (``received_at``, ``created_at``...) are naive UTC.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from paxwatch.store.columns import (
    OWNER,
    REFERS,
    VIA,
    Id,
    fk,
    marker,
    metadata,
    owned,
    partial_index,
    pk,
    ref,
    string,
)
from paxwatch.store.schema_api import (
    api_message,
    api_message_flight,
    api_pnr_link,
    api_traveller,
    api_traveller_flight,
)
from paxwatch.store.schema_parts import (
    bag,
    contact,
    document,
    frequent_flyer,
    identifier,
    payment,
    seat,
    ticket,
)

raw_message = Table(
    "raw_message",
    metadata,
    pk(),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("body", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("redacted", Integer, nullable=False, default=0),
    Column("received_at", DateTime, nullable=False, index=True),
    string("source", 200, nullable=False),
    string("name", 1000),
    string("format", 20),
    string("status", 20, nullable=False),
    Column("bookings", Integer, nullable=False, default=0),
    Column("new_versions", Integer, nullable=False, default=0),
    Column("api_travellers", Integer, nullable=False, default=0),
    # Set when the body is erased (retention, migration 0012): the retention job finds the
    # bodies left to erase through the partial index, never re-reading erased ones.
    *marker("erased", "ix_raw_message_unerased", "received_at"),
)

quarantine = Table(
    "quarantine",
    metadata,
    pk(),
    Column("raw_message_id", Id, ForeignKey("raw_message.id", ondelete="CASCADE"), unique=True),
    string("reason", 50, nullable=False),
    Column("findings", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("resolved_at", DateTime),
)

deletion_log = Table(
    "deletion_log",
    metadata,
    pk(),
    owned("raw_message_id", "raw_message"),
    string("category", 60, nullable=False),
    string("element", 30, nullable=False),
    Column("count", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

flight = Table(
    "flight",
    metadata,
    pk(),
    string("key", 40, nullable=False, unique=True),
    Column("carrier", String(3), nullable=False),
    Column("number", String(8), nullable=False),
    Column("departure_date", Date, index=True),
    Column("origin", String(5)),
    Column("destination", String(5)),
    Column("departure", DateTime),
    Column("arrival", DateTime),
    # UTC of departure and arrival (airport time zones), for the hit queue (migration 0007).
    Column("departure_utc", DateTime),
    Column("arrival_utc", DateTime),
    Column("created_at", DateTime, nullable=False),
)

flight_leg = Table(
    "flight_leg",
    metadata,
    pk(),
    fk("flight_id", "flight"),
    Column("seq", Integer, nullable=False),
    Column("origin", String(5), nullable=False),
    Column("destination", String(5), nullable=False),
    Column("departure", DateTime),
    Column("arrival", DateTime),
    # UTC of departure and arrival (airport time zones), migration 0007.
    Column("departure_utc", DateTime),
    Column("arrival_utc", DateTime),
    UniqueConstraint("flight_id", "seq"),
)

booking = Table(
    "booking",
    metadata,
    pk(),
    string("key", 40, nullable=False, unique=True),
    Column("locator", String(20), nullable=False, index=True),
    Column("carrier", String(3)),
    # The latest version (no foreign key: booking and booking_version refer to each other).
    Column("current_version_id", Id),
    Column("version_count", Integer, nullable=False, default=0),
    Column("first_seen_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
)

booking_version = Table(
    "booking_version",
    metadata,
    pk(),
    owned("booking_id", "booking", index=False),
    Column("version_no", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("content", Text, nullable=False),
    owned("raw_message_id", "raw_message"),
    ref("flight_id", "flight", nullable=True),
    string("push_action", 10),
    Column("received_at", DateTime, nullable=False),
    Column("created_at", DateTime),
    Column("last_changed_at", DateTime),
    Column("number_in_party", Integer),
    string("group_name", 100),
    UniqueConstraint("booking_id", "version_no"),
    # Set when the version is depersonalised (retention, migration 0013): the mask-age step
    # walks the versions not masked yet through the partial index, never re-reading the
    # masked ones it keeps.
    *marker("masked", "ix_booking_version_unmasked", "id"),
)

booking_flight = Table(
    "booking_flight",
    metadata,
    pk(),
    owned("booking_id", "booking", index=False),
    ref("flight_id", "flight"),
    string("status", 12, nullable=False),
    Column("first_seen_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    # Indexed by ``ix_booking_flight_last_raw_message_id`` (schema_privacy): the 5-year step
    # deletes the archived messages with what belongs to them.
    owned("last_raw_message_id", "raw_message", index=False),
    Column("cancelled_at", DateTime),
    Column("cancelled_by_push_id", Id),
    UniqueConstraint("booking_id", "flight_id"),
)

push = Table(
    "push",
    metadata,
    pk(),
    ref("flight_id", "flight"),
    string("reference", 60),
    string("status", 12, nullable=False),
    Column("final_part", Integer),
    Column("opened_at", DateTime, nullable=False),
    Column("completed_at", DateTime),
    Column("cancelled", Integer, nullable=False, default=0),
)

push_part = Table(
    "push_part",
    metadata,
    pk(),
    ref("push_id", "push", index=False),
    Column("part_number", Integer, nullable=False),
    owned("raw_message_id", "raw_message"),
    UniqueConstraint("push_id", "part_number"),
)

push_booking = Table(
    "push_booking",
    metadata,
    Column("push_id", Id, primary_key=True, info={REFERS: "push"}),
    owned("booking_id", "booking", primary_key=True),
)

booking_leg = Table(
    "booking_leg",
    metadata,
    pk(),
    owned("version_id", "booking_version"),
    Column("seq", Integer, nullable=False),
    Column("carrier", String(3), nullable=False),
    Column("number", String(8), nullable=False),
    Column("origin", String(5), nullable=False),
    Column("destination", String(5), nullable=False),
    Column("departure", DateTime),
    Column("arrival", DateTime),
    Column("operating_carrier", String(3)),
    Column("operating_number", String(8)),
    Column("booking_class", String(2)),
    Column("status", String(4)),
    Column("equipment", String(10)),
)

agency = Table(
    "agency",
    metadata,
    pk(),
    owned("version_id", "booking_version"),
    string("system", 20),
    string("location", 20),
    # No index: no query looks agencies up by number (rules read the booking's content);
    # dropped by migration 0015 (index upkeep of every stored and deleted version).
    string("iata_number", 20),
    string("pseudo_city", 20),
    string("agent_id", 40),
    string("country", 3),
    string("type", 10),
    string("raw", 500),
)

traveller = Table(
    "traveller",
    metadata,
    pk(),
    owned("version_id", "booking_version"),
    owned("booking_id", "booking"),
    Column("seq", Integer, nullable=False),
    string("ref", 20),
    # No index on surname, nor on the API traveller's or the document number (migration
    # 0012): look-ups go through the match keys and ``identifier``; every deletion and
    # masking had to keep them up.
    string("surname", 100, nullable=False),
    string("given_names", 200),
    string("title", 10),
    string("suffix", 10),
    string("raw_name", 300),
    string("type", 10, nullable=False),
    Column("date_of_birth", Date),
    string("gender", 1),
    string("nationality", 3),
    string("accompanying_ref", 20),
    # The key ``correlate`` matches on by name (``keys.name_key``; migration 0010).
    string("name_key", 320),
    partial_index("ix_traveller_name_key", "name_key"),
)

__all__ = [
    "OWNER",
    "VIA",
    "Id",
    "agency",
    "api_message",
    "api_message_flight",
    "api_pnr_link",
    "api_traveller",
    "api_traveller_flight",
    "bag",
    "booking",
    "booking_flight",
    "booking_leg",
    "booking_version",
    "contact",
    "deletion_log",
    "document",
    "flight",
    "flight_leg",
    "frequent_flyer",
    "identifier",
    "metadata",
    "payment",
    "push",
    "push_booking",
    "push_part",
    "quarantine",
    "raw_message",
    "seat",
    "ticket",
    "traveller",
]

from paxwatch.store import schema_assess as schema_assess  # noqa: E402  (assessment tables)
from paxwatch.store import schema_privacy as schema_privacy  # noqa: E402  (retention, unmasking)
from paxwatch.store import schema_review as schema_review  # noqa: E402  (access, review, audit)
