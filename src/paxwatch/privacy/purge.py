"""Deleting passenger data in bulk, dependent rows first (retention and erasure requests).

Since migration ``0006`` the passenger data (bookings, versions, travellers, API lists and
travellers, and every row that belongs to one of them) has no foreign-key constraints:
``purge`` is what keeps it whole. It finds the dependent tables from the schema
(``Column.info[OWNER]``, plus the foreign keys that cascade) and deletes them first, one
bulk statement per table; ``orphan_counts`` checks that nothing was left behind.
Transmissions (disclosure logs) outlive the hits they disclosed: their snapshot is erased.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Integer,
    Table,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    select,
)
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.dialects.postgresql import ARRAY

from paxwatch.privacy.purge_range import any_in_range
from paxwatch.store import schema as s
from paxwatch.store.rows import update_rows
from paxwatch.store.schema_review import transmission


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def id_in(conn: Connection, column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """``column IN ids`` without one bound parameter per id (thousands of them are slow to
    render and send). SQLite: the integers written out as a list (safe: they are ``int``s,
    never text). PostgreSQL: ``= ANY(CAST((SELECT CAST(:ids AS bigint[])) AS bigint[]))``,
    the ids as one text parameter (``'{1,2,...}'``).

    Why that form on PostgreSQL: an array *constant* (``= ANY('{...}'::bigint[])``, what
    this wrote before) is estimated by the planner one element at a time (2-12 ms of
    planning per statement for 20,000 ids, and some forty statements per chunk), and the
    statement text differs in every chunk, so it is parsed, compiled and planned each time.
    Behind a sub-select the array is an init plan's value: the planner takes a small
    default estimate and plans an index scan (every statement of a chunk starts from its
    ids), the text is cast once per statement (not once per row scanned, which the generic
    plan of a bare ``= ANY(CAST(:p AS bigint[]))`` did once psycopg prepared it), and the
    statement text is the same in every chunk (SQLAlchemy's compiled cache, psycopg's
    prepared statements: no parse or plan after the fifth run). A ``bigint[]`` parameter
    costs more client time (psycopg adapts every int). The sub-select returns the cast
    array itself (the outer cast only tells the parser it is an array, not a set of rows):
    until session 19 it was ``ARRAY(SELECT unnest(...))``, which unnested every id into a
    row and gathered them back into an array, once per statement of a chunk (about a tenth
    of the server's CPU in the retention job's 6-month step; docs/dpo.md, "Session 19")."""
    return IdList(conn, ids).match(column)


class IdList:
    """A set of ids written once into the statement (see ``id_in``), to match several
    columns (on PostgreSQL one parameter, sent once however many columns use it)."""

    def __init__(self, conn: Connection, ids: Iterable[int]) -> None:
        self.values = sorted({int(i) for i in ids})
        listed = ",".join(map(str, self.values))
        self._pg = conn.dialect.name == "postgresql"
        self._sql: ColumnElement[Any]
        if self._pg:
            # ``CAST((SELECT CAST(:ids AS bigint[])) AS bigint[])``: one text parameter, cast
            # once (in an init plan, not per row scanned); see ``id_in``.
            text_ids = cast(bindparam(None, f"{{{listed}}}", type_=Text), ARRAY(BigInteger))
            self._sql = cast(select(text_ids).scalar_subquery(), ARRAY(BigInteger))
        else:
            self._sql = literal_column(f"({listed})")

    def bounds(self, conn: Connection) -> tuple[int, int] | None:
        """The smallest and largest id (None: no ids)."""
        return (self.values[0], self.values[-1]) if self.values else None

    def match(self, column: Any) -> ColumnElement[bool]:
        """``column IN (the ids)``; always false for no ids."""
        if not self.values:
            return literal(False)
        if self._pg:
            return column == any_(self._sql)  # type: ignore[no-any-return]
        return column.op("IN")(self._sql)  # type: ignore[no-any-return]


_CHILDREN: dict[str, list[tuple[Table, Any]]] = {}
PURGE_CHUNK = 20_000


def _children(table: Table) -> list[tuple[Table, Any]]:
    """The (table, column) pairs whose rows belong to a row of ``table``: the columns that
    refer to ``table.id`` without a constraint (``Column.info[OWNER]``, migration ``0006``)
    and the foreign keys to ``table.id`` that cascade on delete."""
    if table.name not in _CHILDREN:
        out: list[tuple[Table, Any]] = []
        for other in s.metadata.sorted_tables:
            if other is table:
                continue
            out.extend((other, c) for c in other.c if c.info.get(s.OWNER) == table.name)
            for fk in other.foreign_keys:
                if (
                    fk.column.table is table
                    and fk.column.name == "id"
                    and (fk.ondelete or "").upper() == "CASCADE"
                ):
                    out.append((other, fk.parent))
        _CHILDREN[table.name] = out
    return _CHILDREN[table.name]


def orphan_counts(conn: Connection) -> dict[str, int]:
    """``table.column`` → rows referring to a row of their owner that does not exist, for
    every column of ``Column.info[OWNER]`` with at least one (empty: the store is whole).
    ``purge`` keeps this empty; the tests check it after retention and erasure."""
    out: dict[str, int] = {}
    for table in s.metadata.sorted_tables:
        for column in table.c:
            owner = column.info.get(s.OWNER)
            if owner is None:
                continue
            parent = s.metadata.tables[owner]
            missing = ~exists().where(parent.c.id == column)
            query = select(func.count()).select_from(table).where(column.is_not(None), missing)
            count = int(conn.execute(query).scalar() or 0)
            if count:
                out[f"{table.name}.{column.name}"] = count
    return out


class TempIds:
    """A set of ids held in a temporary table of the connection (SQLite): matched as
    ``column IN (SELECT id FROM temp.<table>)``, which SQLite answers by walking that table's
    key, so neither the list nor its parse is repeated in every statement that uses it (a
    literal list of 20,000 ids is 100 kB of SQL, parsed and sorted again by each of the
    twenty statements of a purge level). ``slot``: one table per nesting level, emptied
    when reused; the rows stay inside the caller's transaction."""

    def __init__(self, conn: Connection, slot: int) -> None:
        name = f"pw_purge_ids_{slot}"
        conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql(f"DELETE FROM temp.{name}")
        self.name = name
        self._ids = sql_table(name, sql_column("id", Integer), schema="temp")
        self.count = 0
        self._bounds: tuple[int, int] | None = None
        self._bounds_known = True

    def add(self, conn: Connection, ids: Sequence[int]) -> None:
        """Add integer ids (sent as one JSON array, not one parameter each)."""
        payload = json.dumps([int(i) for i in ids])
        result = conn.exec_driver_sql(
            f"INSERT OR IGNORE INTO temp.{self.name} (id) SELECT value FROM json_each(?)",
            (payload,),
        )
        self.count += int(result.rowcount or 0)
        self._bounds_known = False

    def add_query(self, conn: Connection, query: Any) -> None:
        """Add the ids a one-column select returns, without them leaving the database."""
        result = conn.execute(insert(self._ids).from_select(["id"], query))
        self.count += int(result.rowcount or 0)
        self._bounds_known = False

    def bounds(self, conn: Connection) -> tuple[int, int] | None:
        """The smallest and largest id (None: no ids): the two ends of the table's key."""
        if not self._bounds_known:
            row = conn.exec_driver_sql(f"SELECT min(id), max(id) FROM temp.{self.name}").one()
            self._bounds = None if row[0] is None else (int(row[0]), int(row[1]))
            self._bounds_known = True
        return self._bounds

    def match(self, column: Any) -> ColumnElement[bool]:
        """``column IN (the ids)``."""
        return column.in_(select(self._ids.c.id))  # type: ignore[no-any-return]


