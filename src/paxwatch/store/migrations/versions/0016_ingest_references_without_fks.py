"""Ingest tables without foreign keys to the archive, flights and pushes (issue 4).

Every ingest batch inserts ``booking_version``, ``booking_flight``, ``deletion_log``,
``push_booking`` and API rows that point at an archived message (``raw_message``), a
flight or a full push, through ``ON DELETE CASCADE`` foreign keys, and the database
checked every inserted row against its parent: on PostgreSQL one trigger per row and
constraint, a lookup and a ``FOR KEY SHARE`` lock of the parent row (about a tenth of the
server's CPU per push in ``bench/ingest_pg_profile.py``, mostly in the write turn). The 13
constraints of ``DROPPED`` go; the columns and their indexes stay. Flights and pushes are
never deleted. Archived messages are, by the retention job's 5-year step: the references
to them are now owner columns (``Column.info[OWNER]``, as migration ``0006`` made the
passenger data's), so ``privacy.purge`` deletes the rows that refer to a deleted message
first, in bulk, as the cascade did row by row (``orphan_counts`` checks them). The ingest
writes the parent first, in the same transaction; ``tests/store/test_migration_0016.py``
checks that every such reference resolves after an ingest.

SQLite: the table definitions are edited in place, as migration ``0006`` does (see there:
``writable_schema``, a new ``schema_version``, each new definition parsed first), in
constant time. The downgrade restores the constraints and refuses while a row refers to a
missing parent.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28
"""

import re
import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, referenced table): frozen here, later changes are new revisions.
DROPPED: tuple[tuple[str, str, str], ...] = (
    ("api_message", "raw_message_id", "raw_message"),
    ("api_message_flight", "flight_id", "flight"),
    ("api_pnr_link", "flight_id", "flight"),
    ("api_traveller_flight", "flight_id", "flight"),
    ("booking_flight", "flight_id", "flight"),
    ("booking_flight", "last_raw_message_id", "raw_message"),
    ("booking_version", "flight_id", "flight"),
    ("booking_version", "raw_message_id", "raw_message"),
    ("deletion_log", "raw_message_id", "raw_message"),
    ("push", "flight_id", "flight"),
    ("push_booking", "push_id", "push"),
    ("push_part", "push_id", "push"),
    ("push_part", "raw_message_id", "raw_message"),
)


def _name(table: str, column: str, parent: str) -> str:
    return f"fk_{table}_{column}_{parent}"


def _q(name: str) -> str:
    return rf"[\"`\[]?{re.escape(name)}[\"`\]]?"


def _clause(column: str, parent: str) -> re.Pattern[str]:
    """A table-level ``[CONSTRAINT name] FOREIGN KEY(column) REFERENCES parent (id) ...``
    clause of a ``CREATE TABLE`` statement, with its leading comma."""
    return re.compile(
        rf",\s*(?:CONSTRAINT\s+\S+\s+)?FOREIGN\s+KEY\s*\(\s*{_q(column)}\s*\)\s*"
        rf"REFERENCES\s+{_q(parent)}\s*\(\s*{_q('id')}\s*\)(?:\s+ON\s+DELETE\s+CASCADE)?",
        re.IGNORECASE,
    )


def _check_parses(table: str, sql: str) -> None:
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute(sql)
        if not probe.execute(f'SELECT * FROM "{table}"').description:
            raise RuntimeError(f"0016: the new definition of {table} has no columns")
    finally:
        probe.close()


def _edit_sqlite_schema(edit: dict[str, str]) -> None:
    """Replace the ``CREATE TABLE`` statements of ``edit`` (table → SQL) in place."""
    conn = op.get_bind()
    for table, sql in edit.items():
        _check_parses(table, sql)
    version = int(conn.exec_driver_sql("PRAGMA schema_version").scalar() or 0)
    conn.exec_driver_sql("PRAGMA writable_schema=ON")
    try:
        for table, sql in edit.items():
            conn.execute(
                sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :t"),
                {"sql": sql, "t": table},
            )
        conn.exec_driver_sql(f"PRAGMA schema_version={version + 1}")
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema=OFF")


def _sqlite_definitions() -> dict[str, str]:
    rows = op.get_bind().execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    )
    return {str(name): str(sql) for name, sql in rows}


def _orphans(table: str, column: str, parent: str) -> int:
    query = (
        f'SELECT count(*) FROM "{table}" c WHERE c."{column}" IS NOT NULL AND NOT EXISTS '
        f'(SELECT 1 FROM "{parent}" p WHERE p.id = c."{column}")'
    )
    return int(op.get_bind().execute(sa.text(query)).scalar() or 0)


def upgrade() -> None:
    """Drop the foreign keys of ``DROPPED``."""
    if op.get_bind().dialect.name != "sqlite":
        for table, column, parent in DROPPED:
            name = _name(table, column, parent)
            op.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')
        return
    definitions = _sqlite_definitions()
    edit: dict[str, str] = {}
    for table, column, parent in DROPPED:
        sql = edit.get(table, definitions[table])
        new, count = _clause(column, parent).subn("", sql)
        if count > 1:
            raise RuntimeError(f"0016: {table}.{column} has {count} foreign keys to {parent}")
        if count:
            edit[table] = new
    if edit:
        _edit_sqlite_schema(edit)


def downgrade() -> None:
    """Restore the foreign keys; refused while a row refers to a missing parent."""
    for table, column, parent in DROPPED:
        orphans = _orphans(table, column, parent)
        if orphans:
            raise RuntimeError(
                f"{orphans} rows of {table}.{column} refer to no {parent}: "
                "delete them before downgrading below 0016"
            )
    if op.get_bind().dialect.name != "sqlite":
        for table, column, parent in DROPPED:
            op.create_foreign_key(
                _name(table, column, parent), table, parent, [column], ["id"], ondelete="CASCADE"
            )
        return
    definitions = _sqlite_definitions()
    edit: dict[str, str] = {}
    for table, column, parent in DROPPED:
        sql = edit.get(table, definitions[table])
        if _clause(column, parent).search(sql):
            continue
        end = sql.rstrip().rfind(")")
        clause = (
            f", \n\tCONSTRAINT {_name(table, column, parent)} FOREIGN KEY({column}) "
            f"REFERENCES {parent} (id) ON DELETE CASCADE\n"
        )
        edit[table] = sql[:end].rstrip() + clause + sql[end:]
    if edit:
        _edit_sqlite_schema(edit)
