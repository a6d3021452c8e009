"""Matching keys for incremental API ↔ PNR correlation (issue 4: ingest speed).

``paxwatch.store.relink`` re-matches only what a batch changed and looks booked and API
travellers up by the keys ``correlate`` compares, through an index:

- ``traveller.name_key`` and ``api_traveller.name_key``: normalised surname, first given
  name and date of birth (``keys.name_key``; NULL without a surname or a date of birth);
- ``document.number_key``: the normalised document number (``keys.norm_document_number``).

Each has a partial index of the rows where it is set. The rows already stored are filled
in here (in chunks, with the functions that fill new rows).

The keys are personal data derived from masked columns: depersonalisation (Art 12(2))
masks the names, dates of birth and document numbers with ``UPDATE``s, so a trigger on each
table clears the key whenever one of its source columns changes (both databases): a
masked row keeps no readable copy of what was masked, and is matched on nothing.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from paxwatch.store.keys import name_key, norm_document_number

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, key column, the columns it derives from, index).
_KEYS = (
    ("traveller", "name_key", ("surname", "given_names", "date_of_birth"), 320),
    ("api_traveller", "name_key", ("surname", "given_names", "date_of_birth"), 320),
    ("document", "number_key", ("number",), 60),
)
_CHUNK = 5000


def _backfill(table: str, key: str, sources: tuple[str, ...]) -> None:
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.text(
                f"SELECT id, {', '.join(sources)} FROM {table} WHERE id > :last "
                f"ORDER BY id LIMIT {_CHUNK}"
            ),
            {"last": last},
        ).all()
        if not rows:
            return
        last = int(rows[-1][0])
        values = []
        for row in rows:
            if key == "name_key":
                value = name_key(row[1], row[2], row[3])
            else:
                value = norm_document_number(row[1])
            if value is not None:
                values.append({"i": int(row[0]), "v": value})
        if values:
            conn.execute(sa.text(f"UPDATE {table} SET {key} = :v WHERE id = :i"), values)


def _create_trigger(table: str, key: str, sources: tuple[str, ...]) -> None:
    name = f"trg_{table}_clear_{key}"
    if op.get_bind().dialect.name == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in sources)
        op.execute(
            f"CREATE TRIGGER {name} AFTER UPDATE OF {', '.join(sources)} ON {table} "
            f"FOR EACH ROW WHEN {changed} "
            f"BEGIN UPDATE {table} SET {key} = NULL WHERE id = NEW.id; END"
        )
        return
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in sources)
    op.execute(
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN NEW.{key} := NULL; RETURN NEW; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {name} BEFORE UPDATE OF {', '.join(sources)} ON {table} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {name}()"
    )


def _drop_trigger(table: str, key: str) -> None:
    name = f"trg_{table}_clear_{key}"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def upgrade() -> None:
    for table, key, sources, length in _KEYS:
        op.add_column(table, sa.Column(key, sa.String(length), nullable=True))
        _backfill(table, key, sources)
        where = sa.text(f"{key} IS NOT NULL")
        op.create_index(
            f"ix_{table}_{key}", table, [key], sqlite_where=where, postgresql_where=where
        )
        _create_trigger(table, key, sources)


def downgrade() -> None:
    for table, key, _sources, _length in reversed(_KEYS):
        _drop_trigger(table, key)
        op.drop_index(f"ix_{table}_{key}", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column(key)