Ids = IdList | TempIds


def _sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def purge(conn: Connection, table: Table, where: Any) -> int:
    """Delete the rows of ``table`` matching ``where`` and every row that belongs to them
    (``_children``, recursively), the dependent rows first, one bulk
    ``DELETE ... WHERE column IN (ids)`` per table (what ``ON DELETE CASCADE`` did row by
    row, and far slower). Transmissions of deleted hits keep their row, their snapshot is
    erased (``erase_transmissions``). Returns the rows of ``table`` deleted."""
    if not _children(table) and table.name != "hit":
        return int(conn.execute(delete(table).where(where)).rowcount or 0)
    if _sqlite(conn):
        ids = TempIds(conn, 0)
        ids.add_query(conn, select(table.c.id).where(where))
        return _purge_level(conn, table, ids)
    return purge_ids(conn, table, conn.execute(select(table.c.id).where(where)).scalars().all())


def purge_ids(
    conn: Connection, table: Table, ids: Iterable[int], *, emptied: Iterable[str] = ()
) -> int:
    """``purge`` of the rows of ``table`` with the given ids (no query to find them).

    ``emptied``: dependent tables the caller knows hold no row of these ids any more (it
    has just deleted them: the versions of bookings left without any). They are skipped,
    and so are the dependent tables whose rows also belong to a row of theirs (a
    traveller belongs to its booking and to one of the booking's versions): no look-up
    that can only find nothing.

    Each level lists its ids once and matches every dependent table's column against them:
    index lookups on both databases. On SQLite the ids of each level live in a temporary
    table (``TempIds``) filled by ``INSERT ... SELECT`` from the level above, so they never
    travel through Python; on PostgreSQL, where a ``column IN (SELECT ...)`` may be planned
    as a scan of the whole dependent table, they are written out (``IdList``) in chunks of
    ``PURGE_CHUNK``. A dependent table with no rows under the chunk is skipped with its own
    dependents (hits, mostly)."""
    values = sorted({int(i) for i in ids})
    if not values:
        return 0
    if _sqlite(conn):
        level = TempIds(conn, 0)
        level.add(conn, values)
        return _purge_level(conn, table, level, frozenset(emptied))
    return sum(
        _purge_level(
            conn, table, IdList(conn, values[start : start + PURGE_CHUNK]), frozenset(emptied)
        )
        for start in range(0, len(values), PURGE_CHUNK)
    )


