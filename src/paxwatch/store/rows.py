"""The bulk write helpers (the rows themselves are built in ``row_builders.py``).

They bypass SQLAlchemy's per-row statement machinery (compiling, parameter
processing, ``insertmanyvalues`` with RETURNING), which cost more than the database itself:

- ``insert_many`` turns the dicts into tuples once (applying the column types' bind
  processors, so values are stored exactly as SQLAlchemy would store them: SQLite dates as
  ISO text...) and runs one DB-API ``executemany`` on the transaction's own connection; on
  PostgreSQL a large batch goes through ``COPY ... FROM STDIN`` (psycopg 3) instead, in
  binary format when every column's type has a binary form psycopg writes in C
  (``copy_types``): a third of the client's CPU of the text format, whose dates, times and
  ``bytea`` are formatted value by value (the server's CPU is the same either way).
- ``insert_ids`` pre-allocates the primary keys (``allocate_ids``) and inserts them with the
  rows, so no RETURNING round trip is needed: on PostgreSQL with one ``nextval`` query per
  batch (sequences are safe under concurrent writers; gaps are harmless), on SQLite from
  ``max(id)`` (the single writer holds the database lock for the whole transaction, and the
  ids are inserted right after they are taken).
- ``run_sql`` / ``execute_rows`` run plain SQL (``?`` placeholders, the same text on SQLite
  and PostgreSQL) on that connection, for the statements the writer runs at every batch
  or message (SQLAlchemy would build, cache-key and compile an expression each time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.schema import Table

#: Rows from which a PostgreSQL insert uses COPY rather than a pipelined executemany.
COPY_MIN_ROWS = 64

Processor = Callable[[Any], Any]
#: The PostgreSQL types ``COPY`` writes in binary (psycopg's C dumpers), by the name
#: SQLAlchemy compiles the column type to (without its length).
_COPY_TYPES = {
    "BIGINT": "int8",
    "INTEGER": "int4",
    "SMALLINT": "int2",
    "VARCHAR": "varchar",
    "TEXT": "text",
    "DATE": "date",
    "TIMESTAMP WITHOUT TIME ZONE": "timestamp",
    "BOOLEAN": "bool",
    "BYTEA": "bytea",
}
#: The tables written in binary: those of the ingest, whose row builders give every value
#: the Python type of its column (a ``Decimal`` amount as text, enums as their values...).
#: Other writers (figures computed by SQL sums, for one) keep the lenient text format.
BINARY_COPY_TABLES = frozenset(
    {
        "agency",
        "api_message",
        "api_message_flight",
        "api_pnr_link",
        "api_traveller",
        "api_traveller_flight",
        "bag",
        "booking_leg",
        "booking_version",
        "contact",
        "deletion_log",
        "document",
        "flight_leg",
        "frequent_flyer",
        "identifier",
        "payment",
        "raw_message",
        "seat",
        "ticket",
        "traveller",
    }
)
_COPY_FORMATS: dict[tuple[str, tuple[str, ...]], tuple[str, ...] | None] = {}
_PROCESSORS: dict[tuple[str, str, tuple[str, ...]], tuple[Processor | None, ...]] = {}


def upsert_for(conn: Connection, table: Table) -> sqlite.Insert | postgresql.Insert:
    """A dialect INSERT (with ON CONFLICT support) for ``table``."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _processors(
    dialect: Dialect, table: Table, columns: tuple[str, ...]
) -> tuple[Processor | None, ...]:
    key = (dialect.name, table.name, columns)
    found = _PROCESSORS.get(key)
    if found is None:
        found = _PROCESSORS[key] = tuple(_processor(dialect, table, name) for name in columns)
    return found


