"""The rows of a booking version, built before its ids are known, and written in bulk.

``version_rows(booking)`` turns a (minimised) booking into the rows of its travellers and
of every child table (legs, documents, contacts, payments, identifiers...) as plain tuples,
with placeholders where the ids of the booking, the version and the travellers go. It needs
no database, so ``paxwatch ingest --jobs`` builds them in the reader processes: the single
writer then neither walks the model objects nor unpickles them (plain tuples of text travel
between processes several times faster than the model's dataclasses).

``booking_digests(message)`` gives the canonical content and hash of each booking of a
message, from which the writer decides whether it is a new version.

``insert_versions`` fills in the ids and inserts each table with one statement for a whole
batch. The values are exactly those of the row builders of ``rows.py``, so a version is
stored the same whichever process built its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table
from sqlalchemy.engine import Dialect

from paxwatch.model import Booking, PnrMessage
from paxwatch.store import schema as s
from paxwatch.store.content import content_json
from paxwatch.store.keys import booking_carrier, booking_key, sha256_hex
from paxwatch.store.row_builders import (
    CHILD_TABLES,
    Rows,
    booking_children,
    traveller_children,
    traveller_values,
)

# The columns of ``VersionRows.travellers`` (those of ``traveller`` but the ids).
from paxwatch.store.row_columns import TRAVELLER_COLUMNS as TRAVELLER_COLUMNS
from paxwatch.store.row_columns import VALUE_COLUMNS
from paxwatch.store.rows import allocate_ids, database_tuples, insert_tuples, run_sql

_TRAVELLER_INSERT = ("id", "version_id", "booking_id", *TRAVELLER_COLUMNS)
_PLACEHOLDER = 0


class ChildRows(NamedTuple):
    """The rows of one child table of a version; ``booking_id``, ``version_id`` hold
    placeholders and ``traveller_id`` the index of the traveller in the version (or None)."""

    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


class VersionRows(NamedTuple):
    """Everything a new version of a booking stores, but its ids."""

    locator: str
    #: ``created_at``, ``last_changed_at``, ``number_in_party``, ``group_name``.
    version: tuple[Any, ...]
    #: One per traveller, in ``TRAVELLER_COLUMNS`` order.
    travellers: tuple[tuple[Any, ...], ...]
    children: tuple[ChildRows, ...]
    #: The dialect whose bind processors ``travellers`` and ``children`` went through
    #: already (``in_database_form``), "" if none: ``insert_versions`` does not apply them
    #: again.
    database: str = ""


def in_database_form(dialect: Dialect, rows: VersionRows) -> VersionRows:
    """``rows`` with the values of ``travellers`` and ``children`` in ``dialect``'s database
    form (``rows.database_tuples``: SQLite's dates as ISO text...), as ``insert_versions``
    would write them: a worker converts the rows it builds before its turn
    (``prepare.prebuild``), so that the turn only fills in the ids. The ids and the
    placeholders in their place have no processor; the values stored are the same."""
    if rows.database == dialect.name:
        return rows
    travellers = database_tuples(dialect, s.traveller, TRAVELLER_COLUMNS, list(rows.travellers))
    children = tuple(
        ChildRows(
            c.table,
            c.columns,
            tuple(database_tuples(dialect, s.metadata.tables[c.table], c.columns, list(c.rows))),
        )
        for c in rows.children
    )
    return rows._replace(travellers=tuple(travellers), children=children, database=dialect.name)


def version_rows(booking: Booking) -> VersionRows:
    """The rows of a new version of ``booking`` (no database)."""
    rows = Rows()
    refs: dict[str, int] = {}
    travellers: list[tuple[Any, ...]] = []
    for index, t in enumerate(booking.travellers):
        travellers.append(traveller_values(t, index + 1))
        if t.ref:
            refs.setdefault(t.ref, index)
        traveller_children(rows, t, index, _PLACEHOLDER, _PLACEHOLDER)
    booking_children(rows, booking, _PLACEHOLDER, _PLACEHOLDER, refs)
    children = []
    values, dicts = rows.values, rows.tables
    for table in CHILD_TABLES:
        built = values.get(table)
        if built:
            children.append(ChildRows(table, VALUE_COLUMNS[table], tuple(built)))
            continue
        found = dicts.get(table)
        if found:
            columns = tuple(found[0])
            take = itemgetter(*columns)
            children.append(ChildRows(table, columns, tuple(map(take, found))))
    version = (
        booking.created_at,
        booking.last_changed_at,
        booking.number_in_party,
        booking.group_name,
    )
    locator = booking.locator.strip().upper()[:20]
    return VersionRows(locator, version, tuple(travellers), tuple(children))


class NewVersion(NamedTuple):
    """A version to insert: its rows and the ids they get."""

    booking_id: int
    version_id: int
    rows: VersionRows


def insert_versions(conn: Connection, versions: Sequence[NewVersion]) -> list[list[int]]:
    """Insert the travellers and child rows of new versions (their ``booking_version`` rows
    are in already) with one statement per table; the traveller ids of each version."""
    dialect = conn.dialect
    travellers = sum(len(v.rows.travellers) for v in versions)
    ids = iter(allocate_ids(conn, s.traveller, travellers))
    traveller_values = _Group()
    out: list[list[int]] = []
    grouped: dict[tuple[str, tuple[str, ...]], _Group] = {}
    for v in versions:
        tids = [next(ids) for _ in v.rows.travellers]
        out.append(tids)
        ready = v.rows.database == dialect.name
        traveller_values.extend(
            [
                (tid, v.version_id, v.booking_id, *row)
                for tid, row in zip(tids, v.rows.travellers, strict=True)
            ],
            ready,
        )
        for child in v.rows.children:
            target = grouped.get((child.table, child.columns))
            if target is None:
                target = grouped[(child.table, child.columns)] = _Group()
            target.extend(_with_ids(child, v.booking_id, v.version_id, tids), ready)
    insert_tuples(
        conn,
        s.traveller,
        _TRAVELLER_INSERT,
        traveller_values.in_database_form(dialect, s.traveller, _TRAVELLER_INSERT),
    )
    for table in CHILD_TABLES:
        for (name, columns), group in grouped.items():
            if name == table:
                t = s.metadata.tables[name]
                insert_tuples(conn, t, columns, group.in_database_form(dialect, t, columns))
    return out


class _Group:
    """The rows of one table for ``insert_versions``, in order, with the ranges of them
    not yet in database form (rows built in the turn; those built before it by a worker
    are, ``in_database_form``)."""

    __slots__ = ("raw", "rows")

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        #: (start, end) of the rows that still need the bind processors.
        self.raw: list[tuple[int, int]] = []

    def extend(self, rows: list[tuple[Any, ...]], ready: bool) -> None:
        start = len(self.rows)
        self.rows.extend(rows)
        if ready or not rows:
            return
        if self.raw and self.raw[-1][1] == start:
            self.raw[-1] = (self.raw[-1][0], len(self.rows))
        else:
            self.raw.append((start, len(self.rows)))

    def in_database_form(
        self, dialect: Dialect, table: Table, columns: tuple[str, ...]
    ) -> list[tuple[Any, ...]]:
        rows = self.rows
        if len(self.raw) == 1 and self.raw[0] == (0, len(rows)):
            return database_tuples(dialect, table, columns, rows)
        for start, end in self.raw:
            rows[start:end] = database_tuples(dialect, table, columns, rows[start:end])
        return rows


IdFiller = Callable[[tuple[tuple[Any, ...], ...], int, int, Sequence[int]], list[tuple[Any, ...]]]
_FILLERS: dict[tuple[str, ...], IdFiller] = {}


def _with_ids(
    child: ChildRows, booking_id: int, version_id: int, tids: Sequence[int]
) -> list[tuple[Any, ...]]:
    """``child.rows`` with the ids in place of the placeholders (``traveller_id``: the id of
    the traveller at that index, None stays None)."""
    fill = _FILLERS.get(child.columns)
    if fill is None:
        fill = _FILLERS[child.columns] = _filler(child.columns)
    return fill(child.rows, booking_id, version_id, tids)


def _filler(columns: tuple[str, ...]) -> IdFiller:
    """The ``_with_ids`` of rows of ``columns``: one comprehension building each row, its
    source generated once per column list (as ``content`` generates its writers)."""
    values = []
    for at, name in enumerate(columns):
        if name == "booking_id":
            values.append("b")
        elif name == "version_id":
            values.append("v")
        elif name == "traveller_id":
            values.append(f"(None if r[{at}] is None else t[r[{at}]])")
        else:
            values.append(f"r[{at}]")
    source = f"def fill(rows, b, v, t):\n    return [({', '.join(values)},) for r in rows]"
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # our own source, made of column positions
    fill: IdFiller = namespace["fill"]
    return fill


#: A booking of a message ready to store: (index in ``message.bookings``, booking key,
#: canonical JSON content, SHA-256 of the content).
BookingDigest = tuple[int, str, str, str]


def message_carrier(message: PnrMessage) -> str | None:
    """The carrier owning the message's locators: the flight's carrier, else the sender."""
    return message.flight.carrier.upper() if message.flight else message.sender


def booking_digests(message: PnrMessage) -> tuple[BookingDigest, ...]:
    """The canonical content and hash of each booking of a message (no database).

    The costly part of versioning (canonical JSON, hashing) is done here so that it can run
    in the reader processes (``paxwatch ingest --jobs``) instead of the single writer; the
    content is ``keys.canonical_json``, written by ``content.content_json``. The
    same booking twice in one message: the later occurrence wins.
    """
    carrier = message_carrier(message)
    by_key: dict[str, BookingDigest] = {}
    for i, b in enumerate(message.bookings):
        if not b.locator.strip():
            continue
        content = content_json(b)
        key = booking_key(booking_carrier(b, carrier), b.locator)
        by_key[key] = (i, key, content, sha256_hex(content.encode("utf-8")))
    return tuple(by_key.values())


_CURRENT = (
    'SELECT b."key", v.content_hash FROM booking b '
    "JOIN booking_version v ON v.id = b.current_version_id "
    'WHERE b."key" IN ({keys})'
)
_CHUNK = 500


def current_digests(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """The content hash of the current version of those bookings (by key) that have one."""
    out: dict[str, str] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        sql = _CURRENT.format(keys=", ".join("?" * len(chunk)))
        out.update((key, digest) for key, digest in run_sql(conn, sql, chunk).rows)
    return out
