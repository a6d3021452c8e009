"""Reads of hits for the API: a hit side by side with what matched and the traveller, its
decision history, and hit lists; checked, read and audited as every read of personal data
(``paxwatch.api.reads``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from paxwatch.api.problems import ProblemError
from paxwatch.api.reads import Reader, TravellerView, traveller_view
from paxwatch.assess import hits as hits_module
from paxwatch.assess.hits import HitKind, HitRecord, HitStatus
from paxwatch.privacy.access import (
    Action,
    Resource,
    TravellerResource,
    can,
    require,
)
from paxwatch.privacy.resources import booking_resource, traveller_resource
from paxwatch.review.api_travellers import (
    ApiTravellerView,
    api_traveller_resource,
    api_traveller_view,
)
from paxwatch.review.decisions import (
    DecisionRecord,
    HitReview,
    ReviewError,
    get_review,
    history,
)
from paxwatch.store import schema_assess as sa_


@dataclass(frozen=True, slots=True, kw_only=True)
class HitDetail:
    """A hit side by side: what matched (list entry or rule) and the traveller."""

    hit: HitRecord
    review: HitReview | None
    entry: dict[str, Any] | None
    rule: dict[str, Any] | None
    traveller: TravellerView | None
    api_traveller: ApiTravellerView | None = None
    """The API traveller of a hit raised on an API record alone (no booked traveller)."""


def _hit(conn: Connection, hit_id: int) -> HitRecord:
    row = conn.execute(select(sa_.hit).where(sa_.hit.c.id == hit_id)).first()
    if row is None:
        raise ProblemError(404, f"There is no hit {hit_id}.", kind="not-found")
    return hits_module.hit_record(row)


def _hit_resource(conn: Connection, hit: HitRecord) -> TravellerResource | None:
    if hit.traveller_id is not None:
        return traveller_resource(conn, hit.traveller_id)
    if hit.booking_id is not None:
        return booking_resource(conn, hit.booking_id)
    if hit.api_traveller_id is not None:
        return api_traveller_resource(conn, hit.api_traveller_id)
    return None


def _api_only(hit: HitRecord) -> tuple[int, ...]:
    """The API traveller read with ``hit``, when it names no booked traveller."""
    return (hit.api_traveller_id,) if hit.api_only and hit.api_traveller_id else ()


def _entry(conn: Connection, hit: HitRecord) -> dict[str, Any] | None:
    if hit.kind is not HitKind.WATCHLIST or hit.source_id is None or hit.entry_id is None:
        return None
    we = sa_.watchlist_entry
    content = conn.execute(
        select(we.c.content)
        .where(we.c.source_id == hit.source_id, we.c.entry_id == hit.entry_id)
        .order_by(we.c.removed_version_id.is_not(None), we.c.id.desc())
        .limit(1)
    ).scalar()
    if content is None:
        return None
    data: dict[str, Any] = json.loads(content)
    return data


def _rule(conn: Connection, hit: HitRecord) -> dict[str, Any] | None:
    if hit.kind is not HitKind.RULE or hit.rule_id is None:
        return None
    r = sa_.targeting_rule
    row = conn.execute(
        select(r.c.rule_id, r.c.version, r.c.status, r.c.title, r.c.offence, r.c.text).where(
            r.c.rule_id == hit.rule_id, r.c.version == hit.rule_version
        )
    ).first()
    return dict(row._mapping) if row is not None else None


def _review(conn: Connection, hit_id: int) -> HitReview | None:
    try:
        return get_review(conn, hit_id)
    except ReviewError:
        return None


def _visible_hit(reader: Reader, conn: Connection, hit_id: int) -> tuple[HitRecord, Resource]:
    require(reader.principal, Action.READ_HITS)
    found = _hit(conn, hit_id)
    resource = reader.check(
        Action.READ_TRAVELLER, _hit_resource(conn, found), f"There is no hit {hit_id}."
    )
    return found, resource


def hit_detail(reader: Reader, hit_id: int) -> HitDetail:
    """A hit with the list entry or rule and the traveller (``READ_HITS`` and
    ``READ_TRAVELLER`` on its traveller); audited with the hit as purpose."""
    with reader.store.read() as conn:
        found, _resource = _visible_hit(reader, conn, hit_id)
        detail = HitDetail(
            hit=found,
            review=_review(conn, hit_id),
            entry=_entry(conn, found),
            rule=_rule(conn, found),
            traveller=(
                traveller_view(conn, found.traveller_id) if found.traveller_id is not None else None
            ),
            api_traveller=(
                api_traveller_view(conn, found.api_traveller_id)
                if found.api_only and found.api_traveller_id is not None
                else None
            ),
        )
    reader.audit(
        "hit_detail",
        hit_id=hit_id,
        flights=(found.flight_id,),
        bookings=(found.booking_id,) if found.booking_id is not None else (),
        travellers=(found.traveller_id,) if found.traveller_id is not None else (),
        api_travellers=_api_only(found),
    )
    return detail


def hit_history(reader: Reader, hit_id: int) -> list[DecisionRecord]:
    """Every decision on a hit, notes included (audited: notes may name the traveller)."""
    with reader.store.read() as conn:
        found, _resource = _visible_hit(reader, conn, hit_id)
        decisions = history(conn, hit_id)
    reader.audit(
        "hit_history",
        hit_id=hit_id,
        flights=(found.flight_id,),
        travellers=(found.traveller_id,) if found.traveller_id is not None else (),
        api_travellers=_api_only(found),
    )
    return decisions


def _visible_hits(reader: Reader, conn: Connection, found: list[HitRecord]) -> list[HitRecord]:
    cache: dict[tuple[int | None, int | None, tuple[int, ...]], bool] = {}
    out = []
    for hit in found:
        key = (hit.traveller_id, hit.booking_id, _api_only(hit))
        if key not in cache:
            cache[key] = can(
                reader.principal,
                Action.READ_TRAVELLER,
                _hit_resource(conn, hit),
                config=reader.config,
            )
        if cache[key]:
            out.append(hit)
    return out


def list_hits(
    reader: Reader,
    *,
    status: HitStatus | None,
    flight_id: int | None,
    source: str | None,
    kind: HitKind | None,
    limit: int,
    offset: int,
) -> tuple[list[HitRecord], int]:
    """One page of the stored hits the caller may see (newest first) and how many there
    are; the page is audited."""
    require(reader.principal, Action.READ_HITS)
    with reader.store.read() as conn:
        found = hits_module.list_hits(conn, flight_id=flight_id, status=status, kind=kind)
        if source is not None:
            found = [h for h in found if h.source_id == source]
        visible = _visible_hits(reader, conn, found)
    page = visible[offset : offset + limit]
    reader.audit(
        "hit_list",
        flights=(h.flight_id for h in page),
        travellers=(h.traveller_id for h in page if h.traveller_id is not None),
        api_travellers=(i for h in page for i in _api_only(h)),
    )
    return page, len(visible)


def traveller_hits(reader: Reader, traveller_id: int, status: HitStatus | None) -> list[HitRecord]:
    """One traveller's hits (``READ_HITS`` and ``READ_TRAVELLER`` on the traveller)."""
    require(reader.principal, Action.READ_HITS)
    with reader.store.read() as conn:
        reader.check(
            Action.READ_TRAVELLER,
            traveller_resource(conn, traveller_id),
            f"There is no traveller {traveller_id}.",
        )
        found = hits_module.list_hits(conn, traveller_id=traveller_id, status=status)
    reader.audit(
        "traveller_hits",
        travellers=(traveller_id,),
        flights=(h.flight_id for h in found),
    )
    return found
