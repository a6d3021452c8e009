"""Flight times in UTC (issue 7: the hit queue ordered and paged by the database).

``flight`` and ``flight_leg`` get ``departure_utc`` and ``arrival_utc``: the local times the
messages give, converted with the time zone of the origin and destination airports
(``airportsdata``; an airport without a known zone keeps its time, read as UTC). The write
path fills them (``paxwatch.store.flight_times``); this migration fills them for the rows
already stored. The hit queue orders by them in SQL instead of reading every open hit.

Revision ID: 0007
Revises: 0006
Create Date: 2027-01-15
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import airportsdata
import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TABLES = ("flight", "flight_leg")
_CHUNK = 5000


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    data: Any = airportsdata.load("IATA")
    return {code: str(info["tz"]) for code, info in data.items() if info.get("tz")}


@lru_cache(maxsize=4096)
def _zone(airport: str) -> ZoneInfo | None:
    name = _zones().get(airport.upper())
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return None


def _utc(value: datetime | None, airport: str | None) -> datetime | None:
    # Frozen copy of paxwatch.store.flight_times.utc_of (a migration does not follow the code).
    if value is None:
        return None
    zone = _zone(airport) if airport else None
    if zone is None or value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def _backfill(name: str) -> None:
    conn = op.get_bind()
    table = sa.table(
        name,
        sa.column("id", _ID),
        sa.column("origin", sa.String()),
        sa.column("destination", sa.String()),
        sa.column("departure", sa.DateTime()),
        sa.column("arrival", sa.DateTime()),
        sa.column("departure_utc", sa.DateTime()),
        sa.column("arrival_utc", sa.DateTime()),
    )
    update = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values(departure_utc=sa.bindparam("dep"), arrival_utc=sa.bindparam("arr"))
    )
    after = 0
    while True:  # by id, _CHUNK rows at a time: a year of flights never sits in memory
        rows = conn.execute(
            sa.select(
                table.c.id, table.c.origin, table.c.destination, table.c.departure, table.c.arrival
            )
            .where(table.c.id > after)
            .order_by(table.c.id)
            .limit(_CHUNK)
        ).all()
        if not rows:
            return
        after = int(rows[-1].id)
        values = [
            {
                "row_id": r.id,
                "dep": _utc(r.departure, r.origin),
                "arr": _utc(r.arrival, r.destination),
            }
            for r in rows
            if r.departure is not None or r.arrival is not None
        ]
        if values:
            conn.execute(update, values)


def upgrade() -> None:
    for name in _TABLES:
        op.add_column(name, sa.Column("departure_utc", sa.DateTime(), nullable=True))
        op.add_column(name, sa.Column("arrival_utc", sa.DateTime(), nullable=True))
        _backfill(name)


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch rebuild of
    # ``flight`` on SQLite would drop the table that the passenger data refers to.
    for name in _TABLES:
        for column in ("arrival_utc", "departure_utc"):
            op.execute(sa.text(f"ALTER TABLE {name} DROP COLUMN {column}"))
