"""Retention that scales (issue 8): a ``masked`` marker on booking versions and API
travellers.

The mask-age step of the retention job found the versions (and API travellers) left to
depersonalise by probing ``masked_record`` for every row older than the mask age: each run
read again every masked row the policy keeps, the flagged 1 % under the EU profile and
every row from 6 months to 5 years old under the UK one, so the cost of a daily run grew
with the age of the store. ``masked`` is set with the masked content
(``privacy.depersonalise``), and the partial indexes ``ix_booking_version_unmasked`` and
``ix_api_traveller_unmasked`` (the ids of the rows not masked yet) hand the job only the
rows it still has to mask. The ingest needs no change: the columns default to false.
Existing masked rows (those with a ``masked_record``) are marked here.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, its column in masked_record, index)
MARKED = (
    ("booking_version", "version_id", "ix_booking_version_unmasked"),
    ("api_traveller", "api_traveller_id", "ix_api_traveller_unmasked"),
)


def upgrade() -> None:
    bind = op.get_bind()
    for table, column, index in MARKED:
        op.add_column(
            table,
            sa.Column("masked", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        )
        bind.execute(
            sa.text(
                f"UPDATE {table} SET masked = :yes WHERE id IN "
                f"(SELECT {column} FROM masked_record WHERE {column} IS NOT NULL)"
            ),
            {"yes": True},
        )
        op.create_index(
            index,
            table,
            ["id"],
            unique=False,
            sqlite_where=sa.text("masked = 0"),
            postgresql_where=sa.text("NOT masked"),
        )


def downgrade() -> None:
    for table, _column, index in MARKED:
        op.drop_index(index, table_name=table)
        op.drop_column(table, "masked")