def _processor(dialect: Dialect, table: Table, column: str) -> Processor | None:
    impl = table.c[column].type.dialect_impl(dialect)
    general = impl.bind_processor(dialect)
    if (
        general is not None
        and type(impl) is sqlite.DATETIME
        and impl._storage_format == sqlite.DATETIME._storage_format
    ):
        # SQLAlchemy's SQLite text form of a naive date-time, with one C call instead of a
        # format string per value (every row of every table has one or more).
        def process(value: Any) -> Any:
            if type(value) is datetime and value.tzinfo is None:
                return value.isoformat(" ", "microseconds")
            return general(value)

        return process
    if (
        general is not None
        and type(impl) is sqlite.DATE
        and impl._storage_format == sqlite.DATE._storage_format
    ):

        def process_date(value: Any) -> Any:
            return value.isoformat() if type(value) is date else general(value)

        return process_date
    return general


def _tuples(
    dialect: Dialect, table: Table, columns: tuple[str, ...], rows: Sequence[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """The dict rows as tuples in ``columns`` order, in database form (one C-level
    ``itemgetter`` call per row)."""
    take = itemgetter(*columns)
    if len(columns) == 1:
        values: list[tuple[Any, ...]] = [(take(row),) for row in rows]
    else:
        values = list(map(take, rows))
    return database_tuples(dialect, table, columns, values)


def database_tuples(
    dialect: Dialect, table: Table, columns: tuple[str, ...], values: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Rows of ``columns`` with the column types' bind processors applied, so that values
    are stored exactly as SQLAlchemy would store them (SQLite dates as ISO text...); only
    the columns that have a processor are touched."""
    converting = tuple(
        (i, p) for i, p in enumerate(_processors(dialect, table, columns)) if p is not None
    )
    if not converting:
        return values
    out: list[tuple[Any, ...]] = []
    for row in values:
        items = list(row)
        for i, p in converting:
            value = items[i]
            if value is not None:
                items[i] = p(value)
        out.append(tuple(items))
    return out


def _sql_names(dialect: Dialect, table: Table, columns: Sequence[str]) -> tuple[str, str]:
    quote = dialect.identifier_preparer.quote
    return quote(table.name), ", ".join(quote(c) for c in columns)


def execute_rows(conn: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """``executemany`` of ``sql`` (written with ``?`` placeholders) on the transaction's own
    DB-API connection; values must already be in database form."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        sql = sql.replace("?", "%s")
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with _wrapped(conn, sql):
            cursor.executemany(sql, rows)
    finally:
        cursor.close()


class SqlResult(NamedTuple):
    """What ``run_sql`` returns: the rows (if the statement returns any) and the row count."""

    rows: list[tuple[Any, ...]]
    rowcount: int


def run_sql(conn: Connection, sql: str, params: Sequence[Any] = ()) -> SqlResult:
    """Run one statement (written with ``?`` placeholders, the same on SQLite and
    PostgreSQL) on the transaction's own DB-API connection; values in database form."""
    if conn.dialect.name != "sqlite":
        sql = sql.replace("?", "%s")
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with _wrapped(conn, sql):
            cursor.execute(sql, tuple(params))
            rows = [tuple(row) for row in cursor.fetchall()] if cursor.description else []
            return SqlResult(rows, cursor.rowcount)
    finally:
        cursor.close()


@contextmanager
def _wrapped(conn: Connection, sql: str) -> Iterator[None]:
    """Raise DB-API errors as SQLAlchemy's (``IntegrityError``...), as ``conn.execute`` would,
    so that the callers' conflict handling sees them."""
    base = conn.dialect.loaded_dbapi.Error
    try:
        yield
    except base as exc:
        raise DBAPIError.instance(sql, None, exc, base) from exc


def insert_many(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert dict rows (all with the same keys) with one bulk statement."""
    if not rows:
        return
    columns = tuple(rows[0])
    insert_tuples(conn, table, columns, _tuples(conn.dialect, table, columns, rows))


def insert_tuples(
    conn: Connection, table: Table, columns: tuple[str, ...], values: Sequence[Sequence[Any]]
) -> None:
    """Insert rows given as tuples of ``columns`` (in database form) with one statement."""
    if not values:
        return
    dialect = conn.dialect
    name, names = _sql_names(dialect, table, columns)
    if dialect.name == "postgresql" and len(values) >= COPY_MIN_ROWS:
        driver = conn.connection.driver_connection
        types = copy_types(dialect, table, columns)
        sql = f"COPY {name} ({names}) FROM STDIN" + (" (FORMAT BINARY)" if types else "")
        with (
            _wrapped(conn, sql),
            driver.cursor() as cursor,  # type: ignore[union-attr]
            cursor.copy(sql) as copy,
        ):
            if types:
                copy.set_types(list(types))
            for row in values:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    execute_rows(conn, f"INSERT INTO {name} ({names}) VALUES ({marks})", values)


def copy_types(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> tuple[str, ...] | None:
    """The PostgreSQL types of ``columns`` for a binary ``COPY`` into ``table`` (None: the
    text format is used: a table not in ``BINARY_COPY_TABLES``, or a column type with no
    binary form here). The values must be of the Python types the columns declare (``int``
    for integers, ``date``, naive ``datetime``, ``str``, ``bytes``, ``bool``): the text
    format would also take, say, the text of a number for an integer column; the binary
    one refuses it."""
    key = (table.name, columns)
    if key not in _COPY_FORMATS:
        found: tuple[str, ...] | None = None
        if table.name in BINARY_COPY_TABLES:
            types = [
                _COPY_TYPES.get(table.c[c].type.compile(dialect=dialect).split("(")[0].strip())
                for c in columns
            ]
            found = None if None in types else tuple(str(t) for t in types)
        _COPY_FORMATS[key] = found
    return _COPY_FORMATS[key]


def allocate_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """``count`` new primary keys of ``table``, to insert right away (see the module doc)."""
    if count <= 0:
        return []
    if conn.dialect.name == "postgresql":
        # The sequence is looked up once (a scalar subquery), not for every value: a
        # quarter of the server's CPU per value.
        result = run_sql(
            conn,
            "SELECT nextval((SELECT pg_get_serial_sequence(?, 'id')::regclass)) "
            "FROM generate_series(1, ?)",
            (table.name, count),
        )
        return [int(row[0]) for row in result.rows]
    top = run_sql(conn, f"SELECT max(id) FROM {table.name}").rows[0][0]
    start = int(top or 0) + 1
    return list(range(start, start + count))


def insert_ids(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert dict rows and return their new ids, in order."""
    if not rows:
        return []
    if len(rows) == 1 and conn.dialect.name == "postgresql":
        # One row: INSERT ... RETURNING is one round trip, allocating first would be two.
        dialect = conn.dialect
        columns = tuple(rows[0])
        name, names = _sql_names(dialect, table, columns)
        marks = ", ".join("%s" for _ in columns)
        sql = f"INSERT INTO {name} ({names}) VALUES ({marks}) RETURNING id"
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            with _wrapped(conn, sql):
                cursor.execute(sql, _tuples(dialect, table, columns, rows)[0])
                return [int(cursor.fetchone()[0])]
        finally:
            cursor.close()
    ids = allocate_ids(conn, table, len(rows))
    columns = tuple(rows[0])
    values = _tuples(conn.dialect, table, columns, rows)
    insert_tuples(
        conn, table, ("id", *columns), [(i, *v) for i, v in zip(ids, values, strict=True)]
    )
    return ids


def update_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """``UPDATE table SET columns... WHERE id = ?`` for rows of (values..., id), in bulk."""
    if not rows:
        return
    dialect = conn.dialect
    procs = _processors(dialect, table, (*columns, "id"))
    if any(procs):
        rows = [
            tuple(v if p is None or v is None else p(v) for v, p in zip(row, procs, strict=True))
            for row in rows
        ]
    quote = dialect.identifier_preparer.quote
    sets = ", ".join(f"{quote(c)} = ?" for c in columns)
    execute_rows(conn, f"UPDATE {quote(table.name)} SET {sets} WHERE id = ?", rows)
