"""Hit counts for the dashboard: per list or rule and per review status, counted by the
database (never the hits themselves: no personal data, no hit loaded into memory)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Connection, case, func, select

from paxwatch.store import schema_assess as sa_


@dataclass(frozen=True, slots=True)
class HitCount:
    """How many hits one list (or rule) raised that are in one review status."""

    source: str
    status: str
    hits: int


def hit_counts(conn: Connection, flight_ids: Collection[int] | None = None) -> list[HitCount]:
    """Hits grouped by list id (or rule id) and status, of ``flight_ids`` or of every
    flight; the label of a hit with neither is ``?``."""
    h = sa_.hit
    label = func.coalesce(h.c.source_id, h.c.rule_id, "?")
    query = select(label.label("label"), h.c.status, func.count().label("n")).group_by(
        label, h.c.status
    )
    if flight_ids is not None:
        if not flight_ids:
            return []
        query = query.where(h.c.flight_id.in_(sorted(flight_ids)))
    return [HitCount(str(r.label), str(r.status), int(r.n)) for r in conn.execute(query)]


@dataclass(frozen=True, slots=True)
class FlightHits:
    """How many hits a flight has, and how many of them await a decision."""

    total: int
    open: int


def hits_per_flight(
    conn: Connection, flight_ids: Collection[int] | None, open_statuses: Collection[str]
) -> dict[int, FlightHits]:
    """Hit counts of each of ``flight_ids`` (every flight when None) that has any
    (``open_statuses``: the statuses that await a decision)."""
    h = sa_.hit
    is_open = case((h.c.status.in_(sorted(open_statuses)), 1), else_=0)
    query = select(
        h.c.flight_id, func.count().label("n"), func.sum(is_open).label("open")
    ).group_by(h.c.flight_id)
    if flight_ids is not None:
        if not flight_ids:
            return {}
        query = query.where(h.c.flight_id.in_(sorted(flight_ids)))
    return {int(r.flight_id): FlightHits(int(r.n), int(r.open or 0)) for r in conn.execute(query)}
