"""Hits: ``GET /api/v1/hits`` and ``GET /api/v1/travellers/{traveller_id}/hits``.

A hit is one automated result (a watch-list match or a rule hit) with what produced it
(list source and entry, or rule and version), the score, and every feature or condition
with the value it saw. Statuses: ``new`` (to review), ``suppressed`` (matches a dismissed
hit), ``closed`` (the entry left the list), ``superseded`` (a later push replaced the data),
``dismissed`` (reviewed).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from paxwatch.api.deps import Reader, StoreDep
from paxwatch.api.models_assess import HitPage, TravellerHitsOut
from paxwatch.api.problems import PROBLEM_RESPONSES
from paxwatch.assess import hits as h

router = APIRouter(tags=["hits"])


@router.get("/hits", response_model=HitPage, responses=PROBLEM_RESPONSES)
def list_hits(
    store: StoreDep,
    _caller: Reader,
    status: Annotated[h.HitStatus | None, Query(description="Only this status.")] = None,
    flight_id: Annotated[int | None, Query(description="Only this stored flight.")] = None,
    source: Annotated[
        str | None, Query(max_length=60, description="Only matches of this watch list.")
    ] = None,
    kind: Annotated[h.HitKind | None, Query(description="watchlist or rule.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HitPage:
    """Stored hits, newest first, each with its features or conditions and the values they
    saw."""
    with store.read() as conn:
        found = h.list_hits(conn, flight_id=flight_id, status=status, kind=kind)
    if source is not None:
        found = [hit for hit in found if hit.source_id == source]
    return HitPage.of(found, limit, offset)


@router.get(
    "/travellers/{traveller_id}/hits",
    response_model=TravellerHitsOut,
    responses=PROBLEM_RESPONSES,
)
def traveller_hits(
    traveller_id: int,
    store: StoreDep,
    _caller: Reader,
    status: Annotated[h.HitStatus | None, Query(description="Only this status.")] = None,
) -> TravellerHitsOut:
    """The hits of one stored traveller (the ``traveller_id`` of a flight manifest),
    grouped per flight, best score first. A traveller without hits has no flights here."""
    with store.read() as conn:
        found = h.list_hits(conn, traveller_id=traveller_id, status=status)
    return TravellerHitsOut.of(traveller_id, found)
