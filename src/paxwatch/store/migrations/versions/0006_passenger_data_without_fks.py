"""Passenger data without foreign-key constraints (issue 8: retention speed).

The 35 ``ON DELETE CASCADE`` foreign keys that point at ``booking``, ``booking_version``,
``traveller``, ``api_message`` and ``api_traveller`` are dropped; the columns and their
indexes stay. Those rows are only deleted by the retention job and data-subject erasure,
both through ``paxwatch.privacy.purge.purge``, which deletes the dependent rows of
each table first, one bulk statement per table: the constraints only made the database
check every deleted parent row again, row by row and table by table (on PostgreSQL one
trigger call per row and referencing table, most of the retention job's time).
Integrity is kept by ``purge`` (child-first) and checked by ``orphan_counts`` in the tests.

SQLite cannot ``ALTER TABLE ... DROP CONSTRAINT``. Rebuilding the tables (Alembic batch
mode) would copy every passenger row and, with ``foreign_keys=ON``, the ``DROP TABLE`` of a
rebuilt parent would cascade into the tables still referring to it. Removing a foreign-key
clause does not change the file format, so the table definitions are edited in place as
the SQLite documentation describes for exactly this change ("Making Other Kinds Of Table
Schema Changes", lang_altertable.html section 7: ``writable_schema``, then a new
``schema_version``), in the migration's transaction and in constant time whatever the size
of the store. Every edited definition is first parsed by an in-memory SQLite database.

Revision ID: 0006
Revises: 0005
Create Date: 2027-01-08
"""

import re
import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, referenced table): frozen here, later changes are new revisions.
DROPPED: tuple[tuple[str, str, str], ...] = (
    ("agency", "version_id", "booking_version"),
    ("api_message_flight", "api_message_id", "api_message"),
    ("api_pnr_link", "api_traveller_id", "api_traveller"),
    ("api_pnr_link", "booking_id", "booking"),
    ("api_pnr_link", "traveller_id", "traveller"),
    ("api_traveller", "api_message_id", "api_message"),
    ("api_traveller_flight", "api_traveller_id", "api_traveller"),
    ("assessment", "traveller_id", "traveller"),
    ("bag", "api_traveller_id", "api_traveller"),
    ("bag", "traveller_id", "traveller"),
    ("booking_flight", "booking_id", "booking"),
    ("booking_leg", "version_id", "booking_version"),
    ("booking_version", "booking_id", "booking"),
    ("contact", "traveller_id", "traveller"),
    ("contact", "version_id", "booking_version"),
    ("document", "api_traveller_id", "api_traveller"),
    ("document", "traveller_id", "traveller"),
    ("frequent_flyer", "traveller_id", "traveller"),
    ("hit", "booking_id", "booking"),
    ("hit", "traveller_id", "traveller"),
    ("identifier", "api_traveller_id", "api_traveller"),
    ("identifier", "booking_id", "booking"),
    ("identifier", "traveller_id", "traveller"),
    ("identifier", "version_id", "booking_version"),
    ("masked_record", "api_traveller_id", "api_traveller"),
    ("masked_record", "version_id", "booking_version"),
    ("payment", "traveller_id", "traveller"),
    ("payment", "version_id", "booking_version"),
    ("push_booking", "booking_id", "booking"),
    ("retention_flag", "api_traveller_id", "api_traveller"),
    ("retention_flag", "booking_id", "booking"),
    ("seat", "traveller_id", "traveller"),
    ("ticket", "traveller_id", "traveller"),
    ("traveller", "booking_id", "booking"),
    ("traveller", "version_id", "booking_version"),
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
        columns = probe.execute(f'SELECT * FROM "{table}"').description
        if not columns:
            raise RuntimeError(f"0006: the new definition of {table} has no columns")
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
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    return {str(name): str(sql) for name, sql in rows}


def _sqlite_upgrade() -> None:
    definitions = _sqlite_definitions()
    edit: dict[str, str] = {}
    for table, column, parent in DROPPED:
        sql = edit.get(table, definitions[table])
        new, count = _clause(column, parent).subn("", sql)
        if count > 1:
            raise RuntimeError(f"0006: {table}.{column} has {count} foreign keys to {parent}")
        if count:
            edit[table] = new
    if edit:
        _edit_sqlite_schema(edit)


def _orphans(table: str, column: str, parent: str) -> int:
    query = (
        f'SELECT count(*) FROM "{table}" c WHERE c."{column}" IS NOT NULL AND NOT EXISTS '
        f'(SELECT 1 FROM "{parent}" p WHERE p.id = c."{column}")'
    )
    return int(op.get_bind().execute(sa.text(query)).scalar() or 0)


def upgrade() -> None:
    """Drop the foreign keys of ``DROPPED`` (columns and indexes stay)."""
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
        return
    for table, column, parent in DROPPED:
        name = _name(table, column, parent)
        op.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')


def downgrade() -> None:
    """Restore the foreign keys; refused while a row refers to a deleted one."""
    for table, column, parent in DROPPED:
        orphans = _orphans(table, column, parent)
        if orphans:
            raise RuntimeError(
                f"{orphans} rows of {table}.{column} refer to no {parent}: "
                "delete them before downgrading below 0006"
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
