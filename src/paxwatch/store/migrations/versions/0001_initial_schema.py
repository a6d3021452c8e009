"""Initial schema: archive, quarantine, deletion log, flights, bookings and versions, API.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Generated with Alembic autogenerate from ``paxwatch.store.schema`` and then frozen: later
schema changes are new revisions, never edits of this one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:  # noqa: PLR0915 - generated, one statement per table
    """Upgrade schema."""
    op.create_table(
        "booking",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("locator", sa.String(length=20), nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=True),
        sa.Column(
            "current_version_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("version_count", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking")),
        sa.UniqueConstraint("key", name=op.f("uq_booking_key")),
    )
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_locator"), ["locator"], unique=False)

    op.create_table(
        "flight",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("departure_date", sa.Date(), nullable=True),
        sa.Column("origin", sa.String(length=5), nullable=True),
        sa.Column("destination", sa.String(length=5), nullable=True),
        sa.Column("departure", sa.DateTime(), nullable=True),
        sa.Column("arrival", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flight")),
        sa.UniqueConstraint("key", name=op.f("uq_flight_key")),
    )
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_flight_departure_date"), ["departure_date"], unique=False
        )

    op.create_table(
        "raw_message",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("redacted", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=1000), nullable=True),
        sa.Column("format", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("bookings", sa.Integer(), nullable=False),
        sa.Column("new_versions", sa.Integer(), nullable=False),
        sa.Column("api_travellers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raw_message")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_raw_message_content_hash")),
    )
    with op.batch_alter_table("raw_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_raw_message_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "api_message",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "raw_message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("reference", sa.String(length=60), nullable=True),
        sa.Column("document", sa.String(length=10), nullable=True),
        sa.Column("variant", sa.String(length=4), nullable=True),
        sa.Column("sender", sa.String(length=60), nullable=True),
        sa.Column("part_number", sa.Integer(), nullable=True),
        sa.Column("part_final", sa.Boolean(), nullable=True),
        sa.Column("prepared_at", sa.DateTime(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("reporting_party", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["raw_message_id"],
            ["raw_message.id"],
            name=op.f("fk_api_message_raw_message_id_raw_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_message")),
    )
    with op.batch_alter_table("api_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_message_raw_message_id"), ["raw_message_id"], unique=False
        )

    op.create_table(
        "booking_flight",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column(
            "last_raw_message_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column(
            "cancelled_by_push_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_booking_flight_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["flight.id"],
            name=op.f("fk_booking_flight_flight_id_flight"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["last_raw_message_id"],
            ["raw_message.id"],
            name=op.f("fk_booking_flight_last_raw_message_id_raw_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_flight")),
        sa.UniqueConstraint("booking_id", "flight_id", name=op.f("uq_booking_flight_booking_id")),
    )
    with op.batch_alter_table("booking_flight", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_flight_flight_id"), ["flight_id"], unique=False
        )

    op.create_table(
        "booking_version",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column(
            "raw_message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("push_action", sa.String(length=10), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("last_changed_at", sa.DateTime(), nullable=True),
        sa.Column("number_in_party", sa.Integer(), nullable=True),
        sa.Column("group_name", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_booking_version_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["flight.id"],
            name=op.f("fk_booking_version_flight_id_flight"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["raw_message_id"],
            ["raw_message.id"],
            name=op.f("fk_booking_version_raw_message_id_raw_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_version")),
        sa.UniqueConstraint("booking_id", "version_no", name=op.f("uq_booking_version_booking_id")),
    )
    with op.batch_alter_table("booking_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_version_flight_id"), ["flight_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_booking_version_raw_message_id"), ["raw_message_id"], unique=False
        )

    op.create_table(
        "deletion_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "raw_message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("element", sa.String(length=30), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["raw_message_id"],
            ["raw_message.id"],
            name=op.f("fk_deletion_log_raw_message_id_raw_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletion_log")),
    )
    with op.batch_alter_table("deletion_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deletion_log_raw_message_id"), ["raw_message_id"], unique=False
        )

    op.create_table(
        "flight_leg",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=5), nullable=False),
        sa.Column("destination", sa.String(length=5), nullable=False),
        sa.Column("departure", sa.DateTime(), nullable=True),
        sa.Column("arrival", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["flight.id"],
            name=op.f("fk_flight_leg_flight_id_flight"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flight_leg")),
        sa.UniqueConstraint("flight_id", "seq", name=op.f("uq_flight_leg_flight_id")),
    )
    with op.batch_alter_table("flight_leg", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flight_leg_flight_id"), ["flight_id"], unique=False)

    op.create_table(
        "push",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("reference", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("final_part", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flight.id"], name=op.f("fk_push_flight_id_flight"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push")),
    )
    with op.batch_alter_table("push", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_push_flight_id"), ["flight_id"], unique=False)

    op.create_table(
        "quarantine",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "raw_message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("reason", sa.String(length=50), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["raw_message_id"],
            ["raw_message.id"],
            name=op.f("fk_quarantine_raw_message_id_raw_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
        sa.UniqueConstraint("raw_message_id", name=op.f("uq_quarantine_raw_message_id")),
    )
    op.create_table(
        "agency",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("system", sa.String(length=20), nullable=True),
        sa.Column("location", sa.String(length=20), nullable=True),
        sa.Column("iata_number", sa.String(length=20), nullable=True),
        sa.Column("pseudo_city", sa.String(length=20), nullable=True),
        sa.Column("agent_id", sa.String(length=40), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("type", sa.String(length=10), nullable=True),
        sa.Column("raw", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["booking_version.id"],
            name=op.f("fk_agency_version_id_booking_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
    )
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_iata_number"), ["iata_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_agency_version_id"), ["version_id"], unique=False)

    op.create_table(
        "api_message_flight",
        sa.Column(
            "api_message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["api_message_id"],
            ["api_message.id"],
            name=op.f("fk_api_message_flight_api_message_id_api_message"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["flight.id"],
            name=op.f("fk_api_message_flight_flight_id_flight"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("api_message_id", "flight_id", name=op.f("pk_api_message_flight")),
    )
    op.create_table(
        "api_traveller",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "api_message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("surname", sa.String(length=100), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=True),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("embarkation", sa.String(length=5), nullable=True),
        sa.Column("debarkation", sa.String(length=5), nullable=True),
        sa.Column("seat", sa.String(length=10), nullable=True),
        sa.Column("booking_locator", sa.String(length=20), nullable=True),
        sa.Column("unique_ref", sa.String(length=60), nullable=True),
        sa.Column("raw_name", sa.String(length=300), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_message_id"],
            ["api_message.id"],
            name=op.f("fk_api_traveller_api_message_id_api_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_traveller")),
    )
    with op.batch_alter_table("api_traveller", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_traveller_api_message_id"), ["api_message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_api_traveller_booking_locator"), ["booking_locator"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_api_traveller_surname"), ["surname"], unique=False)

    op.create_table(
        "booking_leg",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("origin", sa.String(length=5), nullable=False),
        sa.Column("destination", sa.String(length=5), nullable=False),
        sa.Column("departure", sa.DateTime(), nullable=True),
        sa.Column("arrival", sa.DateTime(), nullable=True),
        sa.Column("operating_carrier", sa.String(length=3), nullable=True),
        sa.Column("operating_number", sa.String(length=8), nullable=True),
        sa.Column("booking_class", sa.String(length=2), nullable=True),
        sa.Column("status", sa.String(length=4), nullable=True),
        sa.Column("equipment", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["booking_version.id"],
            name=op.f("fk_booking_leg_version_id_booking_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_leg")),
    )
    with op.batch_alter_table("booking_leg", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_leg_version_id"), ["version_id"], unique=False)

    op.create_table(
        "push_booking",
        sa.Column("push_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_push_booking_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["push_id"], ["push.id"], name=op.f("fk_push_booking_push_id_push"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("push_id", "booking_id", name=op.f("pk_push_booking")),
    )
    op.create_table(
        "push_part",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("push_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("part_number", sa.Integer(), nullable=False),
        sa.Column(
            "raw_message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["push_id"], ["push.id"], name=op.f("fk_push_part_push_id_push"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["raw_message_id"],
            ["raw_message.id"],
            name=op.f("fk_push_part_raw_message_id_raw_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_part")),
        sa.UniqueConstraint("push_id", "part_number", name=op.f("uq_push_part_push_id")),
    )
    with op.batch_alter_table("push_part", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_push_part_raw_message_id"), ["raw_message_id"], unique=False
        )

    op.create_table(
        "traveller",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=20), nullable=True),
        sa.Column("surname", sa.String(length=100), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=10), nullable=True),
        sa.Column("suffix", sa.String(length=10), nullable=True),
        sa.Column("raw_name", sa.String(length=300), nullable=True),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("accompanying_ref", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_traveller_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["booking_version.id"],
            name=op.f("fk_traveller_version_id_booking_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traveller")),
    )
    with op.batch_alter_table("traveller", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_traveller_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_traveller_surname"), ["surname"], unique=False)
        batch_op.create_index(batch_op.f("ix_traveller_version_id"), ["version_id"], unique=False)

    op.create_table(
        "api_pnr_link",
        sa.Column(
            "api_traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_traveller_id"],
            ["api_traveller.id"],
            name=op.f("fk_api_pnr_link_api_traveller_id_api_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_api_pnr_link_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["flight.id"],
            name=op.f("fk_api_pnr_link_flight_id_flight"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_api_pnr_link_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("api_traveller_id", "flight_id", name=op.f("pk_api_pnr_link")),
    )
    with op.batch_alter_table("api_pnr_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_pnr_link_flight_id"), ["flight_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_api_pnr_link_traveller_id"), ["traveller_id"], unique=False
        )

    op.create_table(
        "api_traveller_flight",
        sa.Column(
            "api_traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["api_traveller_id"],
            ["api_traveller.id"],
            name=op.f("fk_api_traveller_flight_api_traveller_id_api_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["flight.id"],
            name=op.f("fk_api_traveller_flight_flight_id_flight"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "api_traveller_id", "flight_id", name=op.f("pk_api_traveller_flight")
        ),
    )
    with op.batch_alter_table("api_traveller_flight", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_traveller_flight_flight_id"), ["flight_id"], unique=False
        )

    op.create_table(
        "bag",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "api_traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("weight", sa.String(length=20), nullable=True),
        sa.Column("weight_unit", sa.String(length=2), nullable=True),
        sa.Column("tags", sa.String(length=500), nullable=True),
        sa.Column("head_of_pool", sa.Boolean(), nullable=False),
        sa.Column("destination", sa.String(length=5), nullable=True),
        sa.Column("leg_carrier", sa.String(length=3), nullable=True),
        sa.Column("leg_number", sa.String(length=8), nullable=True),
        sa.Column("leg_origin", sa.String(length=5), nullable=True),
        sa.Column("leg_destination", sa.String(length=5), nullable=True),
        sa.Column("leg_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_traveller_id"],
            ["api_traveller.id"],
            name=op.f("fk_bag_api_traveller_id_api_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_bag_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bag")),
    )
    with op.batch_alter_table("bag", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bag_api_traveller_id"), ["api_traveller_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bag_traveller_id"), ["traveller_id"], unique=False)

    op.create_table(
        "contact",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("raw", sa.String(length=500), nullable=True),
        sa.Column("source", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_contact_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["booking_version.id"],
            name=op.f("fk_contact_version_id_booking_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_version_id"), ["version_id"], unique=False)

    op.create_table(
        "document",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "api_traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("type", sa.String(length=4), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("issuing_country", sa.String(length=3), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("surname", sa.String(length=100), nullable=True),
        sa.Column("given_names", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_traveller_id"],
            ["api_traveller.id"],
            name=op.f("fk_document_api_traveller_id_api_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_document_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_api_traveller_id"), ["api_traveller_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_document_number"), ["number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_document_traveller_id"), ["traveller_id"], unique=False
        )

    op.create_table(
        "frequent_flyer",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("airline", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_frequent_flyer_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frequent_flyer")),
    )
    with op.batch_alter_table("frequent_flyer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_frequent_flyer_traveller_id"), ["traveller_id"], unique=False
        )

    op.create_table(
        "identifier",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "api_traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["api_traveller_id"],
            ["api_traveller.id"],
            name=op.f("fk_identifier_api_traveller_id_api_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_identifier_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_identifier_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["booking_version.id"],
            name=op.f("fk_identifier_version_id_booking_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identifier")),
    )
    with op.batch_alter_table("identifier", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_identifier_api_traveller_id"), ["api_traveller_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_identifier_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index("ix_identifier_kind_value", ["kind", "value"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_identifier_traveller_id"), ["traveller_id"], unique=False
        )

    op.create_table(
        "payment",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("raw_method", sa.String(length=10), nullable=True),
        sa.Column("amount", sa.String(length=20), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("card_vendor", sa.String(length=4), nullable=True),
        sa.Column("card_number", sa.String(length=30), nullable=True),
        sa.Column("card_expiry", sa.String(length=10), nullable=True),
        sa.Column("payer_name", sa.String(length=200), nullable=True),
        sa.Column("payer_phone", sa.String(length=40), nullable=True),
        sa.Column("billing_address", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_payment_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["booking_version.id"],
            name=op.f("fk_payment_version_id_booking_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_version_id"), ["version_id"], unique=False)

    op.create_table(
        "seat",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("seat", sa.String(length=10), nullable=False),
        sa.Column("cabin", sa.String(length=4), nullable=True),
        sa.Column("leg_carrier", sa.String(length=3), nullable=True),
        sa.Column("leg_number", sa.String(length=8), nullable=True),
        sa.Column("leg_origin", sa.String(length=5), nullable=True),
        sa.Column("leg_destination", sa.String(length=5), nullable=True),
        sa.Column("leg_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_seat_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seat")),
    )
    with op.batch_alter_table("seat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seat_traveller_id"), ["traveller_id"], unique=False)

    op.create_table(
        "ticket",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("number", sa.String(length=30), nullable=True),
        sa.Column("document_type", sa.String(length=4), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("total_amount", sa.String(length=20), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("one_way", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_ticket_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket")),
    )
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_traveller_id"), ["traveller_id"], unique=False)


def downgrade() -> None:  # noqa: PLR0915 - generated, one statement per table
    """Downgrade schema."""
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_traveller_id"))

    op.drop_table("ticket")
    with op.batch_alter_table("seat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seat_traveller_id"))

    op.drop_table("seat")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_version_id"))

    op.drop_table("payment")
    with op.batch_alter_table("identifier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identifier_traveller_id"))
        batch_op.drop_index("ix_identifier_kind_value")
        batch_op.drop_index(batch_op.f("ix_identifier_booking_id"))
        batch_op.drop_index(batch_op.f("ix_identifier_api_traveller_id"))

    op.drop_table("identifier")
    with op.batch_alter_table("frequent_flyer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_frequent_flyer_traveller_id"))

    op.drop_table("frequent_flyer")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_traveller_id"))
        batch_op.drop_index(batch_op.f("ix_document_number"))
        batch_op.drop_index(batch_op.f("ix_document_api_traveller_id"))

    op.drop_table("document")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_version_id"))

    op.drop_table("contact")
    with op.batch_alter_table("bag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bag_traveller_id"))
        batch_op.drop_index(batch_op.f("ix_bag_api_traveller_id"))

    op.drop_table("bag")
    with op.batch_alter_table("api_traveller_flight", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_traveller_flight_flight_id"))

    op.drop_table("api_traveller_flight")
    with op.batch_alter_table("api_pnr_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_pnr_link_traveller_id"))
        batch_op.drop_index(batch_op.f("ix_api_pnr_link_flight_id"))

    op.drop_table("api_pnr_link")
    with op.batch_alter_table("traveller", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_traveller_version_id"))
        batch_op.drop_index(batch_op.f("ix_traveller_surname"))
        batch_op.drop_index(batch_op.f("ix_traveller_booking_id"))

    op.drop_table("traveller")
    with op.batch_alter_table("push_part", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_push_part_raw_message_id"))

    op.drop_table("push_part")
    op.drop_table("push_booking")
    with op.batch_alter_table("booking_leg", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_leg_version_id"))

    op.drop_table("booking_leg")
    with op.batch_alter_table("api_traveller", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_traveller_surname"))
        batch_op.drop_index(batch_op.f("ix_api_traveller_booking_locator"))
        batch_op.drop_index(batch_op.f("ix_api_traveller_api_message_id"))

    op.drop_table("api_traveller")
    op.drop_table("api_message_flight")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_version_id"))
        batch_op.drop_index(batch_op.f("ix_agency_iata_number"))

    op.drop_table("agency")
    op.drop_table("quarantine")
    with op.batch_alter_table("push", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_push_flight_id"))

    op.drop_table("push")
    with op.batch_alter_table("flight_leg", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flight_leg_flight_id"))

    op.drop_table("flight_leg")
    with op.batch_alter_table("deletion_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deletion_log_raw_message_id"))

    op.drop_table("deletion_log")
    with op.batch_alter_table("booking_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_version_raw_message_id"))
        batch_op.drop_index(batch_op.f("ix_booking_version_flight_id"))

    op.drop_table("booking_version")
    with op.batch_alter_table("booking_flight", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_flight_flight_id"))

    op.drop_table("booking_flight")
    with op.batch_alter_table("api_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_message_raw_message_id"))

    op.drop_table("api_message")
    with op.batch_alter_table("raw_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_raw_message_received_at"))

    op.drop_table("raw_message")
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flight_departure_date"))

    op.drop_table("flight")
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_locator"))

    op.drop_table("booking")
