"""Settling the API-only hits of an API traveller once it is linked to a booked traveller
(see ``paxwatch.assess.api_only``): in the write transaction of the booked traveller's
assessment (``run.assess_pairs``), an unreviewed (``new``) API-only hit is superseded, one
a person took, confirmed or dismissed is adopted by the booked traveller with its review,
and the booked assessment does not raise the same list entry or rule on that flight again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, delete, exists, select, update

from paxwatch.assess.api_only import set_status_of
from paxwatch.assess.hits import Candidate, HitStatus
from paxwatch.assess.load import LoadedTraveller
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_

_CHUNK = 500

ADOPTED_STATUSES = (
    HitStatus.IN_REVIEW.value,
    HitStatus.CONFIRMED.value,
    HitStatus.DISMISSED.value,
)
"""Statuses of an API-only hit a human has worked on: the booked traveller adopts it."""


def linked_with_api_hits(conn: Connection, flight_id: int) -> list[int]:
    """Booked travellers of ``flight_id`` now linked to an API traveller that still has
    API-only hits there to settle (unreviewed or reviewed): they are assessed again so that
    :func:`merge_linked` supersedes or adopts those hits."""
    h, link = sa_.hit, s.api_pnr_link
    query = (
        select(link.c.traveller_id)
        .join(
            h,
            and_(
                h.c.api_traveller_id == link.c.api_traveller_id, h.c.flight_id == link.c.flight_id
            ),
        )
        .where(
            link.c.flight_id == flight_id,
            h.c.traveller_id.is_(None),
            h.c.status.in_((HitStatus.NEW.value, *ADOPTED_STATUSES)),
        )
        .distinct()
    )
    return sorted(int(i) for i in conn.execute(query).scalars())


@dataclass(slots=True)
class Merged:
    """What :func:`merge_linked` did."""

    superseded: int = 0
    adopted: int = 0
    dropped: int = 0


def merge_linked(
    conn: Connection,
    items: Sequence[LoadedTraveller],
    candidates: list[Candidate],
    at: datetime,
) -> tuple[list[Candidate], Merged]:
    """Settle the API-only hits of the API travellers linked to the booked ``items`` on
    their flights (see the module docstring): ``new`` ones are superseded, reviewed ones
    adopted by the booked traveller; the candidates of the booked assessment for the same
    list entry or rule on the same traveller and flight as an adopted hit are dropped.
    Returns the candidates to store.

    Cheap when there is nothing to settle (the usual case): one indexed query for the
    API-only hits of the flights, one bulk delete of the API assessments of the flights'
    API travellers that are linked now (so that one unlinked again later is screened on
    its own anew)."""
    merged = Merged()
    if not items:
        return candidates, merged
    link, h, aa = s.api_pnr_link, sa_.hit, sa_.api_assessment
    flights = sorted({i.flight.flight_id for i in items})
    conn.execute(
        delete(aa).where(
            aa.c.flight_id.in_(flights),
            exists().where(
                and_(
                    link.c.api_traveller_id == aa.c.api_traveller_id,
                    link.c.flight_id == aa.c.flight_id,
                )
            ),
        )
    )
    rows = conn.execute(
        select(
            h.c.id,
            h.c.flight_id,
            h.c.status,
            h.c.kind,
            h.c.source_id,
            h.c.entry_id,
            h.c.rule_id,
            link.c.traveller_id,
        )
        .join(
            link,
            and_(
                link.c.api_traveller_id == h.c.api_traveller_id,
                link.c.flight_id == h.c.flight_id,
            ),
        )
        .where(
            h.c.flight_id.in_(flights),
            h.c.traveller_id.is_(None),
            h.c.api_traveller_id.is_not(None),
            h.c.status.in_((HitStatus.NEW.value, *ADOPTED_STATUSES)),
        )
    ).all()
    if not rows:
        return candidates, merged
    by_pair = {(i.traveller_id, i.flight.flight_id): i for i in items}
    stale: list[int] = []
    adopted_keys: set[tuple[int, int, str, str]] = set()
    for row in rows:
        item = by_pair.get((int(row.traveller_id), int(row.flight_id)))
        if item is None:
            continue  # linked to a traveller not assessed now: settled when it is
        if row.status == HitStatus.NEW.value:
            stale.append(int(row.id))
            continue
        conn.execute(
            update(h)
            .where(h.c.id == row.id)
            .values(traveller_id=item.traveller_id, booking_id=item.booking_id)
        )
        merged.adopted += 1
        what = _what(row.source_id, row.entry_id, row.rule_id)
        adopted_keys.add((item.traveller_id, item.flight.flight_id, row.kind, what))
    set_status_of(conn, stale, HitStatus.SUPERSEDED, at)
    merged.superseded = len(stale)
    if not adopted_keys:
        return candidates, merged
    out: list[Candidate] = []
    for cand in candidates:
        hit = cand.hit
        key = (
            hit.traveller_id or 0,
            hit.flight_id,
            hit.kind.value,
            _what(hit.source_id, hit.entry_id, hit.rule_id),
        )
        if key in adopted_keys:
            merged.dropped += 1
            continue
        out.append(cand)
    return out, merged


def _what(source_id: str | None, entry_id: str | None, rule_id: str | None) -> str:
    return f"{source_id}\x1f{entry_id}" if rule_id is None else f"rule\x1f{rule_id}"
