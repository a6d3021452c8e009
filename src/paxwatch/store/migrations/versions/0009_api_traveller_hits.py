"""Hits of API travellers that match no booking (issue 5: every passenger assessed).

- ``hit.api_traveller_id``: the API (PAXLST) traveller a hit was raised on, when it was
  screened on its own (crew, transit passengers, a traveller whose PNR never arrived or
  was not correlated). An owned reference without a constraint, like ``traveller_id``
  (migration ``0006``): ``paxwatch.privacy.purge`` deletes the hits of a deleted API
  traveller first. Indexed.
- ``api_assessment``: which assessment (kind + list-set or rule-set digest) ran on which
  API traveller on which flight, as ``assessment`` does for booked travellers.

Revision ID: 0009
Revises: 0008
Create Date: 2027-01-20
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("hit", sa.Column("api_traveller_id", _ID, nullable=True))
    op.create_index("ix_hit_api_traveller_id", "hit", ["api_traveller_id"])
    op.create_table(
        "api_assessment",
        sa.Column("api_traveller_id", _ID, nullable=False),
        sa.Column("flight_id", _ID, nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"],
            ["flight.id"],
            name="fk_api_assessment_flight_id_flight",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("api_traveller_id", "flight_id", "kind", name="pk_api_assessment"),
    )
    op.create_index("ix_api_assessment_flight_id", "api_assessment", ["flight_id"])


def downgrade() -> None:
    op.drop_index("ix_api_assessment_flight_id", table_name="api_assessment")
    op.drop_table("api_assessment")
    op.drop_index("ix_hit_api_traveller_id", table_name="hit")
    with op.batch_alter_table("hit") as batch:
        batch.drop_column("api_traveller_id")
