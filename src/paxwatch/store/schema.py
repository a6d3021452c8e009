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
  mark bookings absent from a complete full push as cancelled.
- ``api_message`` / ``api_message_flight`` / ``api_traveller`` / ``api_traveller_flight``:
  PAXLST lists; ``api_pnr_link``: the booked traveller each API traveller corresponds to,
  with the rule that matched.
- ``identifier``: normalised phone, e-mail, card, address, document and frequent-flyer
  number of a traveller or booking, so that link analysis is a join.

Times: message times are local times as messages give them (naive); ``*_at`` bookkeeping
times (``received_at``, ``created_at``...) are naive UTC.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = BigInteger().with_variant(Integer(), "sqlite")


def _pk() -> Column[int]:
    return Column("id", Id, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, *, nullable: bool = False, index: bool = True) -> Column[int]:
    return Column(
        name, Id, ForeignKey(f"{target}.id", ondelete="CASCADE"), nullable=nullable, index=index
    )


OWNER = "paxwatch_owner"
"""``Column.info`` key naming the table a column's row belongs to (see ``_owned``)."""
VIA = "paxwatch_via"
"""``Column.info`` key: the rows of this owner column are also owned, through the named
column of the same table, by a row of the owner's own parent or child table (identifiers
of a traveller: through their ``version_id``); ``purge`` deletes them through it."""


def _owned(
    name: str,
    owner: str,
    *,
    nullable: bool = False,
    index: bool | None = True,
    primary_key: bool = False,
    unique: bool | None = None,
    via: str | None = None,
) -> Column[int]:
    """A reference to ``owner.id`` without a foreign-key constraint (migration ``0006``).

    The rows of the passenger data (bookings, versions, travellers, API lists and
    travellers) are only ever deleted by ``paxwatch.privacy.purge.purge``, which
    deletes the rows that belong to them first, table by table and in bulk; a constraint
    would only make the database check every deleted row again (row by row, one lookup per
    referencing table: most of the retention job's time on PostgreSQL). ``purge`` finds
    the referencing columns through ``Column.info[OWNER]``; ``orphan_counts`` checks that
    none is left dangling."""
    if primary_key:
        index = None
    return Column(
        name,
        Id,
        nullable=nullable,
        index=index,
        primary_key=primary_key,
        unique=unique,
        info={OWNER: owner} if via is None else {OWNER: owner, VIA: via},
    )


def _partial(name: str, column: str) -> Index:
    """An index of the rows where ``column`` is set (migration ``0008``): for the owner
    columns that are NULL in a large share of the rows (a document is a booked or an API
    traveller's), the other rows are no entry to keep up on every insert and delete."""
    where = text(f"{column} IS NOT NULL")
    return Index(name, column, sqlite_where=where, postgresql_where=where)


def _marker(name: str, index: str, indexed: str) -> tuple[Column[bool], Index]:
    """A flag set once a row has been processed (``erased``, ``masked``; false by default,
    so writers need not know it) and a partial index on ``indexed`` of the rows where it is
    not set yet: the job that sets it reads only the rows left to do. The condition is
    written as the queries write it (``flag = 0`` on SQLite), so that SQLite uses it."""
    return (
        Column(name, Boolean, nullable=False, default=False, server_default=text("false")),
        Index(
            index,
            indexed,
            sqlite_where=text(f"{name} = 0"),
            postgresql_where=text(f"NOT {name}"),
        ),
    )


def _s(
    name: str,
    length: int = 100,
    *,
    nullable: bool = True,
    unique: bool = False,
    index: bool = False,
) -> Column[str]:
    return Column(name, String(length), nullable=nullable, unique=unique, index=index)


def _leg_columns(prefix: str = "leg_") -> list[Column[object]]:
    return [
        Column(f"{prefix}carrier", String(3)),
        Column(f"{prefix}number", String(8)),
        Column(f"{prefix}origin", String(5)),
        Column(f"{prefix}destination", String(5)),
        Column(f"{prefix}date", Date),
    ]


