"""Row builders for the store's tables, and the bulk write helpers.

Model objects become plain row dicts here (one per table row) so that the writers can
insert each table with one bulk statement per batch.

The bulk helpers bypass SQLAlchemy's per-row statement machinery (compiling, parameter
processing, ``insertmanyvalues`` with RETURNING), which cost more than the database itself:

- ``insert_many`` turns the dicts into tuples once (applying the column types' bind
  processors, so values are stored exactly as SQLAlchemy would store them: SQLite dates as
  ISO text...) and runs one DB-API ``executemany`` on the transaction's own connection; on
  PostgreSQL a large batch goes through ``COPY ... FROM STDIN`` (psycopg 3) instead.
- ``insert_ids`` pre-allocates the primary keys (``allocate_ids``) and inserts them with the
  rows, so no RETURNING round trip is needed: on PostgreSQL with one ``nextval`` query per
  batch (sequences are safe under concurrent writers; gaps are harmless), on SQLite from
  ``max(id)`` (the single writer holds the database lock for the whole transaction, and the
  ids are inserted right after they are taken).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.schema import Table

from paxwatch.model import Bag, Booking, Contact, ContactKind, Document, LegKey, Traveller
from paxwatch.store import schema as s
from paxwatch.store.keys import (
    norm_address,
    norm_card,
    norm_document,
    norm_email,
    norm_frequent_flyer,
    norm_phone,
)

#: Rows from which a PostgreSQL insert uses COPY rather than a pipelined executemany.
COPY_MIN_ROWS = 64

Processor = Callable[[Any], Any]
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
        found = _PROCESSORS[key] = tuple(
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
        )
    return found


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
        sql = f"COPY {name} ({names}) FROM STDIN"
        with (
            _wrapped(conn, sql),
            driver.cursor() as cursor,  # type: ignore[union-attr]
            cursor.copy(sql) as copy,
        ):
            for row in values:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    execute_rows(conn, f"INSERT INTO {name} ({names}) VALUES ({marks})", values)


def allocate_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """``count`` new primary keys of ``table``, to insert right away (see the module doc)."""
    if count <= 0:
        return []
    if conn.dialect.name == "postgresql":
        result = run_sql(
            conn,
            "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)",
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


def leg_cols(leg: LegKey | None) -> dict[str, Any]:
    if leg is None:
        return {
            "leg_carrier": None,
            "leg_number": None,
            "leg_origin": None,
            "leg_destination": None,
            "leg_date": None,
        }
    return {
        "leg_carrier": leg.carrier,
        "leg_number": leg.number,
        "leg_origin": leg.origin,
        "leg_destination": leg.destination,
        "leg_date": leg.departure_date,
    }


def document_row(doc: Document, traveller_id: int | None, api_id: int | None) -> dict[str, Any]:
    return {
        "traveller_id": traveller_id,
        "api_traveller_id": api_id,
        "type": doc.type,
        "number": doc.number,
        "issuing_country": doc.issuing_country,
        "nationality": doc.nationality,
        "date_of_birth": doc.date_of_birth,
        "gender": doc.gender.value if doc.gender else None,
        "expiry": doc.expiry,
        "issued_on": doc.issued_on,
        "surname": doc.surname,
        "given_names": doc.given_names,
    }


def bag_row(bag: Bag, traveller_id: int | None, api_id: int | None) -> dict[str, Any]:
    return {
        "traveller_id": traveller_id,
        "api_traveller_id": api_id,
        "count": bag.count,
        "weight": str(bag.weight) if bag.weight is not None else None,
        "weight_unit": bag.weight_unit.value if bag.weight_unit else None,
        "tags": " ".join(bag.tags) or None,
        "head_of_pool": bag.head_of_pool,
        "destination": bag.destination,
        **leg_cols(bag.leg),
    }


def ident(
    kind: str,
    value: str | None,
    *,
    booking_id: int | None = None,
    version_id: int | None = None,
    traveller_id: int | None = None,
    api_traveller_id: int | None = None,
) -> dict[str, Any] | None:
    if not value:
        return None
    return {
        "kind": kind,
        "value": value[:300],
        "booking_id": booking_id,
        "version_id": version_id,
        "traveller_id": traveller_id,
        "api_traveller_id": api_traveller_id,
    }


class Rows:
    """Rows for the child tables of new versions, gathered to insert with one statement each."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {}

    def add(self, table: str, row: dict[str, Any] | None) -> None:
        if row is not None:
            self.tables.setdefault(table, []).append(row)

    def flush(self, conn: Connection) -> None:
        for name in CHILD_TABLES:
            insert_many(conn, s.metadata.tables[name], self.tables.get(name, []))


#: The child tables of travellers and booking versions, in the order they are written.
CHILD_TABLES = (
    "booking_leg",
    "agency",
    "document",
    "contact",
    "payment",
    "seat",
    "bag",
    "frequent_flyer",
    "ticket",
    "identifier",
)


