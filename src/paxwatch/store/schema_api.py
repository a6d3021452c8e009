"""The store's tables of API (PAXLST) lists: messages, their flights, API travellers, and the
booked traveller each corresponds to (``api_pnr_link``). Part of ``paxwatch.store.schema``
(which describes the whole layout and re-exports these)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    Table,
    Text,
)

from paxwatch.store.columns import (
    REFERS,
    Id,
    marker,
    metadata,
    owned,
    partial_index,
    pk,
    string,
)

api_message = Table(
    "api_message",
    metadata,
    pk(),
    owned("raw_message_id", "raw_message"),
    string("reference", 60),
    string("document", 10),
    string("variant", 4),
    string("sender", 60),
    Column("part_number", Integer),
    Column("part_final", Boolean),
    Column("prepared_at", DateTime),
    Column("received_at", DateTime, nullable=False),
    Column("reporting_party", Text),
)

api_message_flight = Table(
    "api_message_flight",
    metadata,
    owned("api_message_id", "api_message", primary_key=True),
    Column("flight_id", Id, primary_key=True, info={REFERS: "flight"}),
)

api_traveller = Table(
    "api_traveller",
    metadata,
    pk(),
    owned("api_message_id", "api_message"),
    Column("seq", Integer, nullable=False),
    string("role", 20, nullable=False),
    string("surname", 100, nullable=False),
    string("given_names", 200),
    string("gender", 1),
    Column("date_of_birth", Date),
    string("nationality", 3),
    string("embarkation", 5),
    string("debarkation", 5),
    string("seat", 10),
    string("booking_locator", 20, index=True),
    string("unique_ref", 60),
    string("raw_name", 300),
    Column("content", Text, nullable=False),
    string("name_key", 320),
    partial_index("ix_api_traveller_name_key", "name_key"),
    # As ``booking_version.masked`` (migration 0013).
    *marker("masked", "ix_api_traveller_unmasked", "id"),
)

api_traveller_flight = Table(
    "api_traveller_flight",
    metadata,
    owned("api_traveller_id", "api_traveller", primary_key=True),
    Column("flight_id", Id, primary_key=True, index=True, info={REFERS: "flight"}),
)

api_pnr_link = Table(
    "api_pnr_link",
    metadata,
    owned("api_traveller_id", "api_traveller", primary_key=True),
    Column("flight_id", Id, primary_key=True, index=True, info={REFERS: "flight"}),
    owned("traveller_id", "traveller"),
    owned("booking_id", "booking", index=False),
    string("rule", 30, nullable=False),
    Column("linked_at", DateTime, nullable=False),
)
