"""``GET /api/v1/bookings/{locator}``: the booking's current version and its history
(``read_booking`` on each booking, audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from paxwatch.api import reads
from paxwatch.api.deps import Purpose, SettingsDep, StoreDep, permit, reader
from paxwatch.api.models import BookingLookup, BookingOut
from paxwatch.api.problems import PROBLEM_JSON, PROBLEM_RESPONSES, Problem
from paxwatch.privacy.access import Action, Principal

router = APIRouter(tags=["bookings"])

BookingReader = Annotated[Principal, Depends(permit(Action.READ_BOOKING))]


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
    settings: SettingsDep,
    caller: BookingReader,
    purpose: Purpose = None,
    carrier: Annotated[
        str | None, Query(max_length=3, description="Reporting carrier, when ambiguous.")
    ] = None,
) -> Response:
    """Every booking with this record locator the caller may read: current version,
    versions with differences, and the flights it is or was on. Permission:
    ``read_booking`` (analysts and supervisors: an open hit on the booking or one of its
    flights inside the assessment window). Audited (``booking``). Masked values stay
    masked."""
    found = reads.bookings(
        reader(store, settings, caller, purpose, "booking lookup"), locator, carrier
    )
    out = BookingLookup(locator=locator.strip().upper(), bookings=[BookingOut.of(h) for h in found])
    return reads.masked_answer(out)
