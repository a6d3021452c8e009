"""The intra-EU flight-selection register (CJEU C-817/19): ``/api/v1/selection``.

- ``GET /selection`` (``?include_revoked=false``): the register, oldest first, with
  ``active`` for the selections valid today. Supervisors, the DPO, auditors.
- ``POST /selection``: a supervisor adds a selection (scope ``route``, ``flight``,
  ``airport`` or ``all``; decision, legal basis, validity, review date).
- ``POST /selection/{id}/revoke``: a supervisor revokes it (the record stays).

The register holds no personal data. Each change is audited by the library
(``privacy.selection``: ``added``, ``revoked``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi import Path as PathParam

from paxwatch.api.deps import StoreDep, permit
from paxwatch.api.models_privacy import (
    SelectionIn,
    SelectionList,
    SelectionOut,
    privacy_now,
)
from paxwatch.api.problems import PROBLEM_RESPONSES, ProblemError, problem_doc
from paxwatch.privacy.access import Action, Principal
from paxwatch.privacy.selection import (
    SelectionError,
    add_selection,
    list_selections,
    revoke_selection,
)

router = APIRouter(tags=["retention"])

SelectionReader = Annotated[Principal, Depends(permit(Action.READ_SELECTION))]
SelectionManager = Annotated[Principal, Depends(permit(Action.MANAGE_SELECTION))]
SelectionId = Annotated[int, PathParam(ge=1, le=2**62)]
_REFUSED: dict[int | str, dict[str, object]] = {
    404: problem_doc("No such selection, or it was revoked"),
}


@router.get("/selection", response_model=SelectionList, responses=PROBLEM_RESPONSES)
def get_selections(
    store: StoreDep,
    _caller: SelectionReader,
    include_revoked: Annotated[bool, Query(description="Also the revoked ones.")] = True,
) -> SelectionList:
    """The register, oldest first."""
    today = privacy_now().date()
    with store.read() as conn:
        found = list_selections(conn, include_revoked=include_revoked)
    return SelectionList(items=[SelectionOut.of(s, today) for s in found])


@router.post(
    "/selection",
    status_code=201,
    response_model=SelectionOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def post_selection(body: SelectionIn, store: StoreDep, caller: SelectionManager) -> SelectionOut:
    """Add a selection (supervisors); 422 for an incomplete or inconsistent one."""
    now = privacy_now()
    with store.write() as conn:
        try:
            selection_id = add_selection(
                conn,
                scope=body.scope,
                valid_from=body.valid_from,
                valid_until=body.valid_until,
                review_on=body.review_on,
                decision=body.decision,
                legal_basis=body.legal_basis,
                by=caller.username,
                now=now,
                carrier=body.carrier,
                number=body.number,
                origin=body.origin,
                destination=body.destination,
                airport=body.airport,
            )
        except SelectionError as error:
            raise ProblemError(422, str(error), kind="invalid-request") from None
        [found] = [s for s in list_selections(conn) if s.id == selection_id]
    return SelectionOut.of(found, now.date())


@router.post(
    "/selection/{selection_id}/revoke",
    response_model=SelectionOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def post_revoke(
    selection_id: SelectionId, store: StoreDep, caller: SelectionManager
) -> SelectionOut:
    """Revoke a selection (supervisors); 404 when unknown or already revoked."""
    now = privacy_now()
    with store.write() as conn:
        if not revoke_selection(conn, selection_id, by=caller.username, now=now):
            raise ProblemError(
                404, f"There is no active selection {selection_id}.", kind="not-found"
            )
        [found] = [s for s in list_selections(conn) if s.id == selection_id]
    return SelectionOut.of(found, now.date())
