"""Transmissions indexed by flight and by time (issue 8: retention that scales).

- ``ix_transmission_flight_id``: sealing a flight's figures (``privacy.flight_figures``)
  counts the travellers exchanged per flight, once for every chunk of flights the
  retention job touches; without an index each chunk read the whole disclosure log, which
  is kept five years (Art 13(6)).
- ``ix_transmission_at``: the retention job erases snapshots at the mask age and deletes
  records after five years, by the time they were sent.

Revision ID: 0011
Revises: 0010
Create Date: 2027-01-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_transmission_flight_id", "transmission", ["flight_id"])
    op.create_index("ix_transmission_at", "transmission", ["at"])


def downgrade() -> None:
    op.drop_index("ix_transmission_at", table_name="transmission")
    op.drop_index("ix_transmission_flight_id", table_name="transmission")
