"""Privacy: retention flags, masked records, intra-EU flight selection, unmasking requests,
data-subject requests, the privacy event log, per-flight statistics; indexes on the core
foreign keys that cascading deletes use.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

Generated with Alembic autogenerate from ``paxwatch.store.schema_privacy`` and then frozen:
later schema changes are new revisions, never edits of this one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "flight_selection",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=True),
        sa.Column("number", sa.String(length=8), nullable=True),
        sa.Column("origin", sa.String(length=5), nullable=True),
        sa.Column("destination", sa.String(length=5), nullable=True),
        sa.Column("airport", sa.String(length=5), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flight_selection")),
    )
    op.create_table(
        "privacy_event",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_event")),
    )
    with op.batch_alter_table("privacy_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_privacy_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_privacy_event_kind"), ["kind"], unique=False)

    op.create_table(
        "stat_flight",
        sa.Column(
            "flight_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("departure_date", sa.Date(), nullable=True),
        sa.Column("origin", sa.String(length=5), nullable=True),
        sa.Column("destination", sa.String(length=5), nullable=True),
        sa.Column("bookings", sa.Integer(), nullable=False),
        sa.Column("pnr_passengers", sa.Integer(), nullable=False),
        sa.Column("api_passengers", sa.Integer(), nullable=False),
        sa.Column("exchanged", sa.Integer(), nullable=False),
        sa.Column("identified", sa.Integer(), nullable=False),
        sa.Column("full_pushes", sa.Integer(), nullable=False),
        sa.Column("early_push", sa.String(length=10), nullable=True),
        sa.Column("final_push", sa.String(length=10), nullable=True),
        sa.Column("sealed", sa.Boolean(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("flight_id", name=op.f("pk_stat_flight")),
    )
    with op.batch_alter_table("stat_flight", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stat_flight_departure_date"), ["departure_date"], unique=False
        )

    op.create_table(
        "subject_request",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("handled_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("records", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_request")),
    )
    op.create_table(
        "unmask_request",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("requester", sa.String(length=100), nullable=False),
        sa.Column("requester_role", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("records", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("offence", sa.String(length=60), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("valid_hours", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_role", sa.String(length=30), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("dpo_notified_at", sa.DateTime(), nullable=True),
        sa.Column("dpo_reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("dpo_reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("dpo_outcome", sa.String(length=20), nullable=True),
        sa.Column("dpo_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unmask_request")),
    )
    with op.batch_alter_table("unmask_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unmask_request_requester"), ["requester"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_unmask_request_status"), ["status"], unique=False)

    op.create_table(
        "masked_record",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "api_traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("masked_at", sa.DateTime(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_traveller_id"],
            ["api_traveller.id"],
            name=op.f("fk_masked_record_api_traveller_id_api_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["booking_version.id"],
            name=op.f("fk_masked_record_version_id_booking_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_masked_record")),
        sa.UniqueConstraint("api_traveller_id", name=op.f("uq_masked_record_api_traveller_id")),
        sa.UniqueConstraint("version_id", name=op.f("uq_masked_record_version_id")),
    )
    op.create_table(
        "retention_flag",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("traveller_ref", sa.String(length=20), nullable=True),
        sa.Column(
            "api_traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence_ref", sa.String(length=200), nullable=True),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("lifted_by", sa.String(length=100), nullable=True),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_traveller_id"],
            ["api_traveller.id"],
            name=op.f("fk_retention_flag_api_traveller_id_api_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_retention_flag_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_flag")),
    )
    with op.batch_alter_table("retention_flag", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retention_flag_api_traveller_id"), ["api_traveller_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_retention_flag_booking_id"), ["booking_id"], unique=False
        )

    with op.batch_alter_table("api_pnr_link", schema=None) as batch_op:
        batch_op.create_index("ix_api_pnr_link_booking_id", ["booking_id"], unique=False)

    with op.batch_alter_table("booking_flight", schema=None) as batch_op:
        batch_op.create_index(
            "ix_booking_flight_last_raw_message_id", ["last_raw_message_id"], unique=False
        )

    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index("ix_contact_traveller_id", ["traveller_id"], unique=False)

    with op.batch_alter_table("identifier", schema=None) as batch_op:
        batch_op.create_index("ix_identifier_version_id", ["version_id"], unique=False)

    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index("ix_payment_traveller_id", ["traveller_id"], unique=False)

    with op.batch_alter_table("booking_version", schema=None) as batch_op:
        batch_op.create_index("ix_booking_version_received_at", ["received_at"], unique=False)

    with op.batch_alter_table("api_message", schema=None) as batch_op:
        batch_op.create_index("ix_api_message_received_at", ["received_at"], unique=False)

    with op.batch_alter_table("push_booking", schema=None) as batch_op:
        batch_op.create_index("ix_push_booking_booking_id", ["booking_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("api_message", schema=None) as batch_op:
        batch_op.drop_index("ix_api_message_received_at")

    with op.batch_alter_table("booking_version", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_version_received_at")

    with op.batch_alter_table("push_booking", schema=None) as batch_op:
        batch_op.drop_index("ix_push_booking_booking_id")

    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_traveller_id")

    with op.batch_alter_table("identifier", schema=None) as batch_op:
        batch_op.drop_index("ix_identifier_version_id")

    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_traveller_id")

    with op.batch_alter_table("booking_flight", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_flight_last_raw_message_id")

    with op.batch_alter_table("api_pnr_link", schema=None) as batch_op:
        batch_op.drop_index("ix_api_pnr_link_booking_id")

    with op.batch_alter_table("retention_flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_flag_booking_id"))
        batch_op.drop_index(batch_op.f("ix_retention_flag_api_traveller_id"))

    op.drop_table("retention_flag")
    op.drop_table("masked_record")
    with op.batch_alter_table("unmask_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unmask_request_status"))
        batch_op.drop_index(batch_op.f("ix_unmask_request_requester"))

    op.drop_table("unmask_request")
    op.drop_table("subject_request")
    with op.batch_alter_table("stat_flight", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stat_flight_departure_date"))

    op.drop_table("stat_flight")
    with op.batch_alter_table("privacy_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_event_kind"))
        batch_op.drop_index(batch_op.f("ix_privacy_event_at"))

    op.drop_table("privacy_event")
    op.drop_table("flight_selection")
