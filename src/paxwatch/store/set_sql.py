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
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from paxwatch.store.rows import SqlResult, execute_rows, run_sql


def columns_of(rows: Sequence[Sequence[Any]], width: int) -> list[Any]:
    """``rows`` as one array per column (the arrays of an ``unnest``), each as
    ``array_literal`` gives it."""
    if not rows:
        return [array_literal(()) for _ in range(width)]
    return [array_literal(column) for column in zip(*rows, strict=True)]


def array_literal(values: Sequence[Any]) -> Any:
    """``values`` as the text of a PostgreSQL array (``{1,2,NULL}``, ``{"a","b"}``), which
    the statement casts to the column's array type; or, when a value is of another kind
    than an integer, a text or a naive date-time, the list itself (psycopg adapts it).

    psycopg adapts a list element by element in Python: for the arrays of a batch (hundreds
    of values each) that cost about 40 times as much client CPU as this text, inside the
    write transaction that every writer waits for. An array of texts none of which has a
    quote or a backslash (keys, locators, codes: nearly all of them) is joined at once
    rather than value by value: the same text."""
    if values and type(values[0]) is str and set(map(type, values)) == {str}:
        every = "".join(values)
        if "\\" not in every and '"' not in every:
            return '{"' + '","'.join(values) + '"}'
    out: list[str] = []
    # A batch's times repeat (one per input, for all its rows): each is written once.
    times: dict[datetime, str] = {}
    for value in values:
        kind = type(value)
        if value is None:
            out.append("NULL")
        elif kind is int:
            out.append(str(value))
        elif kind is str:
            out.append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
        elif kind is datetime and value.tzinfo is None:
            text = times.get(value)
            if text is None:
                text = times[value] = '"' + value.isoformat(" ") + '"'
            out.append(text)
        else:
            return list(values)
    return "{" + ",".join(out) + "}"


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
        return f"= ANY(?::{sql_type}[])", [array_literal(values)]
    return f"IN ({', '.join('?' * len(values))})", list(values)