def traveller_row(t: Traveller, version_id: int, booking_id: int, seq: int) -> dict[str, Any]:
    return {
        "version_id": version_id,
        "booking_id": booking_id,
        "seq": seq,
        "ref": t.ref,
        "surname": t.surname[:100],
        "given_names": t.given_names[:200] or None,
        "title": t.title,
        "suffix": t.suffix,
        "raw_name": t.raw_name[:300] or None,
        "type": t.type.value,
        "date_of_birth": t.date_of_birth,
        "gender": t.gender.value if t.gender else None,
        "nationality": t.nationality,
        "accompanying_ref": t.accompanying_ref,
    }


def traveller_children(rows: Rows, t: Traveller, tid: int, bid: int, vid: int) -> None:
    for doc in t.documents:
        rows.add("document", document_row(doc, tid, None))
        rows.add("identifier", ident("document", norm_document(doc), **owner(bid, vid, tid)))
    for seat in t.seats:
        rows.add(
            "seat",
            {"traveller_id": tid, "seat": seat.seat, "cabin": seat.cabin} | leg_cols(seat.leg),
        )
    for bag in t.bags:
        rows.add("bag", bag_row(bag, tid, None))
    for ff in t.frequent_flyers:
        rows.add(
            "frequent_flyer",
            {"traveller_id": tid, "airline": ff.airline, "number": ff.number, "tier": ff.tier},
        )
        rows.add(
            "identifier", ident("frequent_flyer", norm_frequent_flyer(ff), **owner(bid, vid, tid))
        )
    for ticket in t.tickets:
        rows.add(
            "ticket",
            {
                "traveller_id": tid,
                "number": ticket.number,
                "document_type": ticket.document_type,
                "issued_on": ticket.issued_on,
                "total_amount": str(ticket.total_amount)
                if ticket.total_amount is not None
                else None,
                "currency": ticket.currency,
                "one_way": ticket.one_way,
            },
        )
    for address in t.addresses:
        rows.add("identifier", ident("address", norm_address(address), **owner(bid, vid, tid)))


def owner(booking_id: int, version_id: int, traveller_id: int | None) -> dict[str, int | None]:
    return {"booking_id": booking_id, "version_id": version_id, "traveller_id": traveller_id}


def contact_value(contact: Contact) -> str | None:
    if contact.kind is ContactKind.PHONE:
        return norm_phone(contact.value)
    if contact.kind is ContactKind.EMAIL:
        return norm_email(contact.value)
    if contact.kind is ContactKind.ADDRESS:
        return norm_address(contact.address) if contact.address else None
    return None


def booking_children(rows: Rows, b: Booking, bid: int, vid: int, refs: dict[str, int]) -> None:
    for i, leg in enumerate(b.legs, 1):
        rows.add(
            "booking_leg",
            {
                "version_id": vid,
                "seq": i,
                "carrier": leg.carrier,
                "number": leg.number,
                "origin": leg.origin,
                "destination": leg.destination,
                "departure": leg.departure,
                "arrival": leg.arrival,
                "operating_carrier": leg.operating_carrier,
                "operating_number": leg.operating_number,
                "booking_class": leg.booking_class,
                "status": leg.status,
                "equipment": leg.equipment,
            },
        )
    if b.agency is not None:
        a = b.agency
        rows.add(
            "agency",
            {
                "version_id": vid,
                "system": a.system,
                "location": a.location,
                "iata_number": a.iata_number,
                "pseudo_city": a.pseudo_city,
                "agent_id": a.agent_id,
                "country": a.country,
                "type": a.type,
                "raw": a.raw[:500] or None,
            },
        )
    for c in b.contacts:
        tid = refs.get(c.traveller_ref) if c.traveller_ref else None
        rows.add(
            "contact",
            {
                "version_id": vid,
                "traveller_id": tid,
                "kind": c.kind.value,
                "value": c.value[:300],
                "raw": c.raw[:500] or None,
                "source": c.source,
            },
        )
        rows.add("identifier", ident(c.kind.value, contact_value(c), **owner(bid, vid, tid)))
    for p in b.payments:
        tid = refs.get(p.traveller_ref) if p.traveller_ref else None
        rows.add(
            "payment",
            {
                "version_id": vid,
                "traveller_id": tid,
                "method": p.method.value,
                "raw_method": p.raw_method,
                "amount": str(p.amount) if p.amount is not None else None,
                "currency": p.currency,
                "card_vendor": p.card_vendor,
                "card_number": p.card_number,
                "card_expiry": p.card_expiry,
                "payer_name": p.payer_name,
                "payer_phone": p.payer_phone,
                "billing_address": norm_address(p.billing_address),
            },
        )
        rows.add("identifier", ident("card", norm_card(p), **owner(bid, vid, tid)))
        rows.add("identifier", ident("phone", norm_phone(p.payer_phone), **owner(bid, vid, tid)))
        rows.add(
            "identifier",
            ident("address", norm_address(p.billing_address), **owner(bid, vid, tid)),
        )
