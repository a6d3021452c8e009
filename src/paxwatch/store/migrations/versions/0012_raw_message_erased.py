"""Retention that scales (issue 8): an ``erased`` marker on archived raw messages, and no
indexes on names and document numbers that no reader uses.

The retention job erases archived bodies at ``raw_archive_hours`` (or the mask age). It found
the bodies left to erase by comparing every old body with the erased one
(``body != '*ERASED*'``): each run read the whole archive older than the cutoff again, five
years of it in the end, and the cost of a run grew with the age of the store. ``erased`` is
set with the body (``privacy.depersonalise.erase_raw``), and the partial index
``ix_raw_message_unerased`` (``received_at`` of the rows not erased yet) hands the job only
the bodies it still has to erase. The ingest needs no change: the column defaults to false.
Existing erased bodies are marked here.

``ix_traveller_surname``, ``ix_api_traveller_surname`` and ``ix_document_number`` are
dropped: the look-ups by name or document number go through the match keys
(``name_key``, ``number_key``, migration 0010) and ``identifier``; the data subject search
compares ``upper(...)``, which no plain index serves. Each deleted or masked traveller,
API traveller and document had to update them (on SQLite a random b-tree delete per row
and index, the rows of one month spread over the whole index).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ERASED = b"*ERASED*"
UNUSED = (
    ("ix_traveller_surname", "traveller", "surname"),
    ("ix_api_traveller_surname", "api_traveller", "surname"),
    ("ix_document_number", "document", "number"),
)


def upgrade() -> None:
    op.add_column(
        "raw_message",
        sa.Column("erased", sa.Boolean(), nullable=False, server_default=sa.text("false")),
    )
    op.get_bind().execute(
        sa.text("UPDATE raw_message SET erased = :yes WHERE body = :erased"),
        {"yes": True, "erased": ERASED},
    )
    op.create_index(
        "ix_raw_message_unerased",
        "raw_message",
        ["received_at"],
        unique=False,
        sqlite_where=sa.text("erased = 0"),
        postgresql_where=sa.text("NOT erased"),
    )
    for name, table, _column in UNUSED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, column in UNUSED:
        op.create_index(name, table, [column], unique=False)
    op.drop_index("ix_raw_message_unerased", table_name="raw_message")
    op.drop_column("raw_message", "erased")
