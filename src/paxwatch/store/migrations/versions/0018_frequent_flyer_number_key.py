"""Ingest and retention that scale (issues 4 and 8): frequent-flyer numbers keyed in place.

As documents before them (migration ``0017``), frequent-flyer numbers were stored twice: a
``frequent_flyer`` row and an ``identifier`` row of kind ``frequent_flyer``
(``AIRLINE:NUMBER``) with three index entries (key, ``value_key``, ``version_id``). The
normalised value now lives in the row itself, ``frequent_flyer.number_key``, with a partial
index of the rows that have one (one index entry instead of a row and three), and
``find_identifier`` reads it there (``store.identifiers``). Masking clears it
(``privacy.depersonalise``), as it deleted a masked version's identifier rows.

The upgrade adds the column and its index, fills the key of every frequent-flyer number of
a version not masked (those of masked versions had lost their identifier rows) in batches
of ids, and deletes the ``identifier`` rows of kind ``frequent_flyer``. The downgrade writes
those rows again from the keys, then drops the index and the column.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from paxwatch.store.keys import frequent_flyer_identifier
from paxwatch.store.schema_parts import identifier_key

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Rows read per statement.
BATCH = 50_000
_WHERE = sa.text("number_key IS NOT NULL")


def _fill(bind: sa.Connection) -> None:
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT f.id, f.airline, f.number FROM frequent_flyer f "
                "JOIN traveller t ON t.id = f.traveller_id "
                "LEFT OUTER JOIN masked_record m ON m.version_id = t.version_id "
                "WHERE f.id > :last AND m.id IS NULL ORDER BY f.id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        keys = [
            {"i": fid, "k": key}
            for fid, airline, number in rows
            if (key := frequent_flyer_identifier(airline, number)) is not None
        ]
        if keys:
            bind.execute(sa.text("UPDATE frequent_flyer SET number_key = :k WHERE id = :i"), keys)


def upgrade() -> None:
    op.add_column("frequent_flyer", sa.Column("number_key", sa.String(60), nullable=True))
    _fill(op.get_bind())
    op.create_index(
        "ix_frequent_flyer_number_key",
        "frequent_flyer",
        ["number_key"],
        unique=False,
        sqlite_where=_WHERE,
        postgresql_where=_WHERE,
    )
    op.execute("DELETE FROM identifier WHERE kind = 'frequent_flyer'")


def downgrade() -> None:
    bind = op.get_bind()
    identifier = sa.table(
        "identifier",
        sa.column("kind"),
        sa.column("value"),
        sa.column("booking_id"),
        sa.column("version_id"),
        sa.column("traveller_id"),
        sa.column("value_key"),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT f.id, f.number_key, f.traveller_id, t.booking_id, t.version_id "
                "FROM frequent_flyer f JOIN traveller t ON t.id = f.traveller_id "
                "WHERE f.id > :last AND f.number_key IS NOT NULL ORDER BY f.id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        last = rows[-1][0]
        bind.execute(
            sa.insert(identifier),
            [
                {
                    "kind": "frequent_flyer",
                    "value": key,
                    "booking_id": bid,
                    "version_id": vid,
                    "traveller_id": tid,
                    "value_key": identifier_key("frequent_flyer", key),
                }
                for _id, key, tid, bid, vid in rows
            ],
        )
    op.drop_index("ix_frequent_flyer_number_key", table_name="frequent_flyer")
    with op.batch_alter_table("frequent_flyer", schema=None) as batch_op:
        batch_op.drop_column("number_key")
