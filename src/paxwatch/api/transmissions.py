"""Transmissions: ``POST /api/v1/hits/{hit_id}/transmissions`` (send the data of a
confirmed hit to a competent authority: the only way data leaves) and
``GET /api/v1/transmissions`` (what was sent, without the data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from paxwatch.api.deps import SettingsDep, StoreDep, permit
from paxwatch.api.models_review import SentOut, TransmissionIn, TransmissionPage
from paxwatch.api.problems import PROBLEM_RESPONSES, problem_doc
from paxwatch.privacy.access import Action, Principal
from paxwatch.review.transmissions import TransmissionRequest, list_transmissions, transmit

router = APIRouter(tags=["transmissions"])

Transmitter = Annotated[Principal, Depends(permit(Action.TRANSMIT))]
TransmissionReader = Annotated[Principal, Depends(permit(Action.READ_TRANSMISSIONS))]


@router.post(
    "/hits/{hit_id}/transmissions",
    status_code=201,
    response_model=SentOut,
    responses={
        **PROBLEM_RESPONSES,
        404: problem_doc("No such hit"),
        409: problem_doc("The hit is not confirmed"),
    },
)
def post_transmission(
    hit_id: int, body: TransmissionIn, store: StoreDep, settings: SettingsDep, caller: Transmitter
) -> SentOut:
    """Send the chosen data elements of a **confirmed** hit to a configured competent
    authority, on a legal basis, for an offence category. The exact JSON that leaves is
    stored with its SHA-256 and answered (``payload``); the disclosure is audited.
    Permission: ``transmit``. 409 for a hit that is not confirmed; 422 for an unknown
    recipient or offence category or an empty legal basis."""
    request = TransmissionRequest(
        recipient=body.recipient,
        legal_basis=body.legal_basis,
        offence_category=body.offence_category,
        elements=tuple(body.elements),
        reference=body.reference,
    )
    return SentOut.sent(transmit(store, caller, hit_id, request, config=settings.review))


@router.get("/transmissions", response_model=TransmissionPage, responses=PROBLEM_RESPONSES)
def get_transmissions(
    store: StoreDep,
    _caller: TransmissionReader,
    hit_id: Annotated[int | None, Query(description="Only this hit.")] = None,
    recipient: Annotated[str | None, Query(max_length=60, description="Only this one.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> TransmissionPage:
    """Stored transmissions, newest first: who sent what kind of data to whom, when, on
    which basis, and the SHA-256 of what left (the data itself is not answered).
    Permission: ``read_transmissions``."""
    with store.read() as conn:
        found = list_transmissions(conn, hit_id=hit_id, recipient=recipient)
    return TransmissionPage.of(found, limit, offset)
