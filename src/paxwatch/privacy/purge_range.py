"""Whether a dependent table has any row under a purge level's ids, answered with one
index look-up (``purge``): the range between the smallest and the largest id.

A retention chunk's ids are those of rows stored over a few days (the job walks ids
upwards). The bulk ``DELETE … WHERE column IN (ids)`` of a dependent table looks every id
up in its index (50,000 probes per chunk), also in a table with nothing under the chunk
(in the benchmark: seats, tickets, bags, hits, assessments, masked records, API links,
the mostly-NULL owner columns of contacts and payments). When the table has no row at
all between the smallest and the largest id, it has none of the ids, and the statement is
skipped; otherwise it runs as before.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import (
    Connection,
    Index,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    literal,
    select,
)


class Bounded(Protocol):
    def bounds(self, conn: Connection) -> tuple[int, int] | None:
        """The smallest and largest id (None: no ids)."""
        ...


_INDEXED: dict[tuple[str, str], bool] = {}


def _indexed(table: Table, column: Any) -> bool:
    """Whether an index of ``table`` (or its primary key or a unique constraint) starts with
    ``column`` and covers every row where it is not NULL: a range of it is then one index
    look-up."""
    key = (table.name, column.name)
    if key not in _INDEXED:
        firsts = [
            next(iter(index.columns))
            for index in table.indexes
            if len(index.columns) and _covers_not_null(index, column)
        ]
        firsts.extend(
            next(iter(c.columns))
            for c in table.constraints
            if isinstance(c, (PrimaryKeyConstraint, UniqueConstraint)) and len(c.columns)
        )
        _INDEXED[key] = any(c is column for c in firsts)
    return _INDEXED[key]


def _covers_not_null(index: Index, column: Any) -> bool:
    """A full index, or a partial one of the rows where ``column`` is not NULL."""
    where = index.dialect_kwargs.get("postgresql_where")
    if where is None:
        where = index.dialect_kwargs.get("sqlite_where")
    if where is None:
        return True
    text = " ".join(str(where).split())
    return text in (f"{column.name} IS NOT NULL", f"{column.table.name}.{column.name} IS NOT NULL")


def any_in_range(conn: Connection, child: Table, column: Any, ids: Bounded) -> bool:
    """Whether ``child`` has a row whose ``column`` lies between the smallest and the
    largest of ``ids`` (True when ``column`` has no index to answer it at once).

    False: no row belongs to ``ids``, and the caller skips the table's deletion (one index
    look-up instead of one per id). True costs that look-up on top of the deletion,
    whenever the table has a row in the range: one of the ids', or one of a row kept
    between them (a flagged booking's flag, a kept traveller's hit)."""
    if not _indexed(child, column):
        return True
    bounds = ids.bounds(conn)
    if bounds is None:
        return False
    lo, hi = bounds
    query = select(literal(1)).select_from(child).where(column >= lo, column <= hi).limit(1)
    return conn.execute(query).first() is not None
