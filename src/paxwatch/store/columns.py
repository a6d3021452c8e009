"""The shared pieces of the store's tables: the metadata (naming convention), the id type,
and the column and index builders every ``schema*`` module uses."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = BigInteger().with_variant(Integer(), "sqlite")


def pk() -> Column[int]:
    """The ``id`` primary key (64-bit; SQLite's rowid)."""
    return Column("id", Id, primary_key=True, autoincrement=True)


def fk(name: str, target: str, *, nullable: bool = False, index: bool = True) -> Column[int]:
    """A foreign key to ``target.id`` that cascades on delete (indexed by default)."""
    return Column(
        name, Id, ForeignKey(f"{target}.id", ondelete="CASCADE"), nullable=nullable, index=index
    )


REFERS = "paxwatch_refers"
"""``Column.info`` key naming the table a ``ref`` column points at (documentation only)."""


def ref(name: str, target: str, *, nullable: bool = False, index: bool = True) -> Column[int]:
    """A reference to ``target.id`` without a foreign-key constraint (migration ``0016``),
    for the rows every ingest batch writes that point at a flight or a full push: those
    parents are never deleted, so the ``ON DELETE CASCADE`` never ran, while the database
    checked every inserted row against its parent (one lookup and row lock per row and
    constraint). The ingest writes the parent first, in the same transaction; the tests
    check that every such reference resolves (``tests/store/test_migration_0016.py``).
    References to archived messages, which the retention job deletes, are ``owned``."""
    return Column(name, Id, nullable=nullable, index=index, info={REFERS: target})


OWNER = "paxwatch_owner"
"""``Column.info`` key naming the table a column's row belongs to (see ``owned``)."""
VIA = "paxwatch_via"
"""``Column.info`` key: the rows of this owner column are also owned, through the named
column of the same table, by a row of the owner's own parent or child table (identifiers
of a traveller: through their ``version_id``); ``purge`` deletes them through it."""


def owned(
    name: str,
    owner: str,
    *,
    nullable: bool = False,
    index: bool | None = True,
    primary_key: bool = False,
    unique: bool | None = None,
    via: str | None = None,
) -> Column[int]:
    """A reference to ``owner.id`` without a foreign-key constraint (migration ``0006``).

    The rows of the passenger data (bookings, versions, travellers, API lists and
    travellers) are only ever deleted by ``paxwatch.privacy.purge.purge``, which
    deletes the rows that belong to them first, table by table and in bulk; a constraint
    would only make the database check every deleted row again (row by row, one lookup per
    referencing table: most of the retention job's time on PostgreSQL). ``purge`` finds
    the referencing columns through ``Column.info[OWNER]``; ``orphan_counts`` checks that
    none is left dangling."""
    if primary_key:
        index = None
    return Column(
        name,
        Id,
        nullable=nullable,
        index=index,
        primary_key=primary_key,
        unique=unique,
        info={OWNER: owner} if via is None else {OWNER: owner, VIA: via},
    )


def partial_index(name: str, column: str) -> Index:
    """An index of the rows where ``column`` is set (migration ``0008``): for the owner
    columns that are NULL in a large share of the rows (a document is a booked or an API
    traveller's), the other rows are no entry to keep up on every insert and delete."""
    where = text(f"{column} IS NOT NULL")
    return Index(name, column, sqlite_where=where, postgresql_where=where)


def marker(name: str, index: str, indexed: str) -> tuple[Column[bool], Index]:
    """A flag set once a row has been processed (``erased``, ``masked``; false by default,
    so writers need not know it) and a partial index on ``indexed`` of the rows where it is
    not set yet: the job that sets it reads only the rows left to do. The condition is
    written as the queries write it (``flag = 0`` on SQLite), so that SQLite uses it."""
    return (
        Column(name, Boolean, nullable=False, default=False, server_default=text("false")),
        Index(
            index,
            indexed,
            sqlite_where=text(f"{name} = 0"),
            postgresql_where=text(f"NOT {name}"),
        ),
    )


def string(
    name: str,
    length: int = 100,
    *,
    nullable: bool = True,
    unique: bool = False,
    index: bool = False,
) -> Column[str]:
    """A text column of at most ``length`` characters."""
    return Column(name, String(length), nullable=nullable, unique=unique, index=index)


def leg_columns(prefix: str = "leg_") -> list[Column[object]]:
    """Carrier, number, origin, destination and date of a flight leg, named with ``prefix``."""
    return [
        Column(f"{prefix}carrier", String(3)),
        Column(f"{prefix}number", String(8)),
        Column(f"{prefix}origin", String(5)),
        Column(f"{prefix}destination", String(5)),
        Column(f"{prefix}date", Date),
    ]
