"""Assessment: watch-list sources, versions and entries, targeting rules, hits, assessments.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Generated with Alembic autogenerate from ``paxwatch.store.schema_assess`` and then frozen:
later schema changes are new revisions, never edits of this one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "assess_job",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("window_from", sa.Date(), nullable=True),
        sa.Column(
            "last_traveller_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assess_job")),
    )
    with op.batch_alter_table("assess_job", schema=None) as batch_op:
        batch_op.create_index("ix_assess_job_scope", ["kind", "scope", "digest"], unique=False)

    op.create_table(
        "targeting_rule",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("rule_id", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("offence", sa.String(length=60), nullable=True),
        sa.Column("author", sa.String(length=100), nullable=True),
        sa.Column("review", sa.Date(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=True),
        sa.Column("status_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targeting_rule")),
        sa.UniqueConstraint("rule_id", "version", name=op.f("uq_targeting_rule_rule_id")),
    )
    with op.batch_alter_table("targeting_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_targeting_rule_status"), ["status"], unique=False)

    op.create_table(
        "watchlist_source",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("offence_category", sa.String(length=60), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "current_version_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("activated_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_source")),
    )
    op.create_table(
        "watchlist_version",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("source_id", sa.String(length=60), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=True),
        sa.Column("format", sa.String(length=20), nullable=True),
        sa.Column("file_name", sa.String(length=500), nullable=True),
        sa.Column("file_hash", sa.String(length=64), nullable=True),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["watchlist_source.id"],
            name=op.f("fk_watchlist_version_source_id_watchlist_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_version")),
        sa.UniqueConstraint("source_id", "version_no", name=op.f("uq_watchlist_version_source_id")),
    )
    with op.batch_alter_table("watchlist_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_watchlist_version_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "watchlist_entry",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("source_id", sa.String(length=60), nullable=False),
        sa.Column("entry_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column(
            "added_version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "removed_version_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["added_version_id"],
            ["watchlist_version.id"],
            name=op.f("fk_watchlist_entry_added_version_id_watchlist_version"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["watchlist_source.id"],
            name=op.f("fk_watchlist_entry_source_id_watchlist_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_entry")),
    )
    with op.batch_alter_table("watchlist_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_watchlist_entry_current", ["source_id", "removed_version_id"], unique=False
        )
        batch_op.create_index("ix_watchlist_entry_entry", ["source_id", "entry_id"], unique=False)

    op.create_table(
        "assessment",
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["flight.id"],
            name=op.f("fk_assessment_flight_id_flight"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_assessment_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("traveller_id", "flight_id", "kind", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_flight_id"), ["flight_id"], unique=False)

    op.create_table(
        "hit",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column(
            "traveller_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "booking_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "flight_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("source_id", sa.String(length=60), nullable=True),
        sa.Column("entry_id", sa.String(length=100), nullable=True),
        sa.Column("rule_id", sa.String(length=60), nullable=True),
        sa.Column("rule_version", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("features", sa.Text(), nullable=False),
        sa.Column("algorithm_version", sa.String(length=60), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("subject_digest", sa.String(length=64), nullable=True),
        sa.Column("entry_digest", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_hit_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flight.id"], name=op.f("fk_hit_flight_id_flight"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_hit_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hit")),
    )
    with op.batch_alter_table("hit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hit_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hit_fingerprint"), ["fingerprint"], unique=False)
        batch_op.create_index(batch_op.f("ix_hit_flight_id"), ["flight_id"], unique=False)
        batch_op.create_index("ix_hit_status_created", ["status", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_hit_traveller_id"), ["traveller_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("hit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hit_traveller_id"))
        batch_op.drop_index("ix_hit_status_created")
        batch_op.drop_index(batch_op.f("ix_hit_flight_id"))
        batch_op.drop_index(batch_op.f("ix_hit_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_hit_booking_id"))

    op.drop_table("hit")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_flight_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("watchlist_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_watchlist_entry_entry")
        batch_op.drop_index("ix_watchlist_entry_current")

    op.drop_table("watchlist_entry")
    with op.batch_alter_table("watchlist_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watchlist_version_source_id"))

    op.drop_table("watchlist_version")
    op.drop_table("watchlist_source")
    with op.batch_alter_table("targeting_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_targeting_rule_status"))

    op.drop_table("targeting_rule")
    with op.batch_alter_table("assess_job", schema=None) as batch_op:
        batch_op.drop_index("ix_assess_job_scope")

    op.drop_table("assess_job")
