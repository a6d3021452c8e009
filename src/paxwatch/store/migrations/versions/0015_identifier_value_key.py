"""Retention that scales (issue 8): ``identifier`` is searched through a 64-bit key.

``identifier`` holds about five rows per passenger, and its ``(kind, value)`` text index
was about 80 % of what deleting them cost the retention job on SQLite (random positions in
a b-tree of long keys, rewritten page by page in every chunk). The only reader of that
index is ``find_identifier`` (link analysis). ``value_key`` is BLAKE2b of ``kind NUL value``
with an 8-byte digest, as a signed integer (``schema_parts.identifier_key``, computed by
the row builders for every new row), indexed alone (``ix_identifier_value_key``);
``find_identifier`` looks the key up and compares ``kind`` and ``value`` too, so two
identifiers sharing a key are told apart. The existing rows get their key here, in batches
of ids (computed in Python, the same function as the writers'; on SQLite called by the
``UPDATE`` itself), then the column becomes NOT NULL (on SQLite by rebuilding the table)
and the old index is dropped. The downgrade restores ``ix_identifier_kind_value`` and
drops the column.

``ix_agency_iata_number`` is dropped too: no query looks an agency up by its IATA number
(the rules read the booking's content), and every version stored or deleted updated it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from paxwatch.store.schema_parts import identifier_key

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Rows keyed per statement.
BATCH = 50_000


def _fill_keys(bind: sa.Connection) -> None:
    """Give every row its ``value_key``, walking ids upwards in batches."""
    if bind.dialect.name == "sqlite":
        # The key function inside SQLite: one UPDATE per range of ids, no rows fetched.
        driver = bind.connection.driver_connection
        driver.create_function(  # type: ignore[union-attr]
            "paxwatch_identifier_key", 2, identifier_key, deterministic=True
        )
        top = bind.execute(sa.text("SELECT max(id) FROM identifier")).scalar() or 0
        for low in range(0, top, BATCH):
            bind.execute(
                sa.text(
                    "UPDATE identifier SET value_key = paxwatch_identifier_key(kind, value) "
                    "WHERE id > :low AND id <= :high"
                ),
                {"low": low, "high": low + BATCH},
            )
        return
    last = 0
    while True:
        rows = bind.execute(
            sa.text("SELECT id, kind, value FROM identifier WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        bind.execute(
            sa.text(
                "UPDATE identifier SET value_key = u.k FROM unnest("
                "CAST(:ids AS bigint[]), CAST(:keys AS bigint[])) AS u(i, k) "
                "WHERE identifier.id = u.i"
            ),
            {"ids": [r[0] for r in rows], "keys": [identifier_key(r[1], r[2]) for r in rows]},
        )


def upgrade() -> None:
    op.add_column("identifier", sa.Column("value_key", sa.BigInteger(), nullable=True))
    _fill_keys(op.get_bind())
    op.drop_index("ix_identifier_kind_value", table_name="identifier")
    with op.batch_alter_table("identifier", schema=None) as batch_op:
        batch_op.alter_column("value_key", existing_type=sa.BigInteger(), nullable=False)
    op.create_index("ix_identifier_value_key", "identifier", ["value_key"], unique=False)
    op.drop_index("ix_agency_iata_number", table_name="agency")


def downgrade() -> None:
    op.create_index("ix_agency_iata_number", "agency", ["iata_number"], unique=False)
    op.drop_index("ix_identifier_value_key", table_name="identifier")
    with op.batch_alter_table("identifier", schema=None) as batch_op:
        batch_op.drop_column("value_key")
    op.create_index("ix_identifier_kind_value", "identifier", ["kind", "value"], unique=False)
