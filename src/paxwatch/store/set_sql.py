"""Set-based writes on PostgreSQL: one statement over arrays instead of one per row.

``execute_rows`` (``rows.py``) runs an ``executemany``: on PostgreSQL psycopg pipelines it
(one round trip), but the server still binds, starts and ends an executor for every row,
which costs it several times what the row itself does (an upsert of ``booking_flight`` or
an ``UPDATE booking ... WHERE id = ?``: 10-17 µs of server CPU per row, against 2-4 µs
for the same rows in one statement). Here the rows are sent as one array per column and
the statement reads them with ``unnest``: one bind, one executor, one plan. The statement
text does not depend on the number of rows, so psycopg prepares it after a few batches
(``prepare_threshold``) and the server stops parsing and planning it.

``rows_or_arrays`` runs the ``executemany`` form on SQLite and the array form on
PostgreSQL; both are given by the caller, which keeps the two texts side by side.
Values must be in database form (``rows.database_tuples``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from paxwatch.store.rows import SqlResult, execute_rows, run_sql


def columns_of(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """``rows`` as one list per column (the arrays of an ``unnest``)."""
    if not rows:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*rows, strict=True)]


def rows_or_arrays(
    conn: Connection,
    many: str,
    arrays: str,
    rows: Sequence[Sequence[Any]],
    *,
    prefix: Sequence[Any] = (),
) -> None:
    """Write ``rows``: ``executemany`` of ``many`` (``?`` placeholders, one row each) on
    SQLite, or ``arrays`` once on PostgreSQL with the scalars ``prefix`` then one array per
    column of ``rows`` as its parameters."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        execute_rows(conn, many, [(*prefix, *row) for row in rows])
        return
    run_arrays(conn, arrays, rows, prefix=prefix)


def run_arrays(
    conn: Connection, sql: str, rows: Sequence[Sequence[Any]], *, prefix: Sequence[Any] = ()
) -> SqlResult:
    """Run ``sql`` (PostgreSQL, ``?`` placeholders) once with the scalars ``prefix`` then
    one array per column of ``rows``."""
    width = len(rows[0]) if rows else 0
    return run_sql(conn, sql, (*prefix, *columns_of(rows, width)))


def any_of(conn: Connection, values: Sequence[Any], sql_type: str) -> tuple[str, list[Any]]:
    """A condition on a column matching any of ``values`` (follows the column in the SQL)
    and its parameters: ``IN (?, ?, ...)`` on SQLite; ``= ANY(?::type[])`` on PostgreSQL, one
    array whatever the number of values, so that psycopg need not parse a statement of
    hundreds of placeholders and the text repeats (it gets prepared). ``sql_type``: the
    column's type (``bigint``, ``text``), so that the comparison uses its index."""
    if conn.dialect.name == "postgresql":
        return f"= ANY(?::{sql_type}[])", [list(values)]
    return f"IN ({', '.join('?' * len(values))})", list(values)
