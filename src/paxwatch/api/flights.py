"""``GET /api/v1/flights`` (a day's flights, paged) and ``GET /api/v1/flights/{id}``
(the manifest: who is on the flight now, API ↔ PNR correlation, unmatched on both sides)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from paxwatch.api.deps import Reader, StoreDep
from paxwatch.api.models import FlightPage, ManifestOut
from paxwatch.api.problems import PROBLEM_JSON, PROBLEM_RESPONSES, Problem, ProblemError
from paxwatch.store import repository as repo

router = APIRouter(tags=["flights"])
MAX_LIMIT = 1000


@router.get("/flights", response_model=FlightPage, responses=PROBLEM_RESPONSES)
def list_flights(
    store: StoreDep,
    _caller: Reader,
    on: Annotated[date | None, Query(alias="date", description="Local departure date.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> FlightPage:
    """Flights of a day (or all) in departure order, with their counts."""
    with store.read() as conn:
        flights = repo.list_flights(conn, on)
    return FlightPage.of(flights, limit, offset)


@router.get(
    "/flights/{flight_id}",
    response_model=ManifestOut,
    responses={
        **PROBLEM_RESPONSES,
        404: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "No such flight"},
    },
)
def get_manifest(flight_id: int, store: StoreDep, _caller: Reader) -> ManifestOut:
    """The flight's manifest: booked travellers, API travellers and their links."""
    with store.read() as conn:
        manifest = repo.flight_manifest(conn, flight_id)
    if manifest is None:
        raise ProblemError(404, f"There is no flight {flight_id}.", kind="not-found")
    return ManifestOut.of(manifest)
