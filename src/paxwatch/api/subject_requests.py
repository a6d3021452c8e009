"""Data-subject requests, handled by the DPO: ``/api/v1/subjects``.

Every route is a ``POST``: the search terms (name, date of birth, document) travel in the
body, never in a URL (URLs end up in logs and browser histories).

- ``POST /subjects/search``: what is held about a person (ids of booked travellers and API
  travellers; masked records too when the vault key is set).
- ``POST /subjects/export``: everything held, as JSON (each booking version with only the
  person's traveller entry, API travellers, hits, flags), masked records opened with the
  vault: this is the data subject's own data, for the DPO to hand over.
- ``POST /subjects/requests``: record an access, rectification, erasure or restriction
  request and its outcome; ``kind=erasure`` with ``outcome=done`` erases the person first.

The audit trail keeps ids and the reference, never the name searched
(``privacy.subject``: ``searched``, ``exported``, ``erased``, the request).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from paxwatch.api.deps import StoreDep, permit
from paxwatch.api.models_privacy import (
    SubjectIn,
    SubjectMatchesOut,
    SubjectRecordIn,
    SubjectRecordOut,
    SubjectTraveller,
    privacy_now,
)
from paxwatch.api.problems import PROBLEM_RESPONSES, ProblemError
from paxwatch.api.unmasking import vault
from paxwatch.privacy.access import Action, Principal
from paxwatch.privacy.subject_export import export_subject
from paxwatch.privacy.subject_requests import (
    SubjectMatches,
    SubjectQuery,
    SubjectRequestError,
    erase_subject,
    find_subject,
    record_request,
)

router = APIRouter(tags=["data subjects"])

Dpo = Annotated[Principal, Depends(permit(Action.HANDLE_SUBJECT_REQUESTS))]


def _query(body: SubjectIn) -> SubjectQuery:
    try:
        return SubjectQuery(
            surname=body.surname,
            given_names=body.given_names,
            date_of_birth=body.date_of_birth,
            document=body.document,
        )
    except SubjectRequestError as error:
        raise ProblemError(422, str(error), kind="invalid-request") from None


def _matches(found: SubjectMatches) -> SubjectMatchesOut:
    return SubjectMatchesOut(
        travellers=[SubjectTraveller(booking_id=b, traveller_ref=r) for b, r in found.travellers],
        api_travellers=list(found.api_travellers),
        masked_found=found.masked_found,
    )


@router.post("/subjects/search", response_model=SubjectMatchesOut, responses=PROBLEM_RESPONSES)
def post_search(body: SubjectIn, store: StoreDep, caller: Dpo) -> SubjectMatchesOut:
    """What is held about a person (ids). The DPO."""
    query, now = _query(body), privacy_now()
    with store.write() as conn:
        found = find_subject(
            conn,
            query,
            by=caller.username,
            role=caller.role.value,
            now=now,
            vault=vault(),
            reference=body.reference,
        )
    return _matches(found)


@router.post("/subjects/export", responses=PROBLEM_RESPONSES)
def post_export(body: SubjectIn, store: StoreDep, caller: Dpo) -> dict[str, Any]:
    """Everything held about a person, as JSON. The DPO."""
    query, now, key = _query(body), privacy_now(), vault()
    with store.write() as conn:
        found = find_subject(
            conn,
            query,
            by=caller.username,
            role=caller.role.value,
            now=now,
            vault=key,
            reference=body.reference,
        )
        exported = export_subject(
            conn,
            found,
            by=caller.username,
            role=caller.role.value,
            now=now,
            vault=key,
            reference=body.reference,
        )
    return exported.data


@router.post(
    "/subjects/requests",
    status_code=201,
    response_model=SubjectRecordOut,
    responses=PROBLEM_RESPONSES,
)
def post_request(body: SubjectRecordIn, store: StoreDep, caller: Dpo) -> SubjectRecordOut:
    """Record a request and its outcome; an erasure that is ``done`` erases the person
    (every version, API travellers). The DPO."""
    query, now = _query(body), privacy_now()
    by, role = caller.username, caller.role.value
    removed = 0
    with store.write() as conn:
        found = find_subject(
            conn, query, by=by, role=role, now=now, vault=vault(), reference=body.reference
        )
        if body.kind == "erasure" and body.outcome == "done" and not found.empty:
            removed = erase_subject(
                conn, found, by=by, role=role, now=now, reference=body.reference
            )
        request_id = record_request(
            conn,
            kind=body.kind,
            received_on=body.received_on,
            matches=found,
            outcome=body.outcome if not found.empty else "nothing_held",
            by=by,
            role=role,
            now=now,
            reference=body.reference,
            note=body.note,
        )
    return SubjectRecordOut(
        request_id=request_id,
        kind=body.kind,
        outcome=body.outcome if not found.empty else "nothing_held",
        removed=removed,
        matches=_matches(found),
    )
