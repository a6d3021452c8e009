"""The privacy tables (issue 8): retention flags, masked records and their sealed originals,
the intra-EU flight-selection register, unmasking requests, data-subject requests, the
privacy event log and the per-flight statistics that outlive the data.

Imported at the end of ``paxwatch.store.schema`` so that these tables belong to its
``metadata`` (migration ``0004_privacy``).

- ``retention_flag``: a traveller (booking + traveller ref, or the whole booking) or an API
  traveller kept beyond the mask age because of objective evidence (EU) or a risk assessment
  (UK); who set it, why, the evidence reference, the review date; lifted flags stay.
- ``masked_record``: a booking version or API traveller that was depersonalised, when, and
  its identifying elements as they were, sealed (Fernet) with a key held outside the
  database (``key_id`` names it); ``sealed`` is NULL when no key was configured.
- ``flight_selection``: which intra-EU routes, flights or airports are selected, on what
  decision and legal basis, from when until when, reviewed when.
- ``unmask_request``: Art 12(3) requests for the full data after depersonalisation, their
  approval by an independent approver, time limit, and the DPO's ex-post review.
- ``subject_request``: data-subject requests handled by the DPO (access, rectification,
  erasure) and what was done.
- (``privacy_event``, the event log of ``0004``, was dropped by ``0005``: the privacy modules
  write to the audit trail, ``paxwatch.privacy.audit``.)
- ``stat_flight``: Art 20 and operational figures per flight (counts only, no personal
  data), sealed before retention removes the data they were computed from.

Also indexes on foreign-key columns of the core tables that had none, so that deleting a
traveller, version, booking or archived message (cascades) does not scan whole tables.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from paxwatch.store.columns import Id, metadata, owned, pk, string
from paxwatch.store.schema import (
    api_message,
    api_pnr_link,
    booking_flight,
    booking_version,
    contact,
    payment,
    push_booking,
)

retention_flag = Table(
    "retention_flag",
    metadata,
    pk(),
    owned("booking_id", "booking", nullable=True),
    string("traveller_ref", 20),
    owned("api_traveller_id", "api_traveller", nullable=True),
    string("kind", 30, nullable=False),
    Column("reason", Text, nullable=False),
    string("evidence_ref", 200),
    string("set_by", 100, nullable=False),
    Column("set_at", DateTime, nullable=False),
    Column("review_on", Date, nullable=False),
    string("lifted_by", 100),
    Column("lifted_at", DateTime),
    Column("lift_reason", Text),
)

masked_record = Table(
    "masked_record",
    metadata,
    pk(),
    owned("version_id", "booking_version", nullable=True, index=None, unique=True),
    owned("api_traveller_id", "api_traveller", nullable=True, index=None, unique=True),
    Column("masked_at", DateTime, nullable=False),
    string("key_id", 16),
    Column("sealed", LargeBinary),
)

flight_selection = Table(
    "flight_selection",
    metadata,
    pk(),
    string("scope", 10, nullable=False),
    string("carrier", 3),
    string("number", 8),
    string("origin", 5),
    string("destination", 5),
    string("airport", 5),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("review_on", Date, nullable=False),
    Column("decision", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    string("created_by", 100, nullable=False),
    Column("created_at", DateTime, nullable=False),
    string("revoked_by", 100),
    Column("revoked_at", DateTime),
)

unmask_request = Table(
    "unmask_request",
    metadata,
    pk(),
    string("requester", 100, nullable=False, index=True),
    string("requester_role", 30, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("records", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    string("offence", 60, nullable=False),
    string("authority", 200),
    string("status", 12, nullable=False, index=True),
    Column("valid_hours", Integer, nullable=False),
    string("decided_by", 100),
    string("decided_role", 30),
    Column("decided_at", DateTime),
    Column("decision_note", Text),
    Column("expires_at", DateTime),
    Column("dpo_notified_at", DateTime),
    string("dpo_reviewed_by", 100),
    Column("dpo_reviewed_at", DateTime),
    string("dpo_outcome", 20),
    Column("dpo_note", Text),
)

subject_request = Table(
    "subject_request",
    metadata,
    pk(),
    string("kind", 20, nullable=False),
    string("reference", 100),
    Column("received_on", Date, nullable=False),
    string("handled_by", 100, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("records", Text, nullable=False),
    string("outcome", 20, nullable=False),
    Column("note", Text),
)

stat_flight = Table(
    "stat_flight",
    metadata,
    Column("flight_id", Id, primary_key=True, autoincrement=False),
    Column("carrier", String(3), nullable=False),
    Column("departure_date", Date, index=True),
    Column("origin", String(5)),
    Column("destination", String(5)),
    Column("bookings", Integer, nullable=False, default=0),
    Column("pnr_passengers", Integer, nullable=False, default=0),
    Column("api_passengers", Integer, nullable=False, default=0),
    Column("exchanged", Integer, nullable=False, default=0),
    Column("identified", Integer, nullable=False, default=0),
    Column("full_pushes", Integer, nullable=False, default=0),
    string("early_push", 10),
    string("final_push", 10),
    Column("sealed", Boolean, nullable=False, default=False),
    Column("computed_at", DateTime, nullable=False),
)

# Foreign keys of the core tables without an index of their own (cascading deletes).
# Partial (migration 0008): most contacts and payments are the booking's, not a traveller's.
Index(
    "ix_contact_traveller_id",
    contact.c.traveller_id,
    sqlite_where=contact.c.traveller_id.is_not(None),
    postgresql_where=contact.c.traveller_id.is_not(None),
)
Index(
    "ix_payment_traveller_id",
    payment.c.traveller_id,
    sqlite_where=payment.c.traveller_id.is_not(None),
    postgresql_where=payment.c.traveller_id.is_not(None),
)
Index("ix_api_pnr_link_booking_id", api_pnr_link.c.booking_id)
Index("ix_push_booking_booking_id", push_booking.c.booking_id)
Index("ix_booking_flight_last_raw_message_id", booking_flight.c.last_raw_message_id)
# Retention selects by age.
Index("ix_booking_version_received_at", booking_version.c.received_at)
Index("ix_api_message_received_at", api_message.c.received_at)

__all__ = [
    "flight_selection",
    "masked_record",
    "retention_flag",
    "stat_flight",
    "subject_request",
    "unmask_request",
]