def _purge_level(
    conn: Connection, table: Table, ids: Ids, emptied: frozenset[str] = frozenset()
) -> int:
    _purge_below(conn, table, ids, 0, emptied=emptied)
    return int(conn.execute(delete(table).where(ids.match(table.c.id))).rowcount or 0)


def _rows_below(conn: Connection, child: Table, below: Any, depth: int) -> Ids | None:
    """The ids of the rows of ``child`` matching ``below`` (None: none)."""
    query = select(child.c.id).where(below)
    if _sqlite(conn):
        found = TempIds(conn, depth)
        found.add_query(conn, query)
        return found if found.count else None
    values = conn.execute(query).scalars().all()
    return IdList(conn, values) if values else None


def _purge_below(
    conn: Connection,
    table: Table,
    ids: Ids,
    depth: int,
    above: frozenset[str] = frozenset(),
    *,
    emptied: frozenset[str] = frozenset(),
) -> None:
    """Delete the rows that belong to the rows ``ids`` of ``table`` (those stay); ``above``:
    the tables whose rows these belong to, being purged too; ``emptied``: see
    ``purge_ids``."""
    if depth > 6:
        raise RuntimeError(f"rows nested too deep under {table.name}")
    if table.name == "hit":
        erase_transmissions(conn, ids.match(transmission.c.hit_id), reason="deleted")
    purged = above | {table.name}
    for child, column in _children(table):
        if emptied and _emptied(child, emptied):
            continue
        below = _below(conn, table, child, column, ids, purged)
        if below is None:
            continue
        if _children(child) or child.name == "hit":
            found = _rows_below(conn, child, below, depth + 1)
            if found is None:
                continue
            _purge_below(conn, child, found, depth + 1, purged)
        conn.execute(delete(child).where(below))


def _emptied(child: Table, emptied: frozenset[str]) -> bool:
    """Whether ``child`` is one of the ``emptied`` tables or each of its rows belongs to a
    row of one of them too (an owner column that cannot be NULL)."""
    if child.name in emptied:
        return True
    return any(c.info.get(s.OWNER) in emptied and not c.nullable for c in child.c if c.info)


def _below(
    conn: Connection, table: Table, child: Table, column: Any, ids: Ids, purged: frozenset[str]
) -> ColumnElement[bool] | None:
    """Which rows of ``child`` belong, through ``column``, to the rows ``ids`` of ``table``
    (None: none left once the purge is done, no statement needed).

    A column with ``Column.info[VIA]`` has no index of its own (``identifier.traveller_id``
    and ``.booking_id``, migration ``0008``): its rows also belong, through the ``VIA``
    column, to the rows of another owner. When that owner's rows are purged by this purge too
    (the versions of a booking, or of the travellers being purged with their version), the
    rows go with them; otherwise (travellers dropped from a kept version) they are found
    through the ``VIA`` column's index, narrowed to the owners of the rows ``ids``."""
    via = column.info.get(s.VIA)
    if via is None:
        return ids.match(column) if any_in_range(conn, child, column, ids) else None
    through = child.c[via]
    owner = through.info[s.OWNER]
    if owner in purged or any(t.name == owner for t, _ in _children(table)):
        return None
    if via in table.c and table.c[via].info.get(s.OWNER) == owner:
        scope = select(table.c[via]).where(ids.match(table.c.id)).distinct()
        owners = IdList(conn, conn.execute(scope).scalars())
        return and_(owners.match(through), ids.match(column))
    return ids.match(column)


ERASED_TEXT = "*ERASED*"
"""What the data of an erased transmission snapshot reads."""
_HIT_KEYS = ("hit_id", "kind", "source_id", "entry_id", "rule_id", "rule_version", "score")


def erase_transmissions(conn: Connection, where: Any, *, reason: str) -> int:
    """Erase the personal data of the stored snapshots of the transmissions matching
    ``where`` (those erased before are skipped): the envelope stays (recipient, legal basis,
    offence, reference, time, the hit's rule or list entry and score), each data element sent
    reads ``*ERASED*``; ``payload_sha256`` still proves what was sent. Returns how many."""
    tr = transmission
    rows = conn.execute(select(tr.c.id, tr.c.payload).where(where)).all()
    updates: list[tuple[Any, ...]] = []
    for row_id, payload in rows:
        try:
            body = json.loads(payload)
        except ValueError:
            body = {}
        if not isinstance(body, dict) or "erased" in body:
            continue
        raw_data = body.get("data")
        data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
        raw_hit = data.get("hit")
        hit: dict[str, Any] = raw_hit if isinstance(raw_hit, dict) else {}
        kept = {k: hit[k] for k in _HIT_KEYS if k in hit}
        erased = {k: (kept if k == "hit" else ERASED_TEXT) for k in sorted(data)}
        out = {k: v for k, v in body.items() if k != "data"} | {"data": erased, "erased": reason}
        updates.append((_canonical(out), row_id))
    update_rows(conn, tr, ("payload",), updates)
    return len(updates)
