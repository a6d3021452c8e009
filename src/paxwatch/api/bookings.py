"""``GET /api/v1/bookings/{locator}``: the booking's current version and its history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from paxwatch.api.deps import Reader, StoreDep
from paxwatch.api.models import BookingLookup, BookingOut
from paxwatch.api.problems import PROBLEM_JSON, PROBLEM_RESPONSES, Problem, ProblemError
from paxwatch.store import repository as repo

router = APIRouter(tags=["bookings"])


@router.get(
    "/bookings/{locator}",
    response_model=BookingLookup,
    responses={
        **PROBLEM_RESPONSES,
        404: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "No such booking"},
    },
)
def get_booking(
    locator: str,
    store: StoreDep,
    _caller: Reader,
    carrier: Annotated[
        str | None, Query(max_length=3, description="Reporting carrier, when ambiguous.")
    ] = None,
) -> BookingLookup:
    """Every booking with this record locator: current version, versions with differences,
    and the flights it is or was on."""
    with store.read() as conn:
        histories = repo.booking_history(conn, locator, carrier)
    if not histories:
        raise ProblemError(404, "There is no booking with this locator.", kind="not-found")
    return BookingLookup(
        locator=locator.strip().upper(), bookings=[BookingOut.of(h) for h in histories]
    )
