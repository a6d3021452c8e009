"""``GET /api/v1/flights`` (a day's flights, paged: no personal data, ``list_flights``) and
``GET /api/v1/flights/{id}`` (the manifest: who is on the flight now, API ↔ PNR
correlation, unmatched on both sides; ``read_flight`` on the flight, audited)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from paxwatch.api import reads
from paxwatch.api.deps import Purpose, SettingsDep, StoreDep, permit, reader
from paxwatch.api.models import FlightPage, ManifestOut
from paxwatch.api.problems import PROBLEM_JSON, PROBLEM_RESPONSES, Problem
from paxwatch.privacy.access import Action, Principal
from paxwatch.store import repository as repo

router = APIRouter(tags=["flights"])
MAX_LIMIT = 1000

Lister = Annotated[Principal, Depends(permit(Action.LIST_FLIGHTS))]
FlightReader = Annotated[Principal, Depends(permit(Action.READ_FLIGHT))]


@router.get("/flights", response_model=FlightPage, responses=PROBLEM_RESPONSES)
def list_flights(
    store: StoreDep,
    _caller: Lister,
    on: Annotated[date | None, Query(alias="date", description="Local departure date.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> FlightPage:
    """Flights of a day (or all) in departure order, with their counts (no personal data).
    Permission: ``list_flights``."""
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
def get_manifest(
    flight_id: int,
    store: StoreDep,
    settings: SettingsDep,
    caller: FlightReader,
    purpose: Purpose = None,
) -> ManifestOut:
    """The flight's manifest: booked travellers, API travellers and their links.
    Permission: ``read_flight`` (analysts and supervisors: while the flight is inside the
    assessment window). Audited (``flight_manifest``). Masked values stay masked."""
    found = reads.manifest(reader(store, settings, caller, purpose, "flight manifest"), flight_id)
    return ManifestOut.model_validate(reads.unmask_free(ManifestOut.of(found).model_dump()))
