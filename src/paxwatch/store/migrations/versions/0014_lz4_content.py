"""Ingest on PostgreSQL (issue 4): the booking versions' content and the archived bodies
compressed with LZ4 instead of pglz.

``booking_version.content`` (the canonical JSON of a booking, about 1.5 kB) and
``raw_message.body`` (the redacted archive copy) are written in the serial part of every
ingest batch. A row past about 2 kB is compressed by the server before it is stored: with
the default method, pglz, that costs several times what LZ4 does (for a similar size).
Only the compression of new values changes: the stored ones stay readable as they are, and
every reader sees the same text and bytes. PostgreSQL built without LZ4 (the method is not
in ``default_toast_compression``'s choices) and SQLite are left alone.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, column) compressed with LZ4.
COMPRESSED = (("booking_version", "content"), ("raw_message", "body"))


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    choices = bind.execute(
        sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    return "lz4" in (choices or ())


def _set(method: str) -> None:
    if not _lz4_available():
        return
    for table, column in COMPRESSED:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method}")


def upgrade() -> None:
    _set("lz4")


def downgrade() -> None:
    _set("DEFAULT")
