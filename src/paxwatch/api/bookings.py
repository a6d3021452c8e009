"""``GET /api/v1/bookings/{locator}``: the booking's current version and its history
(``read_booking`` on each booking, audited)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic_core import to_json

from paxwatch.api import reads
from paxwatch.api.deps import Purpose, SettingsDep, StoreDep, permit, reader
from paxwatch.api.models import BookingLookup
from paxwatch.api.problems import PROBLEM_JSON, PROBLEM_RESPONSES, Problem
from paxwatch.api.settings import ApiSettings
from paxwatch.privacy.access import Action, Principal
from paxwatch.store.engine import Store
from paxwatch.store.records import BookingHistory, BookingVersionInfo

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
    return booking_answer(store, settings, caller, locator, purpose, carrier)


def booking_answer(
    store: Store,
    settings: ApiSettings,
    caller: Principal,
    locator: str,
    purpose: str | None,
    carrier: str | None,
) -> Response:
    """The answer of ``GET /bookings/{locator}`` for validated parameters: the route's,
    and the fast path's (``paxwatch.api.hot``)."""
    found = reads.bookings(
        reader(store, settings, caller, purpose, "booking lookup"), locator, carrier
    )
    return masked_json_answer(lookup_json(locator, found))


def masked_json_answer(value: Any) -> Response:
    """``reads.masked_answer`` for a dump (plain values) rather than a model."""
    body = to_json(value, inf_nan_mode="null")
    if reads.DEPERSONALISED.encode() in body:
        body = to_json(reads.unmask_free(value), inf_nan_mode="null")
    return Response(content=body, media_type="application/json")


def _version_json(version: BookingVersionInfo) -> dict[str, Any]:
    return {
        "id": version.id,
        "version_no": version.version_no,
        "received_at": version.received_at,
        "raw_message_id": version.raw_message_id,
        "flight_key": version.flight_key,
        "push_action": version.push_action,
        "content_hash": version.content_hash,
        "changes": [
            {"path": c.path, "kind": c.kind, "before": c.before, "after": c.after}
            for c in version.changes
        ],
    }


def _booking_json(history: BookingHistory) -> dict[str, Any]:
    current = None
    if history.versions:
        last = history.versions[-1]
        current = {**_version_json(last), "content": json.loads(last.content_json)}
    return {
        "booking_id": history.booking_id,
        "key": history.key,
        "locator": history.locator,
        "carrier": history.carrier,
        "current": current,
        "versions": [_version_json(v) for v in history.versions],
        "flights": [
            {
                "flight_id": f.flight_id,
                "flight_key": f.flight_key,
                "status": f.status,
                "last_seen_at": f.last_seen_at,
                "cancelled_at": f.cancelled_at,
            }
            for f in history.flights
        ],
    }


def lookup_json(locator: str, found: list[BookingHistory]) -> dict[str, Any]:
    """The ``BookingLookup`` of ``found`` as the dump of ``BookingLookup(bookings=[
    BookingOut.of(h) ...])`` gives, without building and validating a model per version
    (``tests/api`` checks that both give the same JSON)."""
    return {"locator": locator.strip().upper(), "bookings": [_booking_json(h) for h in found]}