raw_message = Table(
    "raw_message",
    metadata,
    _pk(),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("body", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("redacted", Integer, nullable=False, default=0),
    Column("received_at", DateTime, nullable=False, index=True),
    _s("source", 200, nullable=False),
    _s("name", 1000),
    _s("format", 20),
    _s("status", 20, nullable=False),
    Column("bookings", Integer, nullable=False, default=0),
    Column("new_versions", Integer, nullable=False, default=0),
    Column("api_travellers", Integer, nullable=False, default=0),
    # Set when the body is erased (retention, migration 0012): the retention job finds the
    # bodies left to erase through the partial index, never re-reading erased ones.
    *_marker("erased", "ix_raw_message_unerased", "received_at"),
)

quarantine = Table(
    "quarantine",
    metadata,
    _pk(),
    Column("raw_message_id", Id, ForeignKey("raw_message.id", ondelete="CASCADE"), unique=True),
    _s("reason", 50, nullable=False),
    Column("findings", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("resolved_at", DateTime),
)

deletion_log = Table(
    "deletion_log",
    metadata,
    _pk(),
    _fk("raw_message_id", "raw_message"),
    _s("category", 60, nullable=False),
    _s("element", 30, nullable=False),
    Column("count", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

flight = Table(
    "flight",
    metadata,
    _pk(),
    _s("key", 40, nullable=False, unique=True),
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
    _pk(),
    _fk("flight_id", "flight"),
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
    _pk(),
    _s("key", 40, nullable=False, unique=True),
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
    _pk(),
    _owned("booking_id", "booking", index=False),
    Column("version_no", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("content", Text, nullable=False),
    _fk("raw_message_id", "raw_message"),
    _fk("flight_id", "flight", nullable=True),
    _s("push_action", 10),
    Column("received_at", DateTime, nullable=False),
    Column("created_at", DateTime),
    Column("last_changed_at", DateTime),
    Column("number_in_party", Integer),
    _s("group_name", 100),
    UniqueConstraint("booking_id", "version_no"),
    # Set when the version is depersonalised (retention, migration 0013): the mask-age step
    # walks the versions not masked yet through the partial index, never re-reading the
    # masked ones it keeps.
    *_marker("masked", "ix_booking_version_unmasked", "id"),
)

booking_flight = Table(
    "booking_flight",
    metadata,
    _pk(),
    _owned("booking_id", "booking", index=False),
    _fk("flight_id", "flight"),
    _s("status", 12, nullable=False),
    Column("first_seen_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    _fk("last_raw_message_id", "raw_message", index=False),
    Column("cancelled_at", DateTime),
    Column("cancelled_by_push_id", Id),
    UniqueConstraint("booking_id", "flight_id"),
)

push = Table(
    "push",
    metadata,
    _pk(),
    _fk("flight_id", "flight"),
    _s("reference", 60),
    _s("status", 12, nullable=False),
    Column("final_part", Integer),
    Column("opened_at", DateTime, nullable=False),
    Column("completed_at", DateTime),
    Column("cancelled", Integer, nullable=False, default=0),
)

push_part = Table(
    "push_part",
    metadata,
    _pk(),
    _fk("push_id", "push", index=False),
    Column("part_number", Integer, nullable=False),
    _fk("raw_message_id", "raw_message"),
    UniqueConstraint("push_id", "part_number"),
)

push_booking = Table(
    "push_booking",
    metadata,
    Column("push_id", Id, ForeignKey("push.id", ondelete="CASCADE"), primary_key=True),
    _owned("booking_id", "booking", primary_key=True),
)

booking_leg = Table(
    "booking_leg",
    metadata,
    _pk(),
    _owned("version_id", "booking_version"),
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
    _pk(),
    _owned("version_id", "booking_version"),
    _s("system", 20),
    _s("location", 20),
    _s("iata_number", 20, index=True),
    _s("pseudo_city", 20),
    _s("agent_id", 40),
    _s("country", 3),
    _s("type", 10),
    _s("raw", 500),
)

traveller = Table(
    "traveller",
    metadata,
    _pk(),
    _owned("version_id", "booking_version"),
    _owned("booking_id", "booking"),
    Column("seq", Integer, nullable=False),
    _s("ref", 20),
    # No index on surname, nor on the API traveller's or the document number (migration
    # 0012): look-ups go through the match keys and ``identifier``; every deletion and
    # masking had to keep them up.
    _s("surname", 100, nullable=False),
    _s("given_names", 200),
    _s("title", 10),
    _s("suffix", 10),
    _s("raw_name", 300),
    _s("type", 10, nullable=False),
    Column("date_of_birth", Date),
    _s("gender", 1),
    _s("nationality", 3),
    _s("accompanying_ref", 20),
    # The key ``correlate`` matches on by name (``keys.name_key``; migration 0010).
    _s("name_key", 320),
    _partial("ix_traveller_name_key", "name_key"),
)

api_message = Table(
    "api_message",
    metadata,
    _pk(),
    _fk("raw_message_id", "raw_message"),
    _s("reference", 60),
    _s("document", 10),
    _s("variant", 4),
    _s("sender", 60),
    Column("part_number", Integer),
    Column("part_final", Boolean),
    Column("prepared_at", DateTime),
    Column("received_at", DateTime, nullable=False),
    Column("reporting_party", Text),
)

api_message_flight = Table(
    "api_message_flight",
    metadata,
    _owned("api_message_id", "api_message", primary_key=True),
    Column("flight_id", Id, ForeignKey("flight.id", ondelete="CASCADE"), primary_key=True),
)

api_traveller = Table(
    "api_traveller",
    metadata,
    _pk(),
    _owned("api_message_id", "api_message"),
    Column("seq", Integer, nullable=False),
    _s("role", 20, nullable=False),
    _s("surname", 100, nullable=False),
    _s("given_names", 200),
    _s("gender", 1),
    Column("date_of_birth", Date),
    _s("nationality", 3),
    _s("embarkation", 5),
    _s("debarkation", 5),
    _s("seat", 10),
    _s("booking_locator", 20, index=True),
    _s("unique_ref", 60),
    _s("raw_name", 300),
    Column("content", Text, nullable=False),
    _s("name_key", 320),
    _partial("ix_api_traveller_name_key", "name_key"),
    # As ``booking_version.masked`` (migration 0013).
    *_marker("masked", "ix_api_traveller_unmasked", "id"),
)

api_traveller_flight = Table(
    "api_traveller_flight",
    metadata,
    _owned("api_traveller_id", "api_traveller", primary_key=True),
    Column(
        "flight_id", Id, ForeignKey("flight.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

api_pnr_link = Table(
    "api_pnr_link",
    metadata,
    _owned("api_traveller_id", "api_traveller", primary_key=True),
    Column(
        "flight_id", Id, ForeignKey("flight.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
    _owned("traveller_id", "traveller"),
    _owned("booking_id", "booking", index=False),
    _s("rule", 30, nullable=False),
    Column("linked_at", DateTime, nullable=False),
)

document = Table(
    "document",
    metadata,
    _pk(),
    _owned("traveller_id", "traveller", nullable=True, index=False),
    _owned("api_traveller_id", "api_traveller", nullable=True, index=False),
    _s("type", 4),
    _s("number", 40),
    _s("issuing_country", 3),
    _s("nationality", 3),
    Column("date_of_birth", Date),
    _s("gender", 1),
    Column("expiry", Date),
    Column("issued_on", Date),
    _s("surname", 100),
    _s("given_names", 200),
    # The normalised number ``correlate`` matches on (migration 0010).
    _s("number_key", 60),
    _partial("ix_document_traveller_id", "traveller_id"),
    _partial("ix_document_number_key", "number_key"),
    _partial("ix_document_api_traveller_id", "api_traveller_id"),
)

contact = Table(
    "contact",
    metadata,
    _pk(),
    _owned("version_id", "booking_version"),
    _owned("traveller_id", "traveller", nullable=True, index=False),
    _s("kind", 10, nullable=False),
    _s("value", 300, nullable=False),
    _s("raw", 500),
    _s("source", 30),
)

payment = Table(
    "payment",
    metadata,
    _pk(),
    _owned("version_id", "booking_version"),
    _owned("traveller_id", "traveller", nullable=True, index=False),
    _s("method", 10, nullable=False),
    _s("raw_method", 10),
    _s("amount", 20),
    _s("currency", 3),
    _s("card_vendor", 4),
    _s("card_number", 30),
    _s("card_expiry", 10),
    _s("payer_name", 200),
    _s("payer_phone", 40),
    _s("billing_address", 500),
)

seat = Table(
    "seat",
    metadata,
    _pk(),
    _owned("traveller_id", "traveller"),
    _s("seat", 10, nullable=False),
    _s("cabin", 4),
    *_leg_columns(),
)

bag = Table(
    "bag",
    metadata,
    _pk(),
    _owned("traveller_id", "traveller", nullable=True, index=False),
    _owned("api_traveller_id", "api_traveller", nullable=True, index=False),
    Column("count", Integer),
    _s("weight", 20),
    _s("weight_unit", 2),
    _s("tags", 500),
    Column("head_of_pool", Boolean, nullable=False, default=False),
    _s("destination", 5),
    *_leg_columns(),
    _partial("ix_bag_traveller_id", "traveller_id"),
    _partial("ix_bag_api_traveller_id", "api_traveller_id"),
)

frequent_flyer = Table(
    "frequent_flyer",
    metadata,
    _pk(),
    _owned("traveller_id", "traveller"),
    _s("airline", 3, nullable=False),
    _s("number", 40, nullable=False),
    _s("tier", 20),
)

ticket = Table(
    "ticket",
    metadata,
    _pk(),
    _owned("traveller_id", "traveller"),
    _s("number", 30),
    _s("document_type", 4),
    Column("issued_on", Date),
    _s("total_amount", 20),
    _s("currency", 3),
    Column("one_way", Boolean),
)

# Five rows per passenger: index upkeep is most of what storing and deleting them costs.
# Searched by (kind, value) only (link analysis, ``find_identifier``); deleted by version
# (booked travellers and bookings: every such row has its version) or by API traveller,
# each through an index of the rows that have one (migration ``0008``). ``booking_id`` and
# ``traveller_id`` have no index: ``purge`` reaches their rows ``VIA`` the version.
identifier = Table(
    "identifier",
    metadata,
    _pk(),
    _s("kind", 16, nullable=False),
    _s("value", 300, nullable=False),
    _owned("booking_id", "booking", nullable=True, index=False, via="version_id"),
    _owned("version_id", "booking_version", nullable=True, index=False),
    _owned("traveller_id", "traveller", nullable=True, index=False, via="version_id"),
    _owned("api_traveller_id", "api_traveller", nullable=True, index=False),
    Index("ix_identifier_kind_value", "kind", "value"),
    _partial("ix_identifier_version_id", "version_id"),
    _partial("ix_identifier_api_traveller_id", "api_traveller_id"),
)

__all__ = [
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
