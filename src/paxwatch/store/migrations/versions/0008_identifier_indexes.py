"""Fewer and smaller indexes on the passenger rows (issue 8: retention speed).

``identifier`` holds about five rows per passenger and had five indexes besides its key:
keeping them up is most of what deleting (and storing) a passenger's rows costs. The code
searches it by ``(kind, value)`` only (link analysis) and deletes its rows by booking
version (a booked traveller's or booking's identifiers: every such row has its
``version_id``) or by API traveller. So:

- ``ix_identifier_booking_id`` and ``ix_identifier_traveller_id`` are dropped (no query
  uses them; ``paxwatch.privacy.purge`` deletes those rows through their version);
- ``ix_identifier_version_id`` and ``ix_identifier_api_traveller_id`` become partial
  indexes of the rows where the column is set (``... WHERE column IS NOT NULL``): a booked
  traveller's identifier is no longer an entry of the API traveller index and the other way
  round (both databases keep NULLs in an ordinary index).

The same partial form for the other owner columns that are NULL in a large share of the
rows: ``document`` and ``bag`` (a booked or an API traveller's), ``contact.traveller_id``
and ``payment.traveller_id`` (mostly the booking's). Every query on them matches a value
(``=``, ``IN``, a join), which implies ``IS NOT NULL``: both planners use the partial index.

Plain ``CREATE INDEX`` / ``DROP INDEX`` on both databases (no table rebuild).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTIAL = (
    ("identifier", "ix_identifier_version_id", "version_id"),
    ("identifier", "ix_identifier_api_traveller_id", "api_traveller_id"),
    ("document", "ix_document_traveller_id", "traveller_id"),
    ("document", "ix_document_api_traveller_id", "api_traveller_id"),
    ("bag", "ix_bag_traveller_id", "traveller_id"),
    ("bag", "ix_bag_api_traveller_id", "api_traveller_id"),
    ("contact", "ix_contact_traveller_id", "traveller_id"),
    ("payment", "ix_payment_traveller_id", "traveller_id"),
)
_DROPPED = (
    ("ix_identifier_booking_id", "booking_id"),
    ("ix_identifier_traveller_id", "traveller_id"),
)


def _partial(table: str, name: str, column: str) -> None:
    where = text(f"{column} IS NOT NULL")
    op.create_index(name, table, [column], sqlite_where=where, postgresql_where=where, unique=False)


def upgrade() -> None:
    for name, _column in _DROPPED:
        op.drop_index(name, table_name="identifier")
    for table, name, column in _PARTIAL:
        op.drop_index(name, table_name=table)
        _partial(table, name, column)


def downgrade() -> None:
    for table, name, column in _PARTIAL:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column], unique=False)
    for name, column in _DROPPED:
        op.create_index(name, "identifier", [column], unique=False)
